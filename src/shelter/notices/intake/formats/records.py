"""The plain record every notice format is read into, and the conversions the formats share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shelter.countries import UnknownCountryError, country_code
from shelter.intake import TEXT, TextKind, text_problem
from shelter.partial_dates import PartialDateError, parse_partial_date

SEXES = {"M": "m", "F": "f", "MALE": "m", "FEMALE": "f"}
# Interpol uses numeric pseudo-codes (e.g. 914, 922) for entities that are not countries.
_NOT_COUNTRIES = {"914", "922", "U", "UNK", ""}


# Interpol's ids (2019/34876), OpenSanctions' (NK-24vhX9...) and people's own references (EXT-2024/3, DIFF 7):
# letters, digits and a few separators. No quotes, backslashes or control characters: the id names files.
ENTITY_ID = re.compile(r"\w(?:[\w ./:#()+-]*[\w.)#])?")
ENTITY_ID_LENGTH = 64


def entity_id_problem(value: str) -> str:
    """Why ``value`` cannot be an entity id ("" when it can)."""
    if not value:
        return "the entity id is empty"
    if len(value) > ENTITY_ID_LENGTH:
        return f"the entity id is longer than {ENTITY_ID_LENGTH} characters"
    if not ENTITY_ID.fullmatch(value):
        return (f"{value!r} is not an entity id: use letters, digits, spaces and . / : # ( ) + - _ "
                "(e.g. 2019/34876 or EXT-2024-3)")
    return ""


def read_entity_id(value: object, where: str) -> str:
    """The entity id of a record read from a file, or a NoticeFormatError naming the record."""
    text = clean_text(value)
    problem = entity_id_problem(text)
    if problem:
        raise NoticeFormatError(f"{where}: {problem}")
    return text


class NoticeFormatError(ValueError):
    """A record that cannot be read; the message names the record and what is expected."""


@dataclass(frozen=True)
class ChargeData:
    text: str
    translation: str = ""
    issuing_state: str = ""


@dataclass(frozen=True)
class NoticeData:
    entity_id: str
    origin: str
    kind: str = "red_notice"
    forename: str = ""
    surname: str = ""
    other_names: tuple[str, ...] = ()
    dob: str = ""
    sex: str = ""
    nationalities: tuple[str, ...] = ()
    country_of_birth: str = ""
    place_of_birth: str = ""
    issuing_state: str = ""
    distinguishing_marks: str = ""
    languages: tuple[str, ...] = ()
    url: str = ""
    # False for list-level rows: they carry no charges, so they must not erase charges imported earlier.
    has_details: bool = False
    charges: tuple[ChargeData, ...] = field(default=())


def clean_text(value: object, kind: TextKind = TEXT) -> str:
    """The value as one line of text; one over the length limit of its kind or holding a control character is
    refused (``shelter.intake.text_problem``, the rule every importer applies), and so is a list or an object
    where a text or a number belongs."""
    if value is None:
        return ""
    if isinstance(value, list | dict | tuple):
        raise NoticeFormatError(f"expected a text or a number, found {'a list' if not isinstance(value, dict) else 'an object'}")
    text = str(value)
    problem = text_problem(text, kind)
    if problem:
        raise NoticeFormatError(f"a value {problem}")
    return " ".join(text.split())


def interpol_date(value: object, where: str) -> str:
    """Interpol writes ``1999/01/23``, ``1999/01`` or ``1999``; Shelter stores ``1999-01-23``."""
    text = clean_text(value)
    if not text:
        return ""
    normalised = text.replace("/", "-").replace(".", "-")
    try:
        return str(parse_partial_date(normalised))
    except PartialDateError as error:
        raise NoticeFormatError(f"{where}: {error}") from None


def country(value: object, notes: list[str] | None = None, where: str = "", what: str = "country") -> str:
    """The ISO 3166-1 alpha-2 code of ``value`` (a code, an alpha-3 code or a name); "" for Interpol's codes of
    entities that are not countries. A value that names no country is left out, and said so in ``notes``."""
    original = clean_text(value)
    text = original.upper()
    if text in _NOT_COUNTRIES:
        return ""
    try:
        return country_code(text)
    except UnknownCountryError:
        if notes is not None:
            notes.append(f"{where + ': ' if where else ''}{what} '{original[:80]}' is not a known country and was "
                         "left out")
        return ""


def countries(values: object, notes: list[str] | None = None, where: str = "",
              what: str = "nationality") -> tuple[str, ...]:
    """The codes of a list of countries (or of a text separating them with commas or semicolons); one that names
    no country is left out and said so in ``notes``."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    if not isinstance(values, (list, tuple)):
        raise NoticeFormatError(f"{where + ': ' if where else ''}{what}: expected a list of country codes, found "
                                f"{type(values).__name__}")
    found: list[str] = []
    for value in values:
        code = country(value, notes, where, what)
        if code and code not in found:
            found.append(code)
    return tuple(found)


def sex(value: object) -> str:
    return SEXES.get(clean_text(value).upper(), "")
