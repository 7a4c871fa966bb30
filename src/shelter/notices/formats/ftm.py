"""FollowTheMoney entities as OpenSanctions publishes Interpol data: one JSON object per line
(``{"id", "schema", "properties": {name: [values]}}``, or ``{"op": "ADD", "entity": {...}}`` deltas).

A wanted Person becomes a notice; each Sanction pointing at it with a "Red Notice" programme becomes a
charge (reason = charge text, country = issuing state, authorityId = Interpol's entity id).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
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

ORIGIN = "ftm"
_WANTED_TOPICS = {"wanted", "crime"}


@dataclass
class _Person:
    where: str
    entity: dict[str, Any]
    sanctions: list[dict[str, Any]] = field(default_factory=list)


def _values(entity: dict[str, Any], prop: str) -> list[str]:
    raw = (entity.get("properties") or {}).get(prop) or []
    return [clean_text(value) for value in raw if clean_text(value)]


def _first(entity: dict[str, Any], prop: str) -> str:
    values = _values(entity, prop)
    return values[0] if values else ""


def _is_red_notice(sanction: dict[str, Any]) -> bool:
    return any("red notice" in program.lower() for program in _values(sanction, "program"))


def read_lines(lines: Iterable[str]) -> tuple[list[NoticeData], int]:
    """Return the notices and how many entities were skipped (not wanted persons, or other schemata)."""
    people: dict[str, _Person] = {}
    sanctions: list[tuple[str, dict[str, Any]]] = []
    skipped = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as error:
            raise NoticeFormatError(f"line {number}: not JSON ({error.msg})") from None
        if isinstance(entity, dict) and isinstance(entity.get("entity"), dict):
            entity = entity["entity"]
        if not isinstance(entity, dict) or "schema" not in entity or "id" not in entity:
            raise NoticeFormatError(f"line {number}: not a FollowTheMoney entity (needs 'id' and 'schema')")
        if entity["schema"] == "Person":
            people[str(entity["id"])] = _Person(f"line {number}", entity)
        elif entity["schema"] == "Sanction":
            sanctions.append((f"line {number}", entity))
        else:
            skipped += 1
    for _where, sanction in sanctions:
        for person_id in _values(sanction, "entity"):
            if person_id in people:
                people[person_id].sanctions.append(sanction)
    notices: list[NoticeData] = []
    for person in people.values():
        red = [s for s in person.sanctions if _is_red_notice(s)]
        topics = set(_values(person.entity, "topics"))
        if not red and not topics & _WANTED_TOPICS:
            skipped += 1 + len(person.sanctions)
            continue
        skipped += len(person.sanctions) - len(red)
        notices.append(_notice(person, red))
    return notices, skipped


def _notice(person: _Person, red: list[dict[str, Any]]) -> NoticeData:
    entity = person.entity
    entity_id = read_entity_id(next((_first(s, "authorityId") for s in red if _first(s, "authorityId")),
                                    entity["id"]), person.where)
    charges = tuple(
        ChargeData(text=reason, issuing_state=country(_first(sanction, "country")))
        for sanction in red
        for reason in _values(sanction, "reason")
    )
    forename = _first(entity, "firstName")
    surname = _first(entity, "lastName")
    names = _values(entity, "name") + _values(entity, "alias")
    if not forename and not surname and names:
        forename, names = names[0], names[1:]
    composed = " ".join(part for part in (forename, surname) if part)
    other_names = tuple(dict.fromkeys(name for name in names if name != composed))
    dates = _values(entity, "birthDate")
    return NoticeData(
        entity_id=entity_id,
        origin=ORIGIN,
        forename=forename,
        surname=surname,
        other_names=other_names,
        dob=interpol_date(dates[0], f"{person.where} ({entity_id})") if dates else "",
        sex=sex(_first(entity, "gender")),
        nationalities=countries(_values(entity, "nationality") + _values(entity, "citizenship")),
        country_of_birth=country(_first(entity, "birthCountry") or _first(entity, "country")),
        place_of_birth=_first(entity, "birthPlace"),
        issuing_state=next((c.issuing_state for c in charges if c.issuing_state), ""),
        distinguishing_marks=_first(entity, "notes"),
        url=_first(entity, "sourceUrl"),
        has_details=bool(red),
        charges=charges,
    )
