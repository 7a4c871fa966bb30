"""Case-team pickers (finding 10): a non-admin is offered only the teams they belong to, on every record form,
new or existing; saving keeps the record's other teams as they were. Admins are offered every team."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from shelter.incidents.models import Incident, Source
from shelter.registry.models import Organisation, Person, Relationship

pytestmark = pytest.mark.django_db

TEAM_BOX = re.compile(r'name="(?:[\w-]+-)?teams" value="(\d+)"')


@pytest.fixture
def shared(teams):  # type: ignore[no-untyped-def]
    """Records of both teams: the editor (alpha) sees them through alpha."""
    person = Person.objects.create(primary_name="Shared Person", confidentiality="confidential")
    other = Person.objects.create(primary_name="Other Person", confidentiality="internal")
    found = {
        "incidents:edit": Incident.objects.create(title="Shared", tactic="detention", date="2021", origin_state="UZ",
                                                  confidentiality="confidential"),
        "registry:person_edit": person,
        "registry:organisation_edit": Organisation.objects.create(name="Shared Organisation", kind="embassy",
                                                                  confidentiality="confidential"),
        "incidents:source_edit": Source.objects.create(title="Shared Source", confidentiality="confidential"),
        "registry:relationship_edit": Relationship.objects.create(kind="family", subject_person=other,
                                                                  object_person=person, confidentiality="confidential"),
    }
    for record in found.values():
        record.teams.set([teams["alpha"], teams["beta"]])
    return found


def _offered(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return set(TEAM_BOX.findall(response.content.decode()))


def test_pickers_offer_only_the_editors_own_teams(shared, users, teams):  # type: ignore[no-untyped-def]
    editor, admin = Client(), Client()
    editor.force_login(users["editor"])
    admin.force_login(users["admin"])
    alpha, beta = str(teams["alpha"].pk), str(teams["beta"].pk)
    new_forms = ["incidents:new", "registry:person_new", "registry:organisation_new", "incidents:source_new",
                 "registry:relationship_new"]
    for name in new_forms:
        assert _offered(editor, reverse(name)) == {alpha}, name
        assert _offered(admin, reverse(name)) == {alpha, beta}, name
    for name, record in shared.items():
        assert _offered(editor, reverse(name, args=[record.pk])) == {alpha}, name
        assert _offered(admin, reverse(name, args=[record.pk])) == {alpha, beta}, name


def test_a_picker_without_teams_offers_none(users):  # type: ignore[no-untyped-def]
    outsider = Client()
    outsider.force_login(users["outsider"])  # an editor in no team
    assert _offered(outsider, reverse("registry:person_new")) == set()


def test_saving_keeps_the_teams_outside_the_editors_reach(shared, users, teams):  # type: ignore[no-untyped-def]
    editor = Client()
    editor.force_login(users["editor"])
    organisation = shared["registry:organisation_edit"]
    response = editor.post(reverse("registry:organisation_edit", args=[organisation.pk]), {
        "name": "Renamed Organisation", "kind": "embassy", "country": "", "confidentiality": "confidential",
        "teams": [teams["alpha"].pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation.refresh_from_db()
    assert organisation.name == "Renamed Organisation"
    assert set(organisation.teams.all()) == {teams["alpha"], teams["beta"]}
