"""Records at every confidentiality level and an HTTP client that calls the API as any role."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.registry.models import Organisation, Person, PersonName
from shelter.search.index import index_records
from tests.access.test_visibility import EXPECTED

ROLES = [None, "admin", "editor", "researcher", "viewer", "viewer_public", "outsider"]

# Which of the fixture incidents each caller sees: the rules of shelter.access.visibility, as its tests state them.
VISIBLE = EXPECTED


@pytest.fixture
def records(teams):  # type: ignore[no-untyped-def]
    def restricted(model: Any, level: str, published: bool, team: str | None, **fields: Any) -> Any:
        record = model.objects.create(confidentiality=level, published=published, **fields)
        if team:
            record.teams.add(teams[team])
        return record

    made: dict[str, Any] = {}
    for key, level, published, team, tactic, origin, host, year in (
        ("public_published", "public", True, None, "detention", "UZ", "TR", 2019),
        ("public_draft", "public", False, None, "red_notice", "TJ", "RU", 2020),
        ("internal", "internal", False, None, "detention", "UZ", "RU", 2021),
        ("confidential_alpha", "confidential", False, "alpha", "spyware", "UZ", "DE", 2022),
        ("confidential_beta", "confidential", False, "beta", "assault", "TM", "TR", 2023),
    ):
        made[key] = restricted(Incident, level, published, team, title=f"Incident {key}", tactic=tactic,
                               date=f"{year}-05", origin_state=origin, host_country=host,
                               description=f"Detained in Istanbul ({key})")
    made["person_public"] = restricted(Person, "public", True, None, primary_name="Alisher Usmanov",
                                       nationalities=["UZ"])
    PersonName.objects.create(person=made["person_public"], full_name="Алишер Усманов")
    made["person_secret"] = restricted(Person, "confidential", False, "beta", primary_name="Hidden Witness")
    made["agency"] = restricted(Organisation, "public", True, None, name="State Security Service", kind="security_service",
                                country="UZ")
    made["source_public"] = restricted(Source, "public", False, None, title="Court record", kind="court_record")
    made["source_secret"] = restricted(Source, "confidential", False, "beta", title="Witness testimony",
                                       kind="testimony")
    incident = made["public_published"]
    IncidentTarget.objects.create(incident=incident, person=made["person_public"])
    IncidentTarget.objects.create(incident=incident, person=made["person_secret"], role="relative")
    IncidentPerpetrator.objects.create(incident=incident, organisation=made["agency"], degree="direct")
    Citation.objects.create(source=made["source_public"], incident=incident, locator="p. 3")
    Citation.objects.create(source=made["source_secret"], incident=incident, locator="para 2")
    for kind in ("incident", "person", "organisation", "source"):
        index_records(kind)
    return made


Call = Callable[..., Any]


@pytest.fixture
def call(users) -> Call:  # type: ignore[no-untyped-def]
    """``call(role, method, path, body=None, token=None)`` -> response; role None is anonymous."""
    tokens = {role: ApiToken.issue(user) for role, user in users.items()}

    def request(role: str | None, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = {}
        if role is not None or token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token or tokens[role]}"  # type: ignore[index]
        client = Client()
        url = path if path.startswith("/") else f"/api/v1/{path}"
        data = json.dumps(body) if body is not None else None
        return getattr(client, method.lower())(url, data=data, content_type="application/json", **headers)

    return request
