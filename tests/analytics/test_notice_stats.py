"""Notice and request statistics: counts equal direct counts through the visibility filter."""

from __future__ import annotations

import pytest

from shelter.analytics.notice_stats import NoticeGroup, compute_notice_figures


def test_compute_notice_figures_counts_every_group() -> None:
    figures = compute_notice_figures([
        NoticeGroup("UZ", "red_notice", "active", 2019, False, 4),
        NoticeGroup("UZ", "extradition", "withdrawn", None, True, 2),
    ])
    assert figures.total == 6 and figures.refused == 2
    assert [(t.key, t.count) for t in figures.by_kind] == [("red_notice", 4), ("extradition", 2)]
    public = figures.as_dict(public=True)
    assert public["refused"] == "x" and public["total"] == 6
    # 6 = 4 + 2 by kind and by status: the 2 is withheld, so the 4 is too.
    assert [t["count"] for t in public["by_kind"]] == ["x", "x"] and [t["count"] for t in public["by_status"]] == ["x", "x"]
    # 6 = 4 in 2019 + 2 undated (published nowhere): the 4 would give the undated away.
    assert [t["count"] for t in public["by_year"]] == ["x"]


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
