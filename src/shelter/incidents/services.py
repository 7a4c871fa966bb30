"""Write services for incidents (with targets, perpetrators and citations) and sources.

Through the audited write path (:mod:`shelter.access.writes`): role checked, values validated with errors naming the field,
linked records must be visible to the writer, atomic, recorded in history under the writer's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from shelter.access.models import User
from shelter.access.writes import (
    assign,
    check_writer,
    remove_visible,
    save_record,
    save_restricted,
    visible_record,
)
from shelter.incidents.evidence import FILE_FIELDS
from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.incidents.publishing import CONFIRM_FIELD, check_names
from shelter.incidents.taxonomy import taxonomy
from shelter.registry.models import Organisation, Person, Relationship

INCIDENT_FIELDS = ("title", "tactic", "date", "end_date", "origin_state", "host_country", "place", "outcome",
                   "verification", "description")
SOURCE_FIELDS = ("title", "kind", "url", "publisher", "published_on", "reliability", "notes")

CITABLE = {Incident: "incident", Person: "person", Organisation: "organisation", Relationship: "relationship"}


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    return ValidationError({f"{prefix}.{field}": messages for field, messages in error.message_dict.items()})


def _resolve_tactic(data: Mapping[str, Any]) -> dict[str, Any]:
    """Accept a tactic by code or by its English or Russian label."""
    if data.get("tactic") is None:
        return dict(data)
    tactic = taxonomy().resolve(str(data["tactic"]))
    if tactic is None:
        raise ValidationError({"tactic": f"'{data['tactic']}' is not a tactic code or label "
                                         "(see the tactic taxonomy, e.g. detention, red_notice)"})
    return {**data, "tactic": tactic.code}


def _replace_targets(incident: Incident, targets: Iterable[Mapping[str, Any]], user: User | None) -> None:
    remove_visible(incident.targets.all(), user)
    seen: set[int] = set()
    for index, entry in enumerate(targets):
        person = visible_record(Person, entry.get("person"), user, f"targets[{index}].person")
        if person.pk in seen:
            raise ValidationError({f"targets[{index}].person": f"person {person.pk} is listed twice"})
        seen.add(person.pk)
        target = IncidentTarget(incident=incident, person=person)
        assign(target, entry, ("role",))
        try:
            save_record(target, user)
        except ValidationError as error:
            raise _prefixed(error, f"targets[{index}]") from None


def _replace_perpetrators(incident: Incident, perpetrators: Iterable[Mapping[str, Any]], user: User | None) -> None:
    remove_visible(incident.perpetrators.all(), user)
    for index, entry in enumerate(perpetrators):
        field = f"perpetrators[{index}]"
        perpetrator = IncidentPerpetrator(incident=incident)
        if (entry.get("person") is None) == (entry.get("organisation") is None):
            raise ValidationError({field: "give either a person or an organisation"})
        if entry.get("person") is not None:
            perpetrator.person = visible_record(Person, entry["person"], user, f"{field}.person")
        else:
            perpetrator.organisation = visible_record(Organisation, entry["organisation"], user,
                                                      f"{field}.organisation")
        assign(perpetrator, entry, ("degree",))
        try:
            save_record(perpetrator, user)
        except ValidationError as error:
            raise _prefixed(error, field) from None


def set_citations(user: User | None, record: models.Model, citations: Iterable[Mapping[str, Any]]) -> None:
    """Replace the citations of an incident, person, organisation or relationship."""
    owner_field = CITABLE[type(record)]  # type: ignore[index]
    remove_visible(Citation.objects.filter(**{owner_field: record}), user)
    for index, entry in enumerate(citations):
        source = visible_record(Source, entry.get("source"), user, f"citations[{index}].source")
        citation = Citation(source=source, **{owner_field: record})
        assign(citation, entry, ("locator",))
        try:
            save_record(citation, user)
        except ValidationError as error:
            raise _prefixed(error, f"citations[{index}]") from None


def _check_publishing(record: Incident | Source, data: Mapping[str, Any], user: User | None,
                      texts: tuple[str, ...]) -> None:
    """The publishing guard for writers (the operator's imports are not asked): see ``incidents.publishing``."""
    if user is None:
        return
    level = data.get("confidentiality") or record.confidentiality
    published = data["published"] if data.get("published") is not None else record.published
    check_names(texts, level, published, user, bool(data.get(CONFIRM_FIELD)))


def _save_incident(incident: Incident, data: Mapping[str, Any], user: User | None) -> Incident:
    data = _resolve_tactic(data)
    assign(incident, data, INCIDENT_FIELDS)
    _check_publishing(incident, data, user, (incident.title, incident.description))
    save_restricted(incident, data, user)
    if data.get("targets") is not None:
        _replace_targets(incident, data["targets"], user)
    if data.get("perpetrators") is not None:
        _replace_perpetrators(incident, data["perpetrators"], user)
    if data.get("citations") is not None:
        set_citations(user, incident, data["citations"])
    return incident


@transaction.atomic
def create_incident(user: User | None, data: Mapping[str, Any]) -> Incident:
    """Record an incident with its targets, perpetrators and citations (lists of ``{"person": id, ...}``)."""
    check_writer(user)
    return _save_incident(Incident(), data, user)


@transaction.atomic
def update_incident(user: User | None, incident: Incident, data: Mapping[str, Any]) -> Incident:
    """Change the fields present in ``data``; a list present in ``data`` replaces the incident's list."""
    check_writer(user)
    return _save_incident(incident, data, user)


def _save_source(source: Source, data: Mapping[str, Any], user: User | None) -> Source:
    named = [field for field in FILE_FIELDS if data.get(field) is not None]
    if named:
        raise ValidationError({named[0]: "an archived file is uploaded to its source (POST /api/v1/sources/{id}/file "
                                         "or the source form), never named by its digest"})
    assign(source, data, SOURCE_FIELDS)
    _check_publishing(source, data, user, (source.title, source.notes))
    save_restricted(source, data, user)
    return source


@transaction.atomic
def create_source(user: User | None, data: Mapping[str, Any]) -> Source:
    check_writer(user)
    return _save_source(Source(), data, user)


@transaction.atomic
def update_source(user: User | None, source: Source, data: Mapping[str, Any]) -> Source:
    check_writer(user)
    return _save_source(source, data, user)
