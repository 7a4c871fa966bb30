"""Every figure equals a direct count from the database, for every role and for the public version."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import audiences

pytestmark = pytest.mark.django_db


def _direct(audience):  # type: ignore[no-untyped-def]
    from shelter.incidents.models import Incident

    return Incident.objects.visible_to(audience.viewer)


def test_every_figure_equals_a_direct_count_for_every_role(workspace, users):  # type: ignore[no-untyped-def]
    # One workspace, every audience: building the workspace is the slow part of this test.
    for who, audience in audiences(users).items():
        _check_every_figure(audience, who)


def _check_every_figure(audience, who):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import IncidentFilters, figures_for
    from shelter.analytics.stats import RETURN_TACTICS
    from shelter.incidents.taxonomy import taxonomy

    figures = figures_for(audience, IncidentFilters())
    direct = _direct(audience)
    assert figures.total == direct.count() > 0, who
    for tally in figures.by_year:
        assert tally.count == direct.filter(year=int(tally.key)).count()
    for tally in figures.by_origin:
        assert tally.count == direct.filter(origin_state=tally.key).count()
    for tally in figures.by_host:
        assert tally.count == direct.filter(host_country=tally.key).count()
    for tally in figures.by_tactic:
        assert tally.count == direct.filter(tactic=tally.key).count()
    for tally in figures.by_category:
        codes = [t.code for t in taxonomy().tactics if t.category == tally.key]
        assert tally.count == direct.filter(tactic__in=codes).count()
    for flow in figures.flows:
        assert flow.count == direct.filter(origin_state=flow.origin_state, host_country=flow.host_country).count()
    returns = direct.filter(tactic__in=RETURN_TACTICS)
    assert figures.returnee_total == returns.count()
    for outcome in figures.returnee_outcomes:
        assert outcome.count == returns.filter(outcome=outcome.outcome).count()
        for tally in outcome.by_tactic:
            assert tally.count == returns.filter(outcome=outcome.outcome, tactic=tally.key).count()


def test_roles_see_different_totals(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import IncidentFilters, figures_for

    totals = {who: figures_for(a, IncidentFilters()).total for who, a in audiences(users).items()}
    assert totals["admin"] == 84
    assert totals["anonymous"] == totals["editor_public_version"] == 24  # two published public rows in seven
    assert totals["anonymous"] < totals["viewer_public"] < totals["viewer"] < totals["editor"] < totals["admin"]
    assert totals["editor"] == totals["researcher"]  # one confidential team each, same clearance


def test_filters_narrow_like_the_database(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import Audience, IncidentFilters, figures_for

    audience = Audience(users["viewer"])
    filters = IncidentFilters(year_from=2016, year_to=2020, states=("UZ",), hosts=("TR", "RU"),
                              tactics=("unlawful_deportation", "red_notice", "phishing"))
    figures = figures_for(audience, filters)
    direct = _direct(audience).filter(year__range=(2016, 2020), origin_state="UZ", host_country__in=("TR", "RU"),
                                      tactic__in=filters.tactics)
    assert figures.total == direct.count() > 0
    assert {t.key for t in figures.by_origin} == {"UZ"}
    assert {int(t.key) for t in figures.by_year} <= set(range(2016, 2021))


def test_public_tables_suppress_small_counts(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import Audience, IncidentFilters, tables_for
    from shelter.analytics.tables import OTHER_KEY

    tables = tables_for(Audience(None, public=True), IncidentFilters())
    others = []
    for table in tables.values():
        for row in table.rows:
            for column in table.columns:
                cell = row[column.key]
                if column.key in ("label", "origin", "host"):
                    continue
                assert isinstance(cell, int) and cell >= 3, (table.name, row)
            if row["key"] == OTHER_KEY:
                others.append(row["label"])
    # Small counts are merged into one "other" row per table, named for what it holds.
    assert "other tactics" in others and "other categories" in others


def test_kept_figures_follow_every_change_to_incidents_and_their_teams(workspace, users, teams,  # type: ignore[no-untyped-def]
                                                                        django_assert_max_num_queries):
    from shelter.analytics.services import Audience, IncidentFilters, figures_for
    from shelter.incidents.models import Incident

    viewer, anonymous = Audience(users["editor"]), Audience(None, public=True)  # editor: team alpha
    filters = IncidentFilters(states=("UZ",))

    def totals() -> tuple[int, int]:
        return figures_for(viewer, filters).total, figures_for(anonymous, filters).total

    def direct() -> tuple[int, int]:
        uz = Incident.objects.filter(origin_state="UZ")
        return uz.visible_to(users["editor"]).count(), uz.visible_to(None).count()

    assert totals() == direct()
    with django_assert_max_num_queries(12):  # kept: only the viewer's teams and the data version are read
        totals()
    published = Incident.objects.filter(origin_state="UZ", confidentiality="public", published=True).first()
    published.published = False
    published.save()
    assert totals() == direct()
    secret = Incident.objects.filter(origin_state="UZ", confidentiality="confidential").exclude(
        teams=teams["alpha"]).first()
    before = totals()
    secret.teams.add(teams["alpha"])
    assert totals() == direct() and totals()[0] == before[0] + 1
    secret.teams.remove(teams["alpha"])
    assert totals() == direct() == before
    Incident.objects.filter(pk=published.pk).delete()
    assert totals() == direct()
