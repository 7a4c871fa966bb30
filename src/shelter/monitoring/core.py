"""Rules of deadlines before a return and of monitoring after it. Pure: no Django; the clock is passed in.

- A deadline (hearing, appeal, interim measure) is *due soon* when it is open and falls within a window from
  today; an open deadline already past is *overdue* and listed first.
- A monitoring plan expects a check-in every ``interval_days`` after the last one (or after the return date when
  there is none yet); a plan is *overdue* the day after that date passes without a check-in.
- The outcome of a return is the latest check-in's status (``no_contact`` is not an outcome while a known status
  came before it; a person who stays unreachable is counted as such).
- Public figures withhold every count below the small-count limit and every count that would give one away
  (:mod:`shelter.analytics.suppression`), merged into one "other" count of at least the limit; a withheld total
  is said in words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from shelter.analytics.suppression import Sum, merge_withheld, withheld_cells

__all__ = [
    "ADVERSE_STATUSES", "CHECK_IN_STATUSES", "INCIDENT_OUTCOME", "DeadlineState", "OutcomeRow", "PlanState",
    "Suppressed", "due_soon", "next_check_in", "outcome_counts", "outcome_of", "overdue_plans", "suppress_outcomes",
]

# Check-in statuses, in the order reports list them.
CHECK_IN_STATUSES = ("safe", "no_contact", "detained", "charged", "convicted", "tortured", "disappeared", "died",
                     "left_again")
# Statuses that mean the person came to harm: recording one can open an incident.
ADVERSE_STATUSES = frozenset({"detained", "charged", "convicted", "tortured", "disappeared", "died"})
# The incident outcome an adverse check-in status is recorded under.
INCIDENT_OUTCOME: Mapping[str, str] = {
    "detained": "detained", "charged": "detained", "convicted": "sentenced", "tortured": "tortured",
    "disappeared": "disappeared", "died": "killed",
}


@dataclass(frozen=True)
class DeadlineState:
    pk: int
    due: date
    open: bool


@dataclass(frozen=True)
class PlanState:
    pk: int
    return_date: date
    interval_days: int
    last_check_in: date | None
    active: bool = True


@dataclass(frozen=True)
class OverduePlan:
    pk: int
    due: date
    days_overdue: int


def due_soon(deadlines: Iterable[DeadlineState], today: date, within_days: int) -> list[DeadlineState]:
    """Open deadlines up to ``within_days`` from ``today`` (past ones included), earliest first."""
    if within_days < 0:
        raise ValueError("the window cannot be negative")
    horizon = today + timedelta(days=within_days)
    return sorted((d for d in deadlines if d.open and d.due <= horizon), key=lambda d: (d.due, d.pk))


def next_check_in(plan: PlanState) -> date:
    """The date by which the next check-in is expected."""
    if plan.interval_days < 1:
        raise ValueError("the check-in interval must be at least one day")
    start = max(plan.return_date, plan.last_check_in) if plan.last_check_in else plan.return_date
    return start + timedelta(days=plan.interval_days)


def overdue_plans(plans: Iterable[PlanState], today: date) -> list[OverduePlan]:
    """Active plans whose expected check-in date has passed, most overdue first."""
    found = []
    for plan in plans:
        if not plan.active:
            continue
        due = next_check_in(plan)
        if due < today:
            found.append(OverduePlan(plan.pk, due, (today - due).days))
    return sorted(found, key=lambda o: (-o.days_overdue, o.pk))


def outcome_of(statuses_by_date: Iterable[tuple[date, int, str]]) -> str | None:
    """The outcome of one return from its check-ins ``(date, pk, status)``: the latest known status, where a
    later ``no_contact`` does not hide a known one; ``None`` without any check-in."""
    ordered = sorted(statuses_by_date)
    if not ordered:
        return None
    known = [status for _, _, status in ordered if status != "no_contact"]
    return known[-1] if known else "no_contact"


@dataclass(frozen=True)
class OutcomeRow:
    """One return: the host country that sent the person, the state they were sent to, the year, the outcome."""

    host: str
    origin: str
    year: int
    outcome: str | None


def outcome_counts(rows: Iterable[OutcomeRow]) -> dict[tuple[str, str, int], Counter[str]]:
    """Outcomes per (host, origin, year); a return without any check-in counts as ``unknown``."""
    table: dict[tuple[str, str, int], Counter[str]] = {}
    for row in rows:
        table.setdefault((row.host, row.origin, row.year), Counter())[row.outcome or "unknown"] += 1
    return dict(sorted(table.items()))


@dataclass(frozen=True)
class Suppressed:
    """A total and its parts as an output shows them. Public: ``total`` is ``None`` when withheld (below 3: the
    output says "fewer than 3"), ``parts`` holds the parts shown, in order, and ``other`` the withheld parts
    together (0 or at least 3), as in every public table (``shelter.analytics.suppression.merge_withheld``)."""

    total: int | None
    parts: dict[str, int]
    other: int = 0


def suppress_outcomes(total: int, parts: Mapping[str, int], public: bool) -> Suppressed:
    """The total and its parts; when public, small counts (and those that would give them away) merged into one
    "other" count of at least 3, or nothing but the withheld total. The parts must add up to the total (one
    published sum)."""
    if sum(parts.values()) != total:
        raise ValueError(f"the parts add up to {sum(parts.values())}, not to the total {total}")
    if not public:
        return Suppressed(total, dict(parts))
    counts: dict[str, int] = {TOTAL: total, **parts}
    merged = merge_withheld(counts, TOTAL, tuple(parts),
                            withheld_cells(counts, [Sum(TOTAL, tuple(parts))], merged=True))
    if merged.total_withheld:
        return Suppressed(None, {})
    return Suppressed(total, {key: parts[key] for key in merged.shown}, merged.other)


# The total's cell among the parts' (no part is named with underscores round it).
TOTAL = "__total__"
