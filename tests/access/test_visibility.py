"""The visibility filter's rules, on direct and dependent records."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from shelter.access.visibility import is_visible, visible_to
from shelter.incidents.models import Incident, IncidentTarget
from shelter.registry.models import Person, PersonName

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(teams):  # type: ignore[no-untyped-def]
    def incident(title: str, level: str, published: bool = False, team: str | None = None) -> Incident:
        record = Incident.objects.create(title=title, tactic="detention", date="2019-05", origin_state="UZ",
                                         host_country="TR", confidentiality=level, published=published)
        if team:
            record.teams.add(teams[team])
        return record

    return {
        "public_published": incident("pp", "public", published=True),
        "public_draft": incident("pd", "public"),
        "internal": incident("in", "internal"),
        "confidential_alpha": incident("ca", "confidential", team="alpha"),
        "confidential_beta": incident("cb", "confidential", team="beta"),
    }


EXPECTED = {
    None: {"public_published"},
    "admin": {"public_published", "public_draft", "internal", "confidential_alpha", "confidential_beta"},
    "editor": {"public_published", "public_draft", "internal", "confidential_alpha"},
    "researcher": {"public_published", "public_draft", "internal", "confidential_beta"},
    "viewer": {"public_published", "public_draft", "internal"},
    "viewer_public": {"public_published", "public_draft"},
    "outsider": {"public_published", "public_draft", "internal"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_incident_visibility_by_role(who, users, records):  # type: ignore[no-untyped-def]
    user = users[who] if who else AnonymousUser()
    visible = set(visible_to(Incident.objects.all(), user).values_list("title", flat=True))
    names = {records[key].title for key in EXPECTED[who]}
    assert visible == names
    for key, record in records.items():
        assert is_visible(record, user) == (key in EXPECTED[who])


def test_dependent_rows_follow_every_parent(users, records, teams):  # type: ignore[no-untyped-def]
    secret = Person.objects.create(primary_name="Hidden Person", confidentiality="confidential")
    secret.teams.add(teams["beta"])
    PersonName.objects.create(person=secret, full_name="Скрытый Человек")
    IncidentTarget.objects.create(incident=records["public_published"], person=secret)
    viewer = users["viewer"]
    assert not visible_to(PersonName.objects.all(), viewer).exists()
    # the incident is visible, but its link to a person the viewer may not see is not
    assert not visible_to(IncidentTarget.objects.all(), viewer).exists()
    assert visible_to(IncidentTarget.objects.all(), users["researcher"]).count() == 1
    assert not visible_to(IncidentTarget.objects.all(), AnonymousUser()).exists()


def test_team_membership_does_not_duplicate_rows(users, records, teams):  # type: ignore[no-untyped-def]
    records["confidential_alpha"].teams.add(teams["beta"])
    users["editor"].teams.add(teams["beta"])
    titles = list(visible_to(Incident.objects.all(), users["editor"]).values_list("title", flat=True))
    assert len(titles) == len(set(titles))
