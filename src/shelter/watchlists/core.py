"""FollowTheMoney person descriptions as the name matcher reads them (no Django).

One conversion serves the match API's queries, the reconciliation API's queries and the entries of imported
watchlists: names from ``name``, ``alias``, ``weakAlias``, ``previousName`` and the name parts, a birth date as
YYYY, YYYY-MM or YYYY-MM-DD, nationalities as ISO 3166-1 alpha-2 codes, sex from ``gender``.

A value that cannot be used is an error naming the property and the value (:class:`PropertyError`), so a
caller learns what was not compared instead of getting a weaker match without a word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shelter.countries import UnknownCountryError, country_code
from shelter.names import PersonRecord
from shelter.partial_dates import PartialDateError, parse_partial_date

NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
NAME_PART_PROPERTIES = ("firstName", "secondName", "middleName", "fatherName", "lastName")
COUNTRY_PROPERTIES = ("nationality", "citizenship")
_SEX = {"male": "m", "female": "f", "m": "m", "f": "f"}
MAX_VALUES = 200
MAX_VALUE_LENGTH = 500


class PropertyError(ValueError):
    """A property value the matcher cannot use: ``str(error)`` names the property and the value."""


@dataclass(frozen=True)
class Described:
    """A person as given (FtM properties), and as the matcher compares them."""

    record: PersonRecord
    notes: tuple[str, ...]  # values left out of the comparison, one line each


def values_of(properties: Mapping[str, object], prop: str) -> list[str]:
    """The values of one property as a list of strings (FtM allows one string or a list)."""
    raw = properties.get(prop)
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    if len(items) > MAX_VALUES:
        raise PropertyError(f"{prop}: at most {MAX_VALUES} values")
    values: list[str] = []
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise PropertyError(f"{prop}: values must be strings")
        text = " ".join(str(item).split())
        if len(text) > MAX_VALUE_LENGTH:
            raise PropertyError(f"{prop}: a value is longer than {MAX_VALUE_LENGTH} characters")
        if text and text not in values:
            values.append(text)
    return values


def names_of(properties: Mapping[str, object]) -> list[str]:
    names: list[str] = []
    for prop in NAME_PROPERTIES:
        names.extend(name for name in values_of(properties, prop) if name not in names)
    parts = [values_of(properties, prop) for prop in NAME_PART_PROPERTIES]
    composed = " ".join(values[0] for values in parts if values)
    if composed and composed not in names:
        names.append(composed)
    return names


def birth_date(values: Sequence[str], strict: bool) -> tuple[str | None, list[str]]:
    """The first usable birth date; with ``strict`` a bad one is an error, else it is noted and left out."""
    found: str | None = None
    notes: list[str] = []
    for value in values:
        try:
            parsed = str(parse_partial_date(value[:10]))
        except PartialDateError:
            message = f"birthDate '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            if strict:
                raise PropertyError(message) from None
            notes.append(message)
            continue
        found = found or parsed
    return found, notes


def countries(values: Sequence[str], strict: bool) -> tuple[tuple[str, ...], list[str]]:
    codes: list[str] = []
    notes: list[str] = []
    for value in values:
        try:
            code = country_code(value)
        except UnknownCountryError:
            message = f"nationality '{value}' has no ISO 3166-1 code"
            if strict:
                raise PropertyError(message) from None
            notes.append(message)
            continue
        if code not in codes:
            codes.append(code)
    return tuple(codes), notes


def describe(properties: Mapping[str, object], strict: bool = True) -> Described:
    """The person described by FtM ``properties``. ``strict``: a bad date or country is an error (queries);
    otherwise it is left out and noted (imported lists, which carry historic codes such as ``suhh``)."""
    if not isinstance(properties, Mapping):
        raise PropertyError("properties must be an object of lists of strings")
    dob, date_notes = birth_date(values_of(properties, "birthDate"), strict)
    nationalities, country_notes = countries(
        [value for prop in COUNTRY_PROPERTIES for value in values_of(properties, prop)], strict)
    sex = next((_SEX[value.lower()] for value in values_of(properties, "gender") if value.lower() in _SEX), None)
    record = PersonRecord(names=tuple(names_of(properties)), dob=dob, nationalities=nationalities, sex=sex)
    return Described(record, tuple(date_notes + country_notes))
