"""Records at every confidentiality level around public hubs, for the network tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

LEVELS = ("PUBLISHED", "DRAFT", "INTERNAL", "ALPHA", "BETA")
ROLES = ("anonymous", "viewer_public", "viewer", "researcher", "editor", "outsider", "admin")
# Written out independently of the code under test (users from tests/conftest.py).
SEES: dict[str, set[str]] = {
    "anonymous": {"PUBLISHED"},
    "viewer_public": {"PUBLISHED", "DRAFT"},
    "viewer": {"PUBLISHED", "DRAFT", "INTERNAL"},
    "researcher": {"PUBLISHED", "DRAFT", "INTERNAL", "BETA"},
    "editor": {"PUBLISHED", "DRAFT", "INTERNAL", "ALPHA"},
    "outsider": {"PUBLISHED", "DRAFT", "INTERNAL"},
    "admin": set(LEVELS),
}
HOSTS = {"PUBLISHED": "DE", "DRAFT": "TR", "INTERNAL": "RU", "ALPHA": "FR", "BETA": "PL"}


def level_fields(level: str) -> dict[str, Any]:
    return {
        "PUBLISHED": {"confidentiality": "public", "published": True},
        "DRAFT": {"confidentiality": "public", "published": False},
        "INTERNAL": {"confidentiality": "internal"},
        "ALPHA": {"confidentiality": "confidential"},
        "BETA": {"confidentiality": "confidential"},
    }[level]


@dataclass
class Levels:
    hub: dict[str, Any]
    people: dict[str, Any]
    organisations: dict[str, Any]
    incidents: dict[str, Any]
    relationships: dict[str, Any]
    sources: dict[str, Any]


@pytest.fixture
def levels(teams) -> Levels:  # type: ignore[no-untyped-def]
    """A public agency (UZ) and a public handler; per level a person informing for the handler, an
    organisation, an incident perpetrated by the agency and targeting the person, a relationship between the
    hubs and a source cited on the hub relationship."""
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.registry.models import Organisation, Person, Relationship

    published = level_fields("PUBLISHED")
    agency = Organisation.objects.create(name="HUB agency", kind="security_service", country="UZ", **published)
    handler = Person.objects.create(primary_name="HUB handler", **published)
    friend = Person.objects.create(primary_name="HUB friend", **published)
    employed = Relationship.objects.create(kind="employed_by", detail="handler", subject_person=handler,
                                           object_organisation=agency, start="2015", **published)
    hub = {"agency": agency, "handler": handler, "friend": friend, "employed": employed}
    made = Levels(hub, {}, {}, {}, {}, {})
    for index, level in enumerate(LEVELS):
        fields = level_fields(level)
        person = Person.objects.create(primary_name=f"ZQPER{level}", **fields)
        organisation = Organisation.objects.create(name=f"ZQORG{level}", kind="embassy", country="UZ", **fields)
        incident = Incident.objects.create(title=f"ZQINC{level}", tactic="detention", date=f"{2016 + index}-03",
                                           origin_state="UZ", host_country=HOSTS[level], **fields)
        relationship = Relationship.objects.create(kind="associate", detail=f"ZQREL{level}", subject_person=handler,
                                                   object_person=friend, **fields)
        source = Source.objects.create(title=f"ZQSRC{level}", reliability="high", **fields)
        for record in (person, organisation, incident, relationship, source):
            if level in ("ALPHA", "BETA"):
                record.teams.add(teams[level.lower()])
        Relationship.objects.create(kind="informant_for", detail="source", subject_person=person,
                                    object_person=handler, **published)
        Relationship.objects.create(kind="member_of", subject_person=person, object_organisation=organisation,
                                    **published)
        IncidentTarget.objects.create(incident=incident, person=friend)
        IncidentPerpetrator.objects.create(incident=incident, organisation=agency, degree="direct")
        Citation.objects.create(source=source, relationship=employed, locator=f"p. {index}")
        made.people[level], made.organisations[level], made.incidents[level] = person, organisation, incident
        made.relationships[level], made.sources[level] = relationship, source
    return made


@pytest.fixture
def viewers(users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    return {role: AnonymousUser() if role == "anonymous" else users[role] for role in ROLES}
