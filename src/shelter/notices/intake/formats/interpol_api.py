"""The Interpol public notices API: list pages, detail records, and arrays of either.

A list page is ``{"_embedded": {"notices": [...]}}``; a detail record carries ``arrest_warrants``.
Scrapers also save bare arrays of list rows, arrays of pages, or arrays of details; all are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shelter.intake import IDENTIFIER, NAME, URL, json_type_problem
from shelter.notices.intake.formats.records import (
    ChargeData,
    NoticeData,
    NoticeFormatError,
    clean_text,
    countries,
    country,
    interpol_date,
    read_entity_id,
    sex,
)

ORIGIN_DETAIL = "interpol_api"
ORIGIN_LIST = "interpol_list"


def iter_notice_objects(document: Any, where: str = "document") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (position, notice object) from any nesting of pages, arrays and records."""
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from iter_notice_objects(item, f"{where}[{index}]")
    elif isinstance(document, dict):
        embedded = document.get("_embedded")
        if isinstance(embedded, dict) and isinstance(embedded.get("notices"), list):
            yield from iter_notice_objects(embedded["notices"], f"{where}._embedded.notices")
        elif "entity_id" in document:
            yield where, document
        else:
            raise NoticeFormatError(f"{where}: neither a notice (no 'entity_id') nor a list page (no '_embedded')")
    else:
        raise NoticeFormatError(f"{where}: expected an object or an array, found {type(document).__name__}")


def _typed(item: dict[str, Any], key: str, kind: type, where: str) -> Any:
    """``item[key]``, None when absent or null; a value of another JSON type is refused, naming the field."""
    value = item.get(key)
    if value is None:
        return None
    problem = json_type_problem(value, kind)
    if problem:
        raise NoticeFormatError(f"{where}, {key}: {problem}")
    return value


def read_notice(item: dict[str, Any], where: str, notes: list[str] | None = None) -> NoticeData:
    entity_id = read_entity_id(item.get("entity_id"), where)
    where = f"{where} ({entity_id})"
    try:
        return _read_notice(item, entity_id, where, notes)
    except NoticeFormatError as error:
        message = str(error)
        raise NoticeFormatError(message if message.startswith(where) else f"{where}: {message}") from None


def _read_notice(item: dict[str, Any], entity_id: str, where: str, notes: list[str] | None) -> NoticeData:
    warrants = _typed(item, "arrest_warrants", list, where)
    is_detail = warrants is not None
    charges = []
    for index, warrant in enumerate(warrants or []):
        if json_type_problem(warrant, dict):
            raise NoticeFormatError(f"{where}, arrest_warrants[{index}]: {json_type_problem(warrant, dict)}")
        if clean_text(warrant.get("charge")):
            charges.append(ChargeData(
                text=clean_text(warrant.get("charge")),
                translation=clean_text(warrant.get("charge_translation")),
                issuing_state=country(warrant.get("issuing_country_id"), notes, where, "issuing country"),
            ))
    issuing = next((charge.issuing_state for charge in charges if charge.issuing_state), "")
    links = _typed(item, "_links", dict, where) or {}
    link = _typed(links, "self", dict, f"{where}, _links") or {}
    return NoticeData(
        entity_id=entity_id,
        origin=ORIGIN_DETAIL if is_detail else ORIGIN_LIST,
        forename=clean_text(item.get("forename"), NAME),
        surname=clean_text(item.get("name"), NAME),
        dob=interpol_date(item.get("date_of_birth"), where),
        sex=sex(item.get("sex_id")),
        nationalities=countries(item.get("nationalities"), notes, where),
        country_of_birth=country(item.get("country_of_birth_id"), notes, where, "country of birth"),
        place_of_birth=clean_text(item.get("place_of_birth"), NAME),
        issuing_state=issuing,
        distinguishing_marks=clean_text(item.get("distinguishing_marks")),
        languages=tuple(clean_text(code, IDENTIFIER)
                        for code in (_typed(item, "languages_spoken_ids", list, where) or []) if code),
        url=clean_text(link.get("href"), URL),
        has_details=is_detail,
        charges=tuple(charges),
    )


def read_document(document: Any, notes: list[str] | None = None) -> list[NoticeData]:
    return [read_notice(item, where, notes) for where, item in iter_notice_objects(document)]
