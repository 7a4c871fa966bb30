"""Deleting a visible record never removes a record the caller cannot see (finding 6), on the web and the API.

A delete marks the record deleted: it leaves every list, search and count for every caller, rows reached
through it go with it from view, and nothing is removed until an admin purges the trash.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from shelter.access.models import ApiToken, Team
from shelter.access.writes import delete_record, restore_record
from shelter.incidents.models import Incident, IncidentTarget
from shelter.registry.models import Person, PersonName, Relationship

pytestmark = pytest.mark.django_db


def _restricted(model, level: str, team: Team | None = None, **fields):  # type: ignore[no-untyped-def]
    record = model.objects.create(confidentiality=level, **fields)
    if team is not None:
        record.teams.add(team)
    return record


@pytest.fixture
def world(teams):  # type: ignore[no-untyped-def]
    """An internal person the editor (team alpha) sees, tied to a beta-confidential person by a
    beta-confidential relationship, and targeted by a beta-confidential incident."""
    visible = _restricted(Person, "internal", primary_name="Visible Person")
    PersonName.objects.create(person=visible, full_name="Visible Person")
    hidden = _restricted(Person, "confidential", teams["beta"], primary_name="Hidden Person")
    relationship = _restricted(Relationship, "confidential", teams["beta"], subject_person=visible,
                               object_person=hidden, kind="family")
    incident = _restricted(Incident, "confidential", teams["beta"], title="Hidden incident", tactic="detention",
                           date="2021")
    target = IncidentTarget.objects.create(incident=incident, person=visible)
    return {"visible": visible, "relationship": relationship, "incident": incident, "target": target}


def _kept(record) -> bool:  # type: ignore[no-untyped-def]
    return type(record)._base_manager.filter(pk=record.pk).exists()


def test_web_delete_keeps_hidden_relationships_and_targets(world, users):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["editor"])
    response = client.post(reverse("web:delete", args=["person", world["visible"].pk]))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=world["visible"].pk).exists()
    assert _kept(world["visible"]) and _kept(world["relationship"]) and _kept(world["target"])
    assert _kept(world["incident"])


def test_api_delete_keeps_hidden_relationships_and_targets(world, users):  # type: ignore[no-untyped-def]
    token = ApiToken.issue(users["editor"])
    response = Client().delete(f"/api/v1/people/{world['visible'].pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 204, response.content
    assert _kept(world["relationship"]) and _kept(world["target"])


def test_a_deleted_record_and_its_rows_leave_every_view_until_restored(world, users):  # type: ignore[no-untyped-def]
    person = world["visible"]
    delete_record(users["editor"], person)
    # Its names, its relationships and its targets go from view for everyone, admins included.
    assert not PersonName.objects.filter(person_id=person.pk).exists()
    assert not Relationship.objects.filter(pk=world["relationship"].pk).exists()
    assert not IncidentTarget.objects.filter(pk=world["target"].pk).exists()
    admin = users["admin"]
    assert not Person.objects.visible_to(admin).filter(pk=person.pk).exists()
    restore_record(admin, Person._base_manager.get(pk=person.pk))
    assert Person.objects.visible_to(users["editor"]).filter(pk=person.pk).exists()
    assert PersonName.objects.filter(person_id=person.pk).exists()
    reasons = list(person.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["restored", "deleted"]


def test_replacing_targets_keeps_the_hidden_ones(world, users, teams):  # type: ignore[no-untyped-def]
    """An editor who replaces an incident's targets only replaces the targets they can see."""
    from shelter.incidents.services import update_incident

    incident = _restricted(Incident, "internal", title="Visible incident", tactic="detention", date="2021",
                           origin_state="UZ", host_country="TR")
    hidden_person = _restricted(Person, "confidential", teams["beta"], primary_name="Hidden Target")
    hidden_target = IncidentTarget.objects.create(incident=incident, person=hidden_person)
    update_incident(users["editor"], incident, {"targets": [{"person": world["visible"].pk, "role": "target"}]})
    assert IncidentTarget.objects.filter(pk=hidden_target.pk).exists()
    assert set(incident.targets.values_list("person_id", flat=True)) == {hidden_person.pk, world["visible"].pk}


def test_a_hidden_record_cannot_be_deleted_by_id(world, users):  # type: ignore[no-untyped-def]
    token = ApiToken.issue(users["editor"])
    response = Client().delete(f"/api/v1/people/{world['relationship'].object_person_id}",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert json.loads(response.content)
    assert Person.objects.filter(pk=world["relationship"].object_person_id).exists()
