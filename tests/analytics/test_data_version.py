"""Kept figures follow every write path, including the bulk ones that bypass the ORM's signals, and are
shared only between readers who see the same incidents."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.django_db

IMPORTED = """title,date,tactic,origin_state,host_country,confidentiality,published
Deported from Istanbul,2019-05-12,unlawful_deportation,UZ,TR,public,yes
Detained in Moscow,2020,detention,UZ,RU,public,yes
Threats by phone,2021-03,threats_to_relatives,UZ,DE,internal,no
"""


def _public_total() -> int:
    from shelter.analytics.services import Audience, IncidentFilters, figures_for

    return figures_for(Audience(None, public=True), IncidentFilters(states=("UZ",))).total


def _direct_public_total() -> int:
    from shelter.incidents.models import Incident

    return Incident.objects.filter(origin_state="UZ").visible_to(None).count()


def test_every_write_path_moves_the_version_and_the_kept_figures_follow(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from shelter.analytics import data_version
    from shelter.cli import main
    from shelter.incidents.models import Incident

    versions = [data_version.current(connection)]

    def check() -> None:
        assert _public_total() == _direct_public_total()
        versions.append(data_version.current(connection))
        assert versions[-1] != versions[-2]

    assert _public_total() == _direct_public_total()
    # `shelter import` writes with executemany, past save() and its signals.
    source = tmp_path / "incidents.csv"
    source.write_text(IMPORTED, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    check()
    # A queryset update neither calls save() nor touches `modified`.
    Incident.objects.filter(origin_state="UZ", confidentiality="public", published=True).update(published=False)
    check()
    Incident.objects.filter(origin_state="UZ", confidentiality="public").update(published=True)
    check()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_incident_teams")
        cursor.execute("DELETE FROM incidents_incident WHERE title = 'Deported from Istanbul'")
    check()
    assert len(set(versions)) == len(versions)


def test_kept_figures_are_shared_by_readers_who_see_the_same_incidents(workspace, users, teams) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import User
    from shelter.analytics.services import Audience, IncidentFilters, figures_for, visibility_class

    twin = User.objects.create_user("editor-twin", password="correct-horse-battery", role="editor",
                                    clearance=users["editor"].clearance)
    twin.teams.add(*users["editor"].teams.all())
    assert visibility_class(twin) == visibility_class(users["editor"])
    assert visibility_class(users["researcher"]) != visibility_class(users["editor"])  # other team
    assert visibility_class(users["viewer"]) != visibility_class(users["editor"])  # other clearance
    assert visibility_class(None) == "public"
    figures = figures_for(Audience(users["editor"]), IncidentFilters())
    assert figures_for(Audience(twin), IncidentFilters()) == figures
    # Joining a team changes what the reader sees: the kept figures are not theirs any more.
    twin.teams.add(teams["beta"])
    assert figures_for(Audience(twin), IncidentFilters()).total > figures.total


def test_triggers_and_indexes_come_back_after_a_migration_drops_them(db) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    from shelter.analytics import data_version
    from shelter.incidents.models import Incident

    assert (data_version.INCIDENTS, data_version.INCIDENT_TEAMS) == (
        Incident._meta.db_table, Incident.teams.through._meta.db_table)

    def installed() -> set[str]:
        with connection.cursor() as cursor:
            triggers = connection.introspection.get_constraints(cursor, data_version.INCIDENTS)
        return {name for name in triggers if name in data_version.COUNTING_INDEXES}

    assert installed() == set(data_version.COUNTING_INDEXES)
    before = data_version.current(connection)
    # What a table rebuild by a later migration leaves behind: no triggers, no counting indexes.
    data_version.uninstall(connection)
    assert installed() == set()
    post_migrate.send(sender=apps.get_app_config("analytics"), app_config=apps.get_app_config("analytics"),
                      verbosity=0, interactive=False, using="default", apps=apps, plan=[])
    assert installed() == set(data_version.COUNTING_INDEXES)
    after = data_version.current(connection)
    assert after is not None and after != before  # a new random part: figures kept before cannot be reused
    Incident.objects.create(title="Counted", tactic="phishing", date="2020", origin_state="UZ")
    assert data_version.current(connection) != after
