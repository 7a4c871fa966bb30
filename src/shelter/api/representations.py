"""How records look outside Shelter: the API's items and the JSON export share these dictionaries.

Every related list (names aside, which live and die with their person) is read through the visibility
filter, so a visible incident never reveals a hidden target, perpetrator or source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models import Prefetch

from shelter.access.visibility import Viewer, members_only, visible_to
from shelter.incidents.evidence import FILE_FIELDS
from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.incidents.services import INCIDENT_FIELDS, SOURCE_FIELDS
from shelter.registry.models import Organisation, Person, Relationship
from shelter.registry.services import ORGANISATION_FIELDS, PERSON_FIELDS, RELATIONSHIP_FIELDS

Record = dict[str, Any]


def _shows_teams(viewer: Viewer) -> bool:
    # Case-team names are internal working detail: signed-in users see them, anonymous visitors do not.
    return viewer is not None and viewer.is_authenticated


def _restriction(record: Any, viewer: Viewer) -> Record:
    data: Record = {"confidentiality": record.confidentiality, "published": record.published}
    if _shows_teams(viewer):
        data["teams"] = sorted(team.name for team in record.teams.all())
    return data


def _citations(record: Any) -> list[Record]:
    return [{"source": c.source_id, "locator": c.locator} for c in record.citations.all()]


def _visible_citations(viewer: Viewer) -> Prefetch:
    return Prefetch("citations", queryset=visible_to(Citation.objects.order_by("pk"), viewer))


def _teams(viewer: Viewer) -> tuple[str, ...]:
    return ("teams",) if _shows_teams(viewer) else ()


def _cited(model: type[models.Model], viewer: Viewer, *related: str) -> models.QuerySet[Any]:
    """Visible records of ``model`` with their visible citations (and teams, for signed-in callers)."""
    return visible_to(model._default_manager.all(), viewer).prefetch_related(
        *related, _visible_citations(viewer), *_teams(viewer))


def person_queryset(viewer: Viewer) -> models.QuerySet[Person]:
    return _cited(Person, viewer, "names")


def _values(record: Any, fields: Iterable[str]) -> Record:
    """The named fields of ``record``; a link is given as the linked record's id (``subject_person`` -> 17)."""
    values: Record = {}
    for field in fields:
        values[field] = getattr(record, f"{field}_id" if field in _LINK_FIELDS else field)
    return values


_LINK_FIELDS = frozenset({"subject_person", "subject_organisation", "object_person", "object_organisation"})
_NAME_FIELDS = ("full_name", "given_name", "surname", "patronymic", "script", "language", "kind")


def person_record(person: Person, viewer: Viewer) -> Record:
    hidden = members_only(Person, viewer)
    return {
        "id": person.pk,
        **_values(person, PERSON_FIELDS),
        **dict.fromkeys(hidden),  # null: the at-risk flag is for signed-in callers only
        "names": [_values(name, _NAME_FIELDS) for name in person.names.all()],
        **_restriction(person, viewer),
        "citations": _citations(person),
    }


def organisation_queryset(viewer: Viewer) -> models.QuerySet[Organisation]:
    return _cited(Organisation, viewer)


def organisation_record(organisation: Organisation, viewer: Viewer) -> Record:
    return {"id": organisation.pk, **_values(organisation, ORGANISATION_FIELDS),
            **_restriction(organisation, viewer), "citations": _citations(organisation)}


def relationship_queryset(viewer: Viewer) -> models.QuerySet[Relationship]:
    return _cited(Relationship, viewer)


def relationship_record(relationship: Relationship, viewer: Viewer) -> Record:
    return {"id": relationship.pk, **_values(relationship, RELATIONSHIP_FIELDS + tuple(sorted(_LINK_FIELDS))),
            **_restriction(relationship, viewer),
            "citations": _citations(relationship)}


def source_queryset(viewer: Viewer) -> models.QuerySet[Source]:
    return visible_to(Source.objects.all(), viewer).prefetch_related(*_teams(viewer))


def source_record(source: Source, viewer: Viewer) -> Record:
    return {"id": source.pk, **_values(source, SOURCE_FIELDS + FILE_FIELDS), **_restriction(source, viewer)}


def incident_queryset(viewer: Viewer) -> models.QuerySet[Incident]:
    return visible_to(Incident.objects.all(), viewer).prefetch_related(
        Prefetch("targets", queryset=visible_to(IncidentTarget.objects.order_by("pk"), viewer)),
        Prefetch("perpetrators", queryset=visible_to(IncidentPerpetrator.objects.order_by("pk"), viewer)),
        _visible_citations(viewer),
        *_teams(viewer),
    )


def incident_record(incident: Incident, viewer: Viewer) -> Record:
    return {
        "id": incident.pk,
        **_values(incident, INCIDENT_FIELDS),
        "year": incident.year,
        **_restriction(incident, viewer),
        "targets": [{"person": t.person_id, "role": t.role} for t in incident.targets.all()],
        "perpetrators": [
            {"person": p.person_id, "organisation": p.organisation_id, "degree": p.degree}
            for p in incident.perpetrators.all()
        ],
        "citations": _citations(incident),
    }


# JSON export key -> (visible queryset with prefetches, record builder), in an order that lets an import
# resolve every reference to a record it has already created.
COLLECTIONS: dict[str, tuple[Callable[[Viewer], models.QuerySet[Any]], Callable[[Any, Viewer], Record]]] = {
    "sources": (source_queryset, source_record),
    "persons": (person_queryset, person_record),
    "organisations": (organisation_queryset, organisation_record),
    "relationships": (relationship_queryset, relationship_record),
    "incidents": (incident_queryset, incident_record),
}
