"""Django field validators for the shared value types, and the rule every text value from outside meets."""

from __future__ import annotations

import re
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


# The longest text value any importer or form accepts, whatever the format (a field's own max_length is lower).
MAX_FIELD_CHARS = 100_000
# Control characters other than tab, line feed and carriage return: never meaningful in a record, and NUL cannot
# be stored by PostgreSQL at all (a backup holding one could not be restored there).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str, limit: int = MAX_FIELD_CHARS) -> str | None:
    """Why ``value`` cannot be stored as text, in words a person can act on; None when it can."""
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    control = _CONTROL.search(value)
    if control:
        return (f"holds the control character U+{ord(control.group()):04X} at character {control.start() + 1}: "
                "remove it (only tabs and line breaks are kept)")
    return None


def validate_plain_text(value: object) -> None:
    """Every string in ``value`` (a text, or the lists and objects of a JSON field) meets :func:`text_problem`."""
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


def escape_controls(value: object) -> object:
    """``value`` with every control character written out as ``\\xNN``: for evidence that must be kept as it was
    said (a suspicious message's subject and headers) but stored as plain text."""
    if isinstance(value, str):
        return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
    if isinstance(value, dict):
        return {escape_controls(key): escape_controls(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [escape_controls(item) for item in value]
    return value
