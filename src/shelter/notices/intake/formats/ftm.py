"""FollowTheMoney entities as OpenSanctions publishes Interpol data: one JSON object per line
(``{"id", "schema", "properties": {name: [values]}}``, or ``{"op": "ADD", "entity": {...}}`` deltas).

A wanted Person becomes a notice; each Sanction pointing at it with a "Red Notice" programme becomes a
charge (reason = charge text, country = issuing state, authorityId = Interpol's entity id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney.proxy import EntityProxy

from shelter.ftm import BadLine, entity_lines
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

ORIGIN = "ftm"
_WANTED_TOPICS = {"wanted", "crime"}


@dataclass
class _Person:
    where: str
    entity: EntityProxy
    sanctions: list[EntityProxy] = field(default_factory=list)


def _values(entity: EntityProxy, prop: str) -> list[str]:
    return [clean_text(value) for value in entity.get(prop, quiet=True) if clean_text(value)]


def _first(entity: EntityProxy, prop: str) -> str:
    values = _values(entity, prop)
    return values[0] if values else ""


def _is_red_notice(sanction: EntityProxy) -> bool:
    return any("red notice" in program.lower() for program in _values(sanction, "program"))


def read_lines(lines: Iterable[str], notes: list[str] | None = None) -> tuple[list[NoticeData], int]:
    """Return the notices and how many entities were skipped (not wanted persons, or other schemata)."""
    people: dict[str, _Person] = {}
    sanctions: list[tuple[str, EntityProxy]] = []
    skipped = 0
    for line in entity_lines(lines):
        if isinstance(line, BadLine):
            raise NoticeFormatError(f"{line.where}: {line.message}")
        entity = line.proxy
        if entity.schema.name == "Person":
            people[str(entity.id)] = _Person(line.where, entity)
        elif entity.schema.name == "Sanction":
            sanctions.append((line.where, entity))
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
        try:
            notices.append(_notice(person, red, notes))
        except NoticeFormatError as error:
            message = str(error)
            raise NoticeFormatError(message if message.startswith(person.where)
                                    else f"{person.where} ({person.entity.id}): {message}") from None
    return notices, skipped


def _notice(person: _Person, red: list[EntityProxy], notes: list[str] | None) -> NoticeData:
    entity = person.entity
    where = f"{person.where} ({entity.id})"
    entity_id = read_entity_id(next((_first(s, "authorityId") for s in red if _first(s, "authorityId")),
                                    str(entity.id)), person.where)
    charges = tuple(
        ChargeData(text=reason, issuing_state=country(_first(sanction, "country"), notes, where, "issuing country"))
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
        dob=interpol_date(dates[0], where) if dates else "",
        sex=sex(_first(entity, "gender")),
        nationalities=countries(_values(entity, "nationality") + _values(entity, "citizenship"), notes, where),
        country_of_birth=country(_first(entity, "birthCountry") or _first(entity, "country"), notes, where,
                                 "country of birth"),
        place_of_birth=_first(entity, "birthPlace"),
        issuing_state=next((c.issuing_state for c in charges if c.issuing_state), ""),
        distinguishing_marks=_first(entity, "notes"),
        url=_first(entity, "sourceUrl"),
        has_details=bool(red),
        charges=charges,
    )
