"""The pure statistics: counting, year gaps, returnee outcomes, suppression and pseudonyms."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter.analytics.stats import (
    RETURNEE_OUTCOMES,
    SUPPRESSED,
    IncidentGroup,
    figures_from_groups,
    pseudonym,
    shown,
)

CATEGORIES = {"unlawful_deportation": "physical", "extradition_request": "legal_mobility", "phishing": "digital"}


def group(origin: str = "UZ", host: str = "TR", tactic: str = "phishing", year: int | None = 2019,
          outcome: str = "unknown", count: int = 1) -> IncidentGroup:
    return IncidentGroup(origin, host, tactic, year, outcome, count)


def test_counts_by_every_dimension() -> None:
    figures = figures_from_groups([
        group(count=4), group(host="RU", tactic="extradition_request", year=2021, outcome="tortured", count=2),
        group(origin="TJ", host="", tactic="unlawful_deportation", year=None, outcome="detained", count=3),
    ], CATEGORIES)
    assert figures.total == 9
    assert figures.undated == 3
    assert [(t.key, t.count) for t in figures.by_year] == [("2019", 4), ("2020", 0), ("2021", 2)]
    assert [(t.key, t.count) for t in figures.by_origin] == [("UZ", 6), ("TJ", 3)]
    assert [(t.key, t.count) for t in figures.by_host] == [("TR", 4), ("", 3), ("RU", 2)]
    assert [(t.key, t.count) for t in figures.by_category] == [("digital", 4), ("physical", 3),
                                                                ("legal_mobility", 2)]
    assert [(f.origin_state, f.host_country, f.count) for f in figures.flows] == [
        ("UZ", "TR", 4), ("TJ", "", 3), ("UZ", "RU", 2)]
    assert figures.returnee_total == 5
    outcomes = {o.outcome: o for o in figures.returnee_outcomes}
    assert [o.outcome for o in figures.returnee_outcomes] == list(RETURNEE_OUTCOMES)
    assert outcomes["detained"].count == 3 and outcomes["tortured"].count == 2 and outcomes["unknown"].count == 0
    assert {t.key: t.count for t in outcomes["tortured"].by_tactic}["extradition_request"] == 2


def test_outcomes_beyond_the_standard_six_are_listed_after_them() -> None:
    figures = figures_from_groups([group(tactic="unlawful_deportation", outcome="killed", count=1)], CATEGORIES)
    assert [o.outcome for o in figures.returnee_outcomes][-1] == "killed"


def test_unknown_tactic_counts_as_other_category() -> None:
    assert figures_from_groups([group(tactic="new_tactic")], CATEGORIES).by_category[0].key == "other"


def test_negative_group_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot count -1"):
        figures_from_groups([group(count=-1)], CATEGORIES)


def test_empty_input_gives_zero_figures() -> None:
    figures = figures_from_groups([], CATEGORIES)
    assert figures.total == 0 and figures.by_year == () and figures.first_year is None


@pytest.mark.parametrize(("count", "public", "expected"), [
    (0, True, SUPPRESSED), (1, True, SUPPRESSED), (2, True, SUPPRESSED), (3, True, 3), (250, True, 250),
    (0, False, 0), (1, False, 1), (2, False, 2),
])
def test_shown_suppresses_only_public_small_counts(count: int, public: bool, expected: object) -> None:
    assert shown(count, public) == expected


def test_pseudonyms_are_distinct_and_stable() -> None:
    names = [pseudonym(i) for i in range(800)]
    assert names[:3] == ["Person A", "Person B", "Person C"]
    assert names[25:28] == ["Person Z", "Person AA", "Person AB"]
    assert len(set(names)) == 800


groups = st.lists(st.builds(
    IncidentGroup, st.sampled_from(["UZ", "TJ", "RU"]), st.sampled_from(["TR", "DE", ""]),
    st.sampled_from(sorted(CATEGORIES)), st.one_of(st.none(), st.integers(2000, 2030)),
    st.sampled_from(["detained", "unknown", "killed"]), st.integers(0, 50),
), max_size=40)


# The machine is shared: generation speed is not what this test is about.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups)
def test_every_breakdown_adds_up_to_the_total(sample: list[IncidentGroup]) -> None:
    figures = figures_from_groups(sample, CATEGORIES)
    total = sum(g.count for g in sample)
    assert figures.total == total
    for breakdown in (figures.by_origin, figures.by_host, figures.by_tactic, figures.by_category):
        assert sum(t.count for t in breakdown) == total
    assert sum(f.count for f in figures.flows) == total
    assert sum(t.count for t in figures.by_year) + figures.undated == total
    assert sum(o.count for o in figures.returnee_outcomes) == figures.returnee_total
