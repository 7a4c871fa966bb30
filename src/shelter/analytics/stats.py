"""Statistics over incidents: counts and trends by origin state, host country, tactic, tactic category and
year; origin→host flows; returnee outcomes.

Pure: no Django. The database groups incidents by the attributes counted here (one
:class:`IncidentGroup` per distinct combination, with how many incidents share it), which keeps the work
done in Python proportional to the number of distinct combinations rather than to the number of incidents.
Every count stays an ``int`` inside :class:`Figures`; small-count suppression for public outputs happens
once, in :func:`shown`, at the moment a figure leaves for a table, chart, JSON document or PDF.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "RETURN_TACTICS",
    "RETURNEE_OUTCOMES",
    "SMALL_COUNT_LIMIT",
    "SUPPRESSED",
    "Figures",
    "Flow",
    "IncidentGroup",
    "ReturneeOutcome",
    "Shown",
    "Tally",
    "compute_figures",
    "pseudonym",
    "shown",
]

# Public outputs never show a count below this: a count of one or two can single out a person.
SMALL_COUNT_LIMIT = 3
SUPPRESSED = f"<{SMALL_COUNT_LIMIT}"

# Tactics that send (or try to send) a person back to the origin state: their `outcome` is what
# happened to the returnee.
RETURN_TACTICS: tuple[str, ...] = ("unlawful_deportation", "extradition_request", "rendition", "deportation_proceedings")
# The outcomes a returnee table always lists, in this order; other recorded outcomes follow.
RETURNEE_OUTCOMES: tuple[str, ...] = ("detained", "sentenced", "tortured", "disappeared", "released", "unknown")

UNKNOWN_HOST = ""

Shown = int | str


def shown(count: int, public: bool) -> Shown:
    """``count`` as a public or internal output shows it: public outputs replace counts below the limit
    (zero included, so that an absence does not stand out either) with ``"<3"``."""
    if public and count < SMALL_COUNT_LIMIT:
        return SUPPRESSED
    return count


def pseudonym(index: int) -> str:
    """A stable stand-in for the ``index``-th person (0-based) of a public output: Person A … Z, AA, AB…"""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"Person {letters}"


@dataclass(frozen=True)
class IncidentGroup:
    """How many incidents share these attributes."""

    origin_state: str
    host_country: str
    tactic: str
    year: int | None
    outcome: str
    count: int


@dataclass(frozen=True)
class Tally:
    key: str
    count: int


@dataclass(frozen=True)
class Flow:
    origin_state: str
    host_country: str
    count: int


@dataclass(frozen=True)
class ReturneeOutcome:
    outcome: str
    count: int
    by_tactic: tuple[Tally, ...]


@dataclass(frozen=True)
class Figures:
    total: int
    undated: int
    by_year: tuple[Tally, ...]
    by_origin: tuple[Tally, ...]
    by_host: tuple[Tally, ...]
    by_tactic: tuple[Tally, ...]
    by_category: tuple[Tally, ...]
    flows: tuple[Flow, ...]
    returnee_total: int
    returnee_outcomes: tuple[ReturneeOutcome, ...]

    @property
    def first_year(self) -> int | None:
        return int(self.by_year[0].key) if self.by_year else None

    @property
    def last_year(self) -> int | None:
        return int(self.by_year[-1].key) if self.by_year else None


def _largest_first(counter: Counter[str]) -> tuple[Tally, ...]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Tally(key, count) for key, count in ranked if count > 0)


def compute_figures(
    groups: Iterable[IncidentGroup],
    category_of: Callable[[str], str] | Mapping[str, str],
    *,
    fill_years: bool = True,
) -> Figures:
    """All breakdowns of the incidents described by ``groups``.

    ``category_of`` maps a tactic code to its category (a tactic it does not know counts as "other").
    With ``fill_years`` the year series has no gaps between its first and last year, so a trend chart
    shows a quiet year as zero instead of skipping it.
    """
    lookup = category_of.get if isinstance(category_of, Mapping) else category_of
    total = undated = returnee_total = 0
    years: Counter[int] = Counter()
    origins: Counter[str] = Counter()
    hosts: Counter[str] = Counter()
    tactics: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    flows: Counter[tuple[str, str]] = Counter()
    outcomes: Counter[str] = Counter()
    outcome_tactics: dict[str, Counter[str]] = {}
    for group in groups:
        if group.count < 0:
            raise ValueError(f"a group of incidents cannot count {group.count}")
        total += group.count
        if group.year is None:
            undated += group.count
        else:
            years[group.year] += group.count
        origins[group.origin_state] += group.count
        hosts[group.host_country or UNKNOWN_HOST] += group.count
        tactics[group.tactic] += group.count
        categories[lookup(group.tactic) or "other"] += group.count
        flows[(group.origin_state, group.host_country or UNKNOWN_HOST)] += group.count
        if group.tactic in RETURN_TACTICS:
            returnee_total += group.count
            outcomes[group.outcome] += group.count
            outcome_tactics.setdefault(group.outcome, Counter())[group.tactic] += group.count
    if fill_years and years:
        for year in range(min(years), max(years) + 1):
            years.setdefault(year, 0)
    extra_outcomes = sorted(o for o in outcomes if o not in RETURNEE_OUTCOMES)
    return Figures(
        total=total,
        undated=undated,
        by_year=tuple(Tally(str(year), years[year]) for year in sorted(years)),
        by_origin=_largest_first(origins),
        by_host=_largest_first(hosts),
        by_tactic=_largest_first(tactics),
        by_category=_largest_first(categories),
        flows=tuple(
            Flow(origin, host, count)
            for (origin, host), count in sorted(flows.items(), key=lambda item: (-item[1], item[0]))
        ),
        returnee_total=returnee_total,
        returnee_outcomes=tuple(
            ReturneeOutcome(
                outcome,
                outcomes[outcome],
                tuple(Tally(t, outcome_tactics.get(outcome, Counter())[t]) for t in RETURN_TACTICS),
            )
            for outcome in (*RETURNEE_OUTCOMES, *extra_outcomes)
        ),
    )
