"""Every change is recorded with who and what; a record can be reverted to an earlier version."""

from __future__ import annotations

import pytest

from shelter.access.history import history_of, revert_to
from shelter.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_changes_are_recorded_and_revertible(users, teams):  # type: ignore[no-untyped-def]
    incident = Incident(title="Detention in Moscow", tactic="detention", date="2019", origin_state="TJ",
                        host_country="RU", confidentiality="internal")
    incident._history_user = users["editor"]
    incident.save()
    first_version = incident.history.latest().history_id
    incident.title = "Detention and deportation from Moscow"
    incident.outcome = "returned"
    incident._history_user = users["researcher"]
    incident.save()

    entries = history_of(incident, users["admin"])
    assert [e.action for e in entries] == ["changed", "created"]
    assert entries[0].who == "researcher" and entries[1].who == "editor"
    changed = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changed["title"] == ("Detention in Moscow", "Detention and deportation from Moscow")
    assert changed["outcome"] == ("unknown", "returned")

    revert_to(incident, first_version, users["admin"])
    incident.refresh_from_db()
    assert incident.title == "Detention in Moscow" and incident.outcome == "unknown"
    latest = history_of(incident, users["admin"])[0]
    version_date = incident.history.get(history_id=first_version).history_date
    assert latest.who == "admin" and latest.reason == f"reverted to the version of {version_date:%Y-%m-%d %H:%M} UTC"


def test_deletion_is_recorded(users):  # type: ignore[no-untyped-def]
    incident = Incident.objects.create(title="Threats", tactic="direct_threats", date="2020", origin_state="UZ")
    pk = incident.pk
    incident.delete()
    assert Incident.history.filter(id=pk, history_type="-").exists()


def test_revert_restores_case_teams(users, teams):  # type: ignore[no-untyped-def]
    incident = Incident.objects.create(title="Informant report", tactic="informant_infiltration", date="2022",
                                       origin_state="TM", confidentiality="confidential")
    incident.teams.add(teams["alpha"])
    version = incident.history.latest().history_id
    incident.teams.set([teams["beta"]])
    assert history_of(incident, users["admin"])[0].changes, "the change of teams is recorded"
    revert_to(incident, version, users["admin"])
    assert list(incident.teams.all()) == [teams["alpha"]]
