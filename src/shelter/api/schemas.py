"""Request and response bodies of the API, as they appear in the OpenAPI document.

Inputs forbid unknown fields (a misspelt field is a 422 naming it, not silently dropped). PATCH takes the
``...In`` schema, where every field is optional (change only what is sent); POST takes its ``...Create`` variant,
which lists the fields a new record needs as required. Values are checked by the service functions, which name
the field in their errors; the choices they accept are declared here as enums.
"""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from shelter.api.toolkit import CitationIn, CitationOut, Restriction, StrictInput, choice_field, for_creating
from shelter.incidents.models import (
    Outcome,
    PerpetratorDegree,
    Reliability,
    SourceKind,
    TargetRole,
    Verification,
)
from shelter.registry.models import NameKind, OrganisationKind, RelationshipKind, Sex, StatusAbroad

CONFIRM_NAMES = ("true to save a public record whose title or text names a person its readers may not see "
                 "(without it such a write is a 422 naming the people, among those you may see)")


class PersonNameIn(StrictInput):
    full_name: str
    given_name: str = ""
    surname: str = ""
    patronymic: str = ""
    script: str = Field("", description="ISO 15924; detected from the name when empty")
    language: str = ""
    kind: str = choice_field(NameKind.values, "alias")


class PersonNameOut(Schema):
    full_name: str
    given_name: str
    surname: str
    patronymic: str
    script: str
    language: str
    kind: str


class PersonIn(Restriction):
    primary_name: str | None = None
    names: list[PersonNameIn] | None = Field(None, description="replaces all of the person's names when sent")
    dob: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    sex: str | None = choice_field(Sex.values)
    nationalities: list[str] | None = Field(None, description="ISO 3166-1 alpha-2 codes")
    country_of_residence: str | None = None
    status_abroad: str | None = choice_field(StatusAbroad.values)
    profile: list[str] | None = None
    at_risk: bool | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class PersonOut(Schema):
    id: int
    primary_name: str
    names: list[PersonNameOut]
    dob: str
    sex: str
    nationalities: list[str]
    country_of_residence: str
    status_abroad: str
    profile: list[str]
    at_risk: bool | None = Field(description="null for anonymous callers: shown to signed-in callers only")
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class OrganisationIn(Restriction):
    name: str | None = None
    aliases: list[str] | None = None
    kind: str | None = choice_field(OrganisationKind.values)
    country: str | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    aliases: list[str]
    kind: str
    country: str
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class RelationshipIn(Restriction):
    kind: str | None = choice_field(RelationshipKind.values)
    detail: str | None = None
    subject_person: int | None = None
    subject_organisation: int | None = None
    object_person: int | None = None
    object_organisation: int | None = None
    start: str | None = None
    end: str | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class RelationshipOut(Schema):
    id: int
    kind: str
    detail: str
    subject_person: int | None
    subject_organisation: int | None
    object_person: int | None
    object_organisation: int | None
    start: str
    end: str
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class SourceIn(Restriction):
    title: str | None = None
    kind: str | None = choice_field(SourceKind.values)
    url: str | None = Field(None, description="kept as text; Shelter never fetches it")
    publisher: str | None = None
    published_on: str | None = Field(None, description="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    reliability: str | None = choice_field(Reliability.values)
    notes: str | None = None
    confirm_names: bool | None = Field(None, description=CONFIRM_NAMES)


class SourceOut(Schema):
    id: int
    title: str
    kind: str
    url: str
    publisher: str
    published_on: str
    reliability: str
    notes: str
    file_sha256: str = Field(description="SHA-256 of the archived file, computed by Shelter from the uploaded "
                                         "bytes (upload it with POST /sources/{id}/file); empty when there is none")
    file_name: str
    file_size: int | None
    file_type: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None


class TargetIn(StrictInput):
    person: int
    role: str = choice_field(TargetRole.values, "target")


class TargetOut(Schema):
    person: int
    role: str


class PerpetratorIn(StrictInput):
    person: int | None = None
    organisation: int | None = None
    degree: str = choice_field(PerpetratorDegree.values, "suspected")


class PerpetratorOut(Schema):
    person: int | None
    organisation: int | None
    degree: str


class IncidentIn(Restriction):
    title: str | None = None
    tactic: str | None = Field(None, description="tactic code, or its English or Russian label")
    date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end_date: str | None = None
    origin_state: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the state that reached abroad")
    host_country: str | None = None
    place: str | None = None
    outcome: str | None = choice_field(Outcome.values)
    verification: str | None = choice_field(Verification.values)
    description: str | None = None
    targets: list[TargetIn] | None = Field(None, description="replaces the incident's targets when sent")
    perpetrators: list[PerpetratorIn] | None = None
    citations: list[CitationIn] | None = None
    confirm_names: bool | None = Field(None, description=CONFIRM_NAMES)


class IncidentOut(Schema):
    id: int
    title: str
    tactic: str
    date: str
    end_date: str
    year: int | None
    origin_state: str
    host_country: str
    place: str
    outcome: str
    verification: str
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    targets: list[TargetOut]
    perpetrators: list[PerpetratorOut]
    citations: list[CitationOut]


PersonCreate = for_creating(PersonIn, "primary_name")
OrganisationCreate = for_creating(OrganisationIn, "name")
RelationshipCreate = for_creating(RelationshipIn, "kind")
SourceCreate = for_creating(SourceIn, "title")
IncidentCreate = for_creating(IncidentIn, "title", "tactic", "date", "origin_state")
