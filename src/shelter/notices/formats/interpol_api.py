"""The Interpol public notices API: list pages, detail records, and arrays of either.

A list page is ``{"_embedded": {"notices": [...]}}``; a detail record carries ``arrest_warrants``.
Scrapers also save bare arrays of list rows, arrays of pages, or arrays of details; all are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shelter.notices.formats.records import (
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


def read_notice(item: dict[str, Any], where: str) -> NoticeData:
    entity_id = read_entity_id(item.get("entity_id"), where)
    where = f"{where} ({entity_id})"
    warrants = item.get("arrest_warrants")
    is_detail = isinstance(warrants, list)
    charges = tuple(
        ChargeData(
            text=clean_text(warrant.get("charge")),
            translation=clean_text(warrant.get("charge_translation")),
            issuing_state=country(warrant.get("issuing_country_id")),
        )
        for warrant in (warrants or [])
        if isinstance(warrant, dict) and clean_text(warrant.get("charge"))
    )
    issuing = next((charge.issuing_state for charge in charges if charge.issuing_state), "")
    links = item.get("_links") or {}
    url = clean_text((links.get("self") or {}).get("href")) if isinstance(links, dict) else ""
    return NoticeData(
        entity_id=entity_id,
        origin=ORIGIN_DETAIL if is_detail else ORIGIN_LIST,
        forename=clean_text(item.get("forename")),
        surname=clean_text(item.get("name")),
        dob=interpol_date(item.get("date_of_birth"), where),
        sex=sex(item.get("sex_id")),
        nationalities=countries(item.get("nationalities")),
        country_of_birth=country(item.get("country_of_birth_id")),
        place_of_birth=clean_text(item.get("place_of_birth")),
        issuing_state=issuing,
        distinguishing_marks=clean_text(item.get("distinguishing_marks")),
        languages=tuple(clean_text(code) for code in (item.get("languages_spoken_ids") or []) if code),
        url=url,
        has_details=is_detail,
        charges=charges,
    )


def read_document(document: Any) -> list[NoticeData]:
    return [read_notice(item, where) for where, item in iter_notice_objects(document)]
