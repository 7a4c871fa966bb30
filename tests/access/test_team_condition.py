"""The case-team condition of the visibility filter (a correlated EXISTS on the record's team rows) keeps exactly
the rows of the rule: over every combination of level, publication, case teams and deletion, for users of every
clearance and team membership, on the record itself and on rows reached through it (a person's names, an
incident's targets), the filter's rows equal both the rule evaluated in Python and the earlier ``pk IN (team
rows)`` form of the condition."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from shelter.access.models import CONFIDENTIALITY_RANK, Team, User
from shelter.access.visibility import visible_to
from shelter.incidents.models import Incident, IncidentTarget
from shelter.registry.models import Person, PersonName

pytestmark = pytest.mark.django_db

LEVELS = ("public", "internal", "confidential")
TEAM_SETS = ((), ("a",), ("b",), ("a", "b"), ("c",))


def _rule(user: Any, level: str, published: bool, teams: set[str], deleted: bool) -> bool:
    if deleted:
        return False
    if not user.is_authenticated:
        return level == "public" and published
    if user.is_shelter_admin:
        return True
    if CONFIDENTIALITY_RANK[level] > CONFIDENTIALITY_RANK[user.clearance]:  # type: ignore[index]
        return False
    return level != "confidential" or bool(teams & {team.name for team in user.teams.all()})


def _in_form(user: Any, prefix: str = "") -> Q:
    """The condition as it was written before the EXISTS: ``pk IN (the records filed under the user's teams)``."""
    if not user.is_authenticated:
        return Q(**{f"{prefix}deleted__isnull": True, f"{prefix}confidentiality": "public",
                    f"{prefix}published": True})
    if user.is_shelter_admin:
        return Q(**{f"{prefix}deleted__isnull": True})
    levels = [level for level in LEVELS if CONFIDENTIALITY_RANK[level] <= CONFIDENTIALITY_RANK[user.clearance]]  # type: ignore[index]
    user_teams = User.teams.through.objects.filter(user_id=user.pk).values("team_id")
    filed = Person.teams.through.objects.filter(team_id__in=user_teams).values("person_id")
    return (Q(**{f"{prefix}deleted__isnull": True, f"{prefix}confidentiality__in": levels})
            & (~Q(**{f"{prefix}confidentiality": "confidential"}) | Q(**{f"{prefix}pk__in": filed})))


@pytest.fixture
def crafted() -> dict[str, Any]:
    teams = {name: Team.objects.create(name=name) for name in "abc"}
    expected_of: dict[int, tuple[str, bool, set[str], bool]] = {}
    incident = Incident.objects.create(title="shared", tactic="detention", date="2020", origin_state="UZ",
                                       host_country="TR", confidentiality="public", published=True)
    for number, (level, published, team_set, deleted) in enumerate(
            itertools.product(LEVELS, (True, False), TEAM_SETS, (False, True))):
        person = Person.objects.create(primary_name=f"Person {number}", confidentiality=level, published=published)
        person.teams.set([teams[name] for name in team_set])
        PersonName.objects.create(person=person, full_name=f"Name {number}")
        IncidentTarget.objects.create(incident=incident, person=person)
        if deleted:
            Person._base_manager.filter(pk=person.pk).update(deleted=timezone.now())
        expected_of[person.pk] = (level, published, set(team_set), deleted)
    users: list[Any] = [AnonymousUser()]
    for role, clearance in itertools.product(("admin", "editor", "viewer"), LEVELS):
        for team_set in TEAM_SETS[:4]:
            user = User.objects.create(username=f"{role}-{clearance}-{''.join(team_set) or 'none'}", role=role,
                                       clearance=clearance)
            user.teams.set([teams[name] for name in team_set])
            users.append(user)
    return {"people": expected_of, "users": users}


def test_exists_condition_keeps_the_rows_of_the_rule_and_of_the_in_form(crafted):  # type: ignore[no-untyped-def]
    people = crafted["people"]
    everyone = Person._base_manager.all()
    for user in crafted["users"]:
        by_rule = {pk for pk, facts in people.items() if _rule(user, *facts)}
        assert set(visible_to(everyone, user).values_list("pk", flat=True)) == by_rule, user
        assert set(everyone.filter(_in_form(user)).values_list("pk", flat=True)) == by_rule, user
        names = PersonName._base_manager.all()
        assert set(visible_to(names, user).values_list("person_id", flat=True)) == by_rule, user
        assert set(names.filter(_in_form(user, "person__")).values_list("person_id", flat=True)) == by_rule, user
        targets = IncidentTarget._base_manager.all()
        assert set(visible_to(targets, user).values_list("person_id", flat=True)) == by_rule, user
        counted = visible_to(everyone, user).count()
        assert counted == len(by_rule), user  # no row repeated by a user or a record in several teams


def test_some_users_see_some_confidential_people_and_not_others(crafted):  # type: ignore[no-untyped-def]
    """The crafted set exercises the team condition: a member of one team sees a strict, non-empty part of the
    confidential people."""
    people = crafted["people"]
    member = User.objects.get(username="editor-confidential-a")
    seen = set(visible_to(Person.objects.all(), member).values_list("pk", flat=True))
    confidential = {pk for pk, (level, _, _, deleted) in people.items() if level == "confidential" and not deleted}
    assert 0 < len(seen & confidential) < len(confidential)
