"""People (with their names), organisations and relationships."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Router

from shelter.access.visibility import members_only
from shelter.api import records
from shelter.api.auth import TOKEN_OR_ANONYMOUS
from shelter.api.listing import (
    FullText,
    LevelFilter,
    Limit,
    Offset,
    RecordIdFilter,
    choice,
    choice_filter,
    country_filter,
    level_filter,
    page,
)
from shelter.api.records import add_record_endpoints
from shelter.api.representations import (
    organisation_queryset,
    organisation_record,
    person_queryset,
    person_record,
    relationship_queryset,
    relationship_record,
)
from shelter.api.schemas import (
    OrganisationCreate,
    OrganisationIn,
    OrganisationOut,
    PersonCreate,
    PersonIn,
    PersonOut,
    RelationshipCreate,
    RelationshipIn,
    RelationshipOut,
)
from shelter.api.toolkit import Page
from shelter.incidents.services import set_citations
from shelter.registry import services
from shelter.registry.models import OrganisationKind, Person, RelationshipKind, StatusAbroad
from shelter.search.index import search

people = Router(tags=["people"])
organisations = Router(tags=["organisations"])
relationships = Router(tags=["relationships"])


StatusAbroadFilter = Annotated[str | None, choice(StatusAbroad.values)]
OrganisationKindFilter = Annotated[str | None, choice(OrganisationKind.values)]
RelationshipKindFilter = Annotated[str | None, choice(RelationshipKind.values)]


@people.get("", response=Page[PersonOut], auth=TOKEN_OR_ANONYMOUS)
def list_people(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                nationality: str | None = None, country_of_residence: str | None = None,
                status_abroad: StatusAbroadFilter = None, at_risk: bool | None = None,
                confidentiality: LevelFilter = None) -> dict[str, Any]:
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
        if "at_risk" in members_only(Person, viewer):
            raise ValidationError({"at_risk": "the at-risk filter needs a token: the flag is shown to signed-in "
                                              "callers only"})
        queryset = queryset.filter(at_risk=at_risk)
    queryset = level_filter(queryset, confidentiality)
    return page(queryset, q, limit, offset, person_record, viewer)






@organisations.get("", response=Page[OrganisationOut], auth=TOKEN_OR_ANONYMOUS)
def list_organisations(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                       kind: OrganisationKindFilter = None, country: str | None = None,
                       confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = organisation_queryset(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", OrganisationKind.values))
    if country:
        queryset = queryset.filter(country=country_filter(country, "country"))
    queryset = level_filter(queryset, confidentiality)
    return page(queryset, q, limit, offset, organisation_record, viewer)






@relationships.get("", response=Page[RelationshipOut], auth=TOKEN_OR_ANONYMOUS)
def list_relationships(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                       kind: RelationshipKindFilter = None, person: int | None = RecordIdFilter,
                       organisation: int | None = RecordIdFilter,
                       confidentiality: LevelFilter = None) -> dict[str, Any]:
    """``q`` finds relationships whose subject or object (person or organisation) matches."""
    viewer = records.caller(request)
    queryset = relationship_queryset(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", RelationshipKind.values))
    if person is not None:
        queryset = queryset.filter(Q(subject_person=person) | Q(object_person=person))
    if organisation is not None:
        queryset = queryset.filter(Q(subject_organisation=organisation) | Q(object_organisation=organisation))
    queryset = level_filter(queryset, confidentiality)
    if q.strip():
        # Relationships have no text of their own: match their ends. The relationship filter already
        # requires both ends to be visible, so matching on them reveals nothing hidden.
        matching_people = search(person_queryset(viewer), q).values("pk")
        matching_organisations = search(organisation_queryset(viewer), q).values("pk")
        queryset = queryset.filter(
            Q(subject_person__in=matching_people) | Q(object_person__in=matching_people)
            | Q(subject_organisation__in=matching_organisations) | Q(object_organisation__in=matching_organisations))
    return page(queryset, "", limit, offset, relationship_record, viewer)


add_record_endpoints(people, "person", person_queryset, person_record, PersonIn, PersonCreate, PersonOut,
                     services.create_person, services.update_person, cite=set_citations)
add_record_endpoints(organisations, "organisation", organisation_queryset, organisation_record, OrganisationIn,
                     OrganisationCreate, OrganisationOut, services.create_organisation, services.update_organisation, cite=set_citations)
add_record_endpoints(relationships, "relationship", relationship_queryset, relationship_record, RelationshipIn,
                     RelationshipCreate, RelationshipOut, services.create_relationship, services.update_relationship, cite=set_citations)
