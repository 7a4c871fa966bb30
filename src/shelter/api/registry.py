"""People (with their names), organisations and relationships."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from shelter.access.models import Confidentiality
from shelter.api import records
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS
from shelter.api.listing import MAX_LIMIT, choice_filter, country_filter, page
from shelter.api.representations import (
    organisation_queryset,
    organisation_record,
    person_queryset,
    person_record,
    relationship_queryset,
    relationship_record,
)
from shelter.api.schemas import (
    OrganisationIn,
    OrganisationOut,
    Page,
    PersonIn,
    PersonOut,
    RelationshipIn,
    RelationshipOut,
)
from shelter.registry import services
from shelter.registry.models import OrganisationKind, RelationshipKind, StatusAbroad
from shelter.search.index import search

people = Router(tags=["people"])
organisations = Router(tags=["organisations"])
relationships = Router(tags=["relationships"])

Limit = Query(50, description=f"page size, 1-{MAX_LIMIT}")
Offset = Query(0, description="records to skip")
FullText = Query("", description="full-text search (every word as a prefix; Cyrillic and Latin find each other)")


@people.get("", response=Page[PersonOut], auth=TOKEN_OR_ANONYMOUS)
def list_people(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                nationality: str | None = None, country_of_residence: str | None = None,
                status_abroad: str | None = None, at_risk: bool | None = None,
                confidentiality: str | None = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = person_queryset(viewer)
    if nationality:
        code = country_filter(nationality, "nationality")
        # JSON containment is not portable to SQLite, so match the quoted code inside the stored list.
        queryset = queryset.filter(nationalities__icontains=f'"{code}"')
    if country_of_residence:
        queryset = queryset.filter(country_of_residence=country_filter(country_of_residence, "country_of_residence"))
    if status_abroad is not None:
        queryset = queryset.filter(status_abroad=choice_filter(status_abroad, "status_abroad", StatusAbroad.values))
    if at_risk is not None:
        queryset = queryset.filter(at_risk=at_risk)
    if confidentiality:
        queryset = queryset.filter(
            confidentiality=choice_filter(confidentiality, "confidentiality", Confidentiality.values))
    return page(queryset, q, limit, offset, person_record, viewer)


@people.get("/{person_id}", response=PersonOut, auth=TOKEN_OR_ANONYMOUS)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return records.read_one(request, person_queryset, person_record, person_id)


@people.post("", response={201: PersonOut}, auth=TOKEN)
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, dict[str, Any]]:
    return records.create(request, payload, services.create_person, person_queryset, person_record, cited=True)


@people.patch("/{person_id}", response=PersonOut, auth=TOKEN)
def change_person(request: HttpRequest, person_id: int, payload: PersonIn) -> dict[str, Any]:
    return records.change(request, payload, person_id, services.update_person, person_queryset, person_record,
                          cited=True)


@people.delete("/{person_id}", response={204: None}, auth=TOKEN)
def delete_person(request: HttpRequest, person_id: int) -> tuple[int, None]:
    return records.remove(request, person_queryset, person_id)


@organisations.get("", response=Page[OrganisationOut], auth=TOKEN_OR_ANONYMOUS)
def list_organisations(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                       kind: str | None = None, country: str | None = None,
                       confidentiality: str | None = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = organisation_queryset(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", OrganisationKind.values))
    if country:
        queryset = queryset.filter(country=country_filter(country, "country"))
    if confidentiality:
        queryset = queryset.filter(
            confidentiality=choice_filter(confidentiality, "confidentiality", Confidentiality.values))
    return page(queryset, q, limit, offset, organisation_record, viewer)


@organisations.get("/{organisation_id}", response=OrganisationOut, auth=TOKEN_OR_ANONYMOUS)
def get_organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return records.read_one(request, organisation_queryset, organisation_record, organisation_id)


@organisations.post("", response={201: OrganisationOut}, auth=TOKEN)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> tuple[int, dict[str, Any]]:
    return records.create(request, payload, services.create_organisation, organisation_queryset,
                          organisation_record, cited=True)


@organisations.patch("/{organisation_id}", response=OrganisationOut, auth=TOKEN)
def change_organisation(request: HttpRequest, organisation_id: int, payload: OrganisationIn) -> dict[str, Any]:
    return records.change(request, payload, organisation_id, services.update_organisation, organisation_queryset,
                          organisation_record, cited=True)


@organisations.delete("/{organisation_id}", response={204: None}, auth=TOKEN)
def delete_organisation(request: HttpRequest, organisation_id: int) -> tuple[int, None]:
    return records.remove(request, organisation_queryset, organisation_id)


@relationships.get("", response=Page[RelationshipOut], auth=TOKEN_OR_ANONYMOUS)
def list_relationships(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                       kind: str | None = None, person: int | None = None, organisation: int | None = None,
                       confidentiality: str | None = None) -> dict[str, Any]:
    """``q`` finds relationships whose subject or object (person or organisation) matches."""
    viewer = records.caller(request)
    queryset = relationship_queryset(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", RelationshipKind.values))
    if person is not None:
        queryset = queryset.filter(Q(subject_person=person) | Q(object_person=person))
    if organisation is not None:
        queryset = queryset.filter(Q(subject_organisation=organisation) | Q(object_organisation=organisation))
    if confidentiality:
        queryset = queryset.filter(
            confidentiality=choice_filter(confidentiality, "confidentiality", Confidentiality.values))
    if q.strip():
        # Relationships have no text of their own: match their ends. The relationship filter already
        # requires both ends to be visible, so matching on them reveals nothing hidden.
        matching_people = search(person_queryset(viewer), q).values("pk")
        matching_organisations = search(organisation_queryset(viewer), q).values("pk")
        queryset = queryset.filter(
            Q(subject_person__in=matching_people) | Q(object_person__in=matching_people)
            | Q(subject_organisation__in=matching_organisations) | Q(object_organisation__in=matching_organisations))
    return page(queryset, "", limit, offset, relationship_record, viewer)


@relationships.get("/{relationship_id}", response=RelationshipOut, auth=TOKEN_OR_ANONYMOUS)
def get_relationship(request: HttpRequest, relationship_id: int) -> dict[str, Any]:
    return records.read_one(request, relationship_queryset, relationship_record, relationship_id)


@relationships.post("", response={201: RelationshipOut}, auth=TOKEN)
def create_relationship(request: HttpRequest, payload: RelationshipIn) -> tuple[int, dict[str, Any]]:
    return records.create(request, payload, services.create_relationship, relationship_queryset,
                          relationship_record, cited=True)


@relationships.patch("/{relationship_id}", response=RelationshipOut, auth=TOKEN)
def change_relationship(request: HttpRequest, relationship_id: int, payload: RelationshipIn) -> dict[str, Any]:
    return records.change(request, payload, relationship_id, services.update_relationship, relationship_queryset,
                          relationship_record, cited=True)


@relationships.delete("/{relationship_id}", response={204: None}, auth=TOKEN)
def delete_relationship(request: HttpRequest, relationship_id: int) -> tuple[int, None]:
    return records.remove(request, relationship_queryset, relationship_id)
