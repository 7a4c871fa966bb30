"""Notice and request statistics: counts equal direct counts through the visibility filter."""

from __future__ import annotations

import pytest

from shelter.analytics.notice_stats import NoticeGroup, compute_notice_figures, notice_year


def test_compute_notice_figures_counts_every_group() -> None:
    figures = compute_notice_figures([
        NoticeGroup("UZ", "red_notice", "active", 2019, False, 4),
        NoticeGroup("UZ", "extradition", "withdrawn", None, True, 2),
    ])
    assert figures.total == 6 and figures.refused == 2
    assert [(t.key, t.count) for t in figures.by_kind] == [("red_notice", 4), ("extradition", 2)]
    public = figures.as_dict(public=True)
    assert public["refused"] == "fewer than 3" and public["total"] == 6
    # 6 = 4 + 2 by kind and by status: the 2 is withheld, so the 4 is too; together they are "other", 6.
    assert [(t["key"], t["count"]) for t in public["by_kind"]] == [("_other", 6)]
    assert [(t["label"], t["count"]) for t in public["by_status"]] == [("other statuses", 6)]
    # 6 = 4 in 2019 + 2 undated: the 4 would give the undated away.
    assert [(t["label"], t["count"]) for t in public["by_year"]] == [("other years or date unknown", 6)]
    assert "x" not in [row["count"] for rows in ("by_kind", "by_status", "by_year") for row in public[rows]]


@pytest.mark.django_db
def test_notice_figures_equal_direct_counts(users):  # type: ignore[no-untyped-def]
    notices = pytest.importorskip("shelter.notices.models")
    from shelter.analytics.services import Audience, IncidentFilters, notice_figures_for

    levels = [("public", True), ("internal", False), ("confidential", False)]
    for index in range(12):
        confidentiality, published = levels[index % 3]
        notice = notices.Notice.objects.create(
            entity_id=f"2020/{index}", kind="red_notice" if index % 2 else "extradition",
            issuing_state="UZ" if index < 10 else "TJ", issued=f"{2015 + index % 6}-01",
            confidentiality=confidentiality, published=published,
        )
        if index % 4 == 0:
            notices.NoticeStatusEvent.objects.create(notice=notice, kind="refused_by_court", state="DE")
    for audience in (Audience(users["admin"]), Audience(users["viewer"]), Audience(None, public=True)):
        figures = notice_figures_for(audience, IncidentFilters(states=("UZ",), year_from=2016))
        assert figures is not None
        direct = notices.Notice.objects.visible_to(audience.viewer).filter(issuing_state="UZ", issued__gte="2016")
        assert figures.total == direct.count()
        assert figures.refused == direct.filter(events__kind="refused_by_court").distinct().count()
        for tally in figures.by_kind:
            assert tally.count == direct.filter(kind=tally.key).count()


def test_counts_by_subject_nationality_count_a_dual_national_under_each() -> None:
    figures = compute_notice_figures([
        NoticeGroup("RU", "red_notice", "active", 2019, False, 5, ("TJ",)),
        NoticeGroup("RU", "red_notice", "active", 2020, False, 4, ("RU",)),
        NoticeGroup("RU", "diffusion", "active", 2020, False, 3, ("RU", "UA")),
        NoticeGroup("RU", "diffusion", "active", 2021, False, 1, ()),
    ])
    assert [(t.key, t.count) for t in figures.by_nationality] == [("RU", 7), ("TJ", 5), ("UA", 3)]
    assert figures.no_nationality == 1
    shown = figures.as_dict(public=True)
    # 7 + 5 + 3 + 1 = 16 listed for 13 notices: the 1 not recorded takes the 3 with it into "other", 4.
    assert [(t["key"], t["count"]) for t in shown["by_nationality"]] == [("RU", 7), ("TJ", 5), ("_other", 4)]
    assert shown["by_nationality"][-1]["label"] == "other nationalities or not recorded"


def test_nationality_counts_that_add_up_to_the_total_protect_a_small_one() -> None:
    figures = compute_notice_figures([
        NoticeGroup("RU", "red_notice", "active", 2019, False, 6, ("TJ",)),
        NoticeGroup("RU", "red_notice", "active", 2019, False, 5, ("RU",)),
        NoticeGroup("RU", "red_notice", "active", 2019, False, 1, ("UZ",)),
    ])
    # 12 = 6 + 5 + 1: the 1 is withheld, so is the smallest other one; together "other", 6.
    assert [(t["key"], t["count"]) for t in figures.as_dict(public=True)["by_nationality"]] == [("TJ", 6), ("_other", 6)]


def test_notice_year_comes_from_the_entity_id_when_no_issue_date_is_known() -> None:
    assert notice_year("2021", "2019/") == (2021, False)
    assert notice_year("", "2019/") == (2019, True)
    assert notice_year(None, "A-123") == (None, False)
    assert notice_year("", "20190") == (None, False)


@pytest.mark.django_db
def test_brief_from_a_year_counts_undated_public_notices_by_their_entity_id(users):  # type: ignore[no-untyped-def]
    notices = pytest.importorskip("shelter.notices.models")
    from shelter.analytics.services import Audience, IncidentFilters, notice_figures_for

    for entity_id, issued, nationalities in [
        ("2019/1001", "", ["TJ"]), ("2016/2002", "", ["RU"]), ("2012/3003", "", ["RU"]),
        ("2013/4004", "2015-03", ["RU", "UA"]), ("A-55/2020", "", []),
    ]:
        notices.Notice.objects.create(entity_id=entity_id, kind="red_notice", issuing_state="RU", issued=issued,
                                      nationalities=nationalities, confidentiality="public", published=True)
    from django.utils import translation

    with translation.override("en"):
        figures = notice_figures_for(Audience(users["admin"]), IncidentFilters(states=("RU",), year_from=2014))
    assert figures is not None
    assert figures.total == 3 and figures.years_from_id == 2
    assert [(t.key, t.count) for t in figures.by_year] == [("2015", 1), ("2016", 1), ("2019", 1)]
    assert [(t.key, t.count) for t in figures.by_nationality] == [("RU", 2), ("TJ", 1), ("UA", 1)]
    assert figures.labels["TJ"] == "Tajikistan"
