"""The pure rules: deadlines due soon, the next check-in, overdue plans, outcomes and their suppression."""

from __future__ import annotations

from datetime import date

import pytest

from shelter.monitoring.core import (
    DeadlineState,
    OutcomeRow,
    PlanState,
    Suppressed,
    due_soon,
    next_check_in,
    outcome_counts,
    outcome_of,
    overdue_plans,
    suppress_outcomes,
)

TODAY = date(2026, 3, 10)


def test_due_soon_lists_open_deadlines_within_the_window_past_ones_first() -> None:
    deadlines = [DeadlineState(1, date(2026, 3, 20), True), DeadlineState(2, date(2026, 3, 9), True),
                 DeadlineState(3, date(2026, 3, 12), False), DeadlineState(4, date(2026, 3, 24), True),
                 DeadlineState(5, date(2026, 3, 24), True)]
    assert [d.pk for d in due_soon(deadlines, TODAY, 14)] == [2, 1, 4, 5]
    assert [d.pk for d in due_soon(deadlines, TODAY, 0)] == [2]
    with pytest.raises(ValueError):
        due_soon(deadlines, TODAY, -1)


def test_next_check_in_counts_from_the_return_then_from_the_last_check_in() -> None:
    assert next_check_in(PlanState(1, date(2026, 3, 1), 7, None)) == date(2026, 3, 8)
    assert next_check_in(PlanState(1, date(2026, 3, 1), 7, date(2026, 3, 6))) == date(2026, 3, 13)
    with pytest.raises(ValueError):
        next_check_in(PlanState(1, date(2026, 3, 1), 0, None))


def test_a_plan_is_overdue_the_day_after_its_check_in_was_due() -> None:
    plans = [PlanState(1, date(2026, 3, 3), 7, None),  # due 03-10: today, not yet overdue
             PlanState(2, date(2026, 3, 2), 7, None),  # due 03-09: one day overdue
             PlanState(3, date(2026, 1, 1), 14, date(2026, 2, 1)),  # due 02-15: 23 days overdue
             PlanState(4, date(2026, 1, 1), 7, None, active=False)]
    found = overdue_plans(plans, TODAY)
    assert [(o.pk, o.days_overdue) for o in found] == [(3, 23), (2, 1)]
    assert found[0].due == date(2026, 2, 15)


def test_the_outcome_is_the_latest_known_status() -> None:
    assert outcome_of([]) is None
    assert outcome_of([(date(2026, 1, 2), 1, "safe"), (date(2026, 1, 9), 2, "detained")]) == "detained"
    assert outcome_of([(date(2026, 1, 9), 2, "no_contact"), (date(2026, 1, 2), 1, "detained")]) == "detained"
    assert outcome_of([(date(2026, 1, 9), 2, "no_contact")]) == "no_contact"


def test_outcomes_are_counted_per_host_origin_and_year() -> None:
    rows = [OutcomeRow("DE", "UZ", 2025, "detained"), OutcomeRow("DE", "UZ", 2025, "detained"),
            OutcomeRow("DE", "UZ", 2025, None), OutcomeRow("TR", "TJ", 2024, "safe")]
    counts = outcome_counts(rows)
    assert counts[("DE", "UZ", 2025)] == {"detained": 2, "unknown": 1}
    assert list(counts) == [("DE", "UZ", 2025), ("TR", "TJ", 2024)]


def test_public_outcomes_withhold_small_counts_and_what_gives_them_away() -> None:
    shown = suppress_outcomes(10, {"detained": 5, "safe": 4, "died": 1}, public=True)
    # 'died' is below 3; with the total shown, one more part must go so that 10 - 5 - 4 cannot be read: the two
    # are merged into "other", 5.
    assert shown.parts == {"detained": 5} and shown.other == 5 and shown.total == 10
    # Merged: two withheld parts of 1 each would make an "other" of 2; the 3 goes with them.
    merged = suppress_outcomes(11, {"detained": 6, "safe": 3, "died": 1, "tortured": 1}, public=True)
    assert merged.parts == {"detained": 6} and merged.other == 5
    assert suppress_outcomes(10, {"detained": 5, "safe": 4, "died": 1}, public=False).parts["died"] == 1
    assert suppress_outcomes(2, {"detained": 2}, public=True) == Suppressed(None, {}, 0)
    with pytest.raises(ValueError):
        suppress_outcomes(3, {"detained": 2}, public=True)
