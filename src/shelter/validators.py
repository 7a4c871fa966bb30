"""Django field validators for the shared value types."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from shelter.countries import UnknownCountryError, country_code
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
