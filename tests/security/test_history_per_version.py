"""History is filtered per version (finding 5): a caller sees a version's values, author and reason only if
they could have seen the record as it was at that version; the others show as "restricted change".
Anonymous visitors never see who changed a record.

Each record starts confidential in team beta with a secret title, then is opened up (made public and
published) under another title by the researcher (team beta).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shelter.access.history import RESTRICTED, history_of
from shelter.access.models import Team, User
from shelter.access.writes import save_audited
from shelter.incidents.models import Incident, Source
from shelter.notices.models import Notice
from shelter.registry.models import Person

pytestmark = pytest.mark.django_db

SECRET = "ZQSECRETWORDING"
OPEN = "Opened wording"


def _opened_up(record: Any, field: str, researcher: User, beta: Team) -> Any:
    """A record written confidential (team beta) with ``SECRET`` in ``field``, later made public."""
    setattr(record, field, SECRET)
    record.confidentiality = "confidential"
    save_audited(record, researcher, reason=f"{SECRET} reason")
    record.teams.set([beta])
    record = type(record).objects.get(pk=record.pk)  # opened up later, in another request
    setattr(record, field, OPEN)
    record.confidentiality, record.published = "public", True
    save_audited(record, researcher)
    return record


@pytest.fixture
def opened(users, teams) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    researcher, beta = users["researcher"], teams["beta"]
    return {
        "incident": _opened_up(Incident(tactic="detention", date="2021", origin_state="UZ"), "title", researcher,
                               beta),
        "person": _opened_up(Person(), "primary_name", researcher, beta),
        "source": _opened_up(Source(kind="report"), "title", researcher, beta),
        "notice": _opened_up(Notice(entity_id="2021/777", forename="Rustam", issuing_state="UZ"), "surname",
                             researcher, beta),
    }


def _page(user: User | None, record: Any) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200, record
    text = response.content.decode()
    return text[text.index('id="history"'):]


@pytest.mark.parametrize("kind", ["incident", "person", "source", "notice"])
def test_anonymous_history_hides_the_confidential_past_and_every_username(kind, opened, users):  # type: ignore[no-untyped-def]
    history = _page(None, opened[kind])
    assert SECRET not in history
    assert "researcher" not in history and "beta" not in history
    assert "restricted change" in history


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_members_outside_the_team_see_the_confidential_versions_as_restricted(role, opened, users):  # type: ignore[no-untyped-def]
    for kind, record in opened.items():
        history = _page(users[role], record)
        assert SECRET not in history, (kind, role)
        assert OPEN in history and "researcher" in history, (kind, role)  # the public version is theirs to see


def test_the_team_and_admins_see_every_version(opened, users):  # type: ignore[no-untyped-def]
    for role in ("researcher", "admin"):
        for kind, record in opened.items():
            history = _page(users[role], record)
            assert SECRET in history and "restricted change" not in history, (kind, role)


def test_entries_of_restricted_versions_carry_no_values_author_or_reason(opened, users):  # type: ignore[no-untyped-def]
    entries = history_of(opened["incident"], users["viewer"])
    hidden = [entry for entry in entries if entry.action == RESTRICTED]
    assert len(hidden) == 2  # written confidential, then filed in team beta
    assert all(entry.who == "" and entry.reason == "" and entry.changes == () for entry in hidden)
    opening = entries[0]
    assert opening.who == "researcher"
    shown = {change.field: (str(change.old), change.new) for change in opening.changes}
    assert shown["title"] == ("(restricted)", OPEN)
    assert history_of(opened["incident"], None)[0].who == ""


def test_a_restricted_version_cannot_be_reverted_to(opened, users):  # type: ignore[no-untyped-def]
    incident = opened["incident"]
    secret_version = incident.history.earliest().history_id
    client = Client()
    client.force_login(users["editor"])  # sees the incident now, but not as it was in team beta
    response = client.post(reverse("web:revert", args=["incident", incident.pk, secret_version]))
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.title == OPEN
