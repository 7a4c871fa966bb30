"""Django field validators for the shared value types; text from outside is checked by ``shelter.intake``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from shelter.countries import UnknownCountryError, country_code
from shelter.intake import text_problem
from shelter.partial_dates import PartialDateError, parse_partial_date


def validate_country(value: str) -> None:
    try:
        code = country_code(value)
    except UnknownCountryError as error:
        raise ValidationError(str(error)) from error
    if code != value:
        raise ValidationError(f"'{value}': use the ISO 3166-1 alpha-2 code {code}")


def validate_countries(values: Iterable[str]) -> None:
    if not isinstance(values, list):
        raise ValidationError("expected a list of ISO 3166-1 alpha-2 codes")
    for value in values:
        validate_country(value)


def validate_partial_date(value: str) -> None:
    try:
        parse_partial_date(value)
    except PartialDateError as error:
        raise ValidationError(str(error)) from error


def validate_plain_text(value: object) -> None:
    """Every string in ``value`` (a text, or the lists and objects of a JSON field) meets
    ``shelter.intake.text_problem``."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValidationError(f"the value {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            validate_plain_text(key)
            validate_plain_text(item)
    elif isinstance(value, list | tuple):
        for item in value:
            validate_plain_text(item)
