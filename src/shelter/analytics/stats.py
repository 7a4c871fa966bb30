"""Statistics over incidents: counts and trends by origin state, host country, tactic, tactic category and
year; origin→host flows; returnee outcomes.

Pure: no Django. The database does the counting in three grouped queries (by origin state and host country;
by tactic and outcome; by year), so the work done in Python is proportional to the number of distinct
combinations rather than to the number of incidents. Grouping by every attribute at once would not be:
year × place × tactic × outcome is nearly one group per incident.
Every count stays an ``int`` inside :class:`Figures`, with the cells a public output withholds
(:attr:`Figures.withheld`, see :mod:`shelter.analytics.suppression`, merged). A public table shows no withheld
count: its withheld rows go into one "other" row (see :mod:`shelter.analytics.tables`), and its years into
periods of at least :data:`SMALL_COUNT_LIMIT` incidents (:func:`periods`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from shelter.analytics.suppression import SMALL_COUNT_LIMIT, Sum, withheld_cells
from shelter.incidents.taxonomy import taxonomy

__all__ = [
    "RETURNEE_OUTCOMES",
    "RETURN_TACTICS",
    "SMALL_COUNT_LIMIT",
    "SUPPRESSED",
    "Figures",
    "Flow",
    "IncidentGroup",
    "ReturneeOutcome",
    "Shown",
    "TacticOutcomeCount",
    "Tally",
    "compute_figures",
    "figures_from_groups",
    "periods",
    "pseudonym",
    "shown",
]

# How a public output shows a withheld count: below 3, or withheld so that one below 3 cannot be worked
# out from the totals (one marker for both, see shelter.analytics.suppression).
SUPPRESSED = "x"

# Tactics that send (or try to send) a person back to the origin state: their `outcome` is what
# happened to the returnee (marked `returns: true` in the tactic taxonomy).
RETURN_TACTICS: tuple[str, ...] = taxonomy().return_tactics
# The outcomes a returnee table always lists, in this order; other recorded outcomes follow.
RETURNEE_OUTCOMES: tuple[str, ...] = ("detained", "sentenced", "tortured", "disappeared", "released", "unknown")

UNKNOWN_HOST = ""

Shown = int | str
# A cell of the figures: ("total",), ("year", "2019"), ("flow", "UZ", "TR"), ("return", "detained", tactic)…
Cell = tuple[str, ...]


def shown(count: int, public: bool, withheld: bool = False, withheld_as: str = SUPPRESSED) -> Shown:
    """``count`` as a public or internal output shows it: public outputs replace counts below the limit
    (zero included, so that an absence does not stand out either) and counts withheld to protect them with
    ``withheld_as``. A figure that stands alone (a headline, a total that is part of no other sum) is withheld
    only when it is below the limit, and says so in words: ``withheld_as`` is then "fewer than 3"."""
    if public and (withheld or count < SMALL_COUNT_LIMIT):
        return withheld_as
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
class TacticOutcomeCount:
    """How many incidents used ``tactic`` and ended in ``outcome``."""

    tactic: str
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
    # The years as a public output shows them: runs of years with at least SMALL_COUNT_LIMIT incidents each.
    periods: tuple[Tally, ...] = ()
    # The cells a public output withholds (see figure_cells for their names).
    withheld: frozenset[Cell] = field(default=frozenset())

    def shown(self, cell: Cell, count: int, public: bool, withheld_as: str = SUPPRESSED) -> Shown:
        return shown(count, public, cell in self.withheld, withheld_as)

    @property
    def first_year(self) -> int | None:
        return int(self.by_year[0].key) if self.by_year else None

    @property
    def last_year(self) -> int | None:
        return int(self.by_year[-1].key) if self.by_year else None


def periods(years: tuple[Tally, ...]) -> tuple[Tally, ...]:
    """Consecutive years joined into periods of at least :data:`SMALL_COUNT_LIMIT` incidents each ("2016",
    "2017–2019"), first to last; years left over at the end join the last period. Fewer incidents than the limit
    in all make one period (which a public output then withholds)."""
    joined: list[list[Tally]] = []
    run: list[Tally] = []
    for tally in years:
        run.append(tally)
        if sum(t.count for t in run) >= SMALL_COUNT_LIMIT:
            joined.append(run)
            run = []
    if run:
        if joined:
            joined[-1].extend(run)
        else:
            joined.append(run)
    return tuple(Tally(run[0].key if len(run) == 1 else f"{run[0].key}–{run[-1].key}", sum(t.count for t in run))
                 for run in joined)


def _largest_first(counter: Counter[str]) -> tuple[Tally, ...]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Tally(key, count) for key, count in ranked if count > 0)


def compute_figures(
    flows: Iterable[Flow],
    years: Mapping[int | None, int],
    tactic_outcomes: Iterable[TacticOutcomeCount],
    category_of: Callable[[str], str | None] | Mapping[str, str],
    *,
    fill_years: bool = True,
) -> Figures:
    """All breakdowns of a set of incidents, from its counts by origin state and host country, by year
    (``None`` for undated) and by tactic and outcome.

    ``category_of`` maps a tactic code to its category (a tactic it does not know counts as "other").
    With ``fill_years`` the year series has no gaps between its first and last year, so a trend chart
    shows a quiet year as zero instead of skipping it. The returnee table counts the outcomes of the
    tactics in :data:`RETURN_TACTICS` only.
    """
    lookup = category_of.get if isinstance(category_of, Mapping) else category_of
    origins: Counter[str] = Counter()
    hosts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for flow in flows:
        _check_count(flow.count)
        host = flow.host_country or UNKNOWN_HOST
        origins[flow.origin_state] += flow.count
        hosts[host] += flow.count
        pairs[(flow.origin_state, host)] += flow.count
    tactics: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    outcome_tactics: dict[str, Counter[str]] = {}
    for group in tactic_outcomes:
        _check_count(group.count)
        tactics[group.tactic] += group.count
        categories[lookup(group.tactic) or "other"] += group.count
        if group.tactic in RETURN_TACTICS:
            outcomes[group.outcome] += group.count
            outcome_tactics.setdefault(group.outcome, Counter())[group.tactic] += group.count
    total = sum(origins.values())
    if sum(tactics.values()) != total:
        raise ValueError(f"the counts by place ({total}) and by tactic ({sum(tactics.values())}) disagree")
    dated: Counter[int] = Counter()
    for year, count in years.items():
        _check_count(count)
        if year is not None:
            dated[year] += count
    if fill_years and dated:
        for year in range(min(dated), max(dated) + 1):
            dated.setdefault(year, 0)
    extra_outcomes = sorted(o for o in outcomes if o not in RETURNEE_OUTCOMES)
    figures = Figures(
        total=total,
        undated=years.get(None, 0),
        by_year=tuple(Tally(str(year), dated[year]) for year in sorted(dated)),
        by_origin=_largest_first(origins),
        by_host=_largest_first(hosts),
        by_tactic=_largest_first(tactics),
        by_category=_largest_first(categories),
        flows=tuple(
            Flow(origin, host, count)
            for (origin, host), count in sorted(pairs.items(), key=lambda item: (-item[1], item[0])) if count
        ),
        returnee_total=sum(outcomes.values()),
        returnee_outcomes=tuple(
            ReturneeOutcome(
                outcome,
                outcomes[outcome],
                tuple(Tally(t, outcome_tactics.get(outcome, Counter())[t]) for t in RETURN_TACTICS),
            )
            for outcome in (*RETURNEE_OUTCOMES, *extra_outcomes)
        ),
    )
    figures = replace(figures, periods=periods(figures.by_year))
    counts, sums, unpublished = figure_cells(figures, lookup)
    return replace(figures, withheld=withheld_cells(counts, sums, unpublished, merged=True))


def figure_cells(figures: Figures, category_of: Callable[[str], str | None]
                 ) -> tuple[dict[Cell, int], list[Sum[Cell]], list[Cell]]:
    """Every count a public output publishes, the sums a reader can form from them, and the counts that are
    published nowhere. A combination that is not listed (a tactic nobody used) reads as a known zero and
    is in no sum. The years are published as periods, the undated incidents as a row of their own."""
    counts: dict[Cell, int] = {("total",): figures.total, ("returnee_total",): figures.returnee_total}
    counts.update({("period", t.key): t.count for t in figures.periods})
    counts.update({("origin", t.key): t.count for t in figures.by_origin})
    counts.update({("host", t.key): t.count for t in figures.by_host})
    counts.update({("tactic", t.key): t.count for t in figures.by_tactic})
    counts.update({("category", t.key): t.count for t in figures.by_category})
    counts.update({("flow", f.origin_state, f.host_country): f.count for f in figures.flows})
    counts.update({("outcome", o.outcome): o.count for o in figures.returnee_outcomes})
    dated = parts_of("period", (t.key for t in figures.periods))
    if figures.undated:
        counts[("undated",)] = figures.undated
        dated += (("undated",),)

    total: Cell = ("total",)
    sums: list[Sum[Cell]] = [
        Sum(total, dated),
        Sum(total, parts_of("origin", (t.key for t in figures.by_origin))),
        Sum(total, parts_of("host", (t.key for t in figures.by_host))),
        Sum(total, parts_of("tactic", (t.key for t in figures.by_tactic))),
        Sum(total, parts_of("category", (t.key for t in figures.by_category))),
        Sum(total, tuple(("flow", f.origin_state, f.host_country) for f in figures.flows)),
        Sum(("returnee_total",), parts_of("outcome", (o.outcome for o in figures.returnee_outcomes))),
    ]
    for origin in figures.by_origin:
        sums.append(Sum(("origin", origin.key), tuple(
            ("flow", f.origin_state, f.host_country) for f in figures.flows if f.origin_state == origin.key)))
    for host in figures.by_host:
        sums.append(Sum(("host", host.key), tuple(
            ("flow", f.origin_state, f.host_country) for f in figures.flows if f.host_country == host.key)))
    for category in figures.by_category:
        sums.append(Sum(("category", category.key), tuple(
            ("tactic", t.key) for t in figures.by_tactic if (category_of(t.key) or "other") == category.key)))
    sums.append(Sum(("returnee_total",), parts_of("tactic", (t for t in RETURN_TACTICS if ("tactic", t) in counts))))
    return counts, sums, []


def parts_of(kind: str, keys: Iterable[str]) -> tuple[Cell, ...]:
    return tuple((kind, key) for key in keys)


def _check_count(count: int) -> None:
    if count < 0:
        raise ValueError(f"a group of incidents cannot count {count}")


def figures_from_groups(
    groups: Iterable[IncidentGroup], category_of: Callable[[str], str | None] | Mapping[str, str],
    *, fill_years: bool = True,
) -> Figures:
    """:func:`compute_figures` from per-incident attribute groups (one row per distinct combination)."""
    flows: Counter[tuple[str, str]] = Counter()
    years: Counter[int | None] = Counter()
    tactic_outcomes: Counter[tuple[str, str]] = Counter()
    for group in groups:
        _check_count(group.count)
        flows[(group.origin_state, group.host_country)] += group.count
        years[group.year] += group.count
        tactic_outcomes[(group.tactic, group.outcome)] += group.count
    return compute_figures(
        [Flow(o, h, n) for (o, h), n in flows.items()],
        years,
        [TacticOutcomeCount(t, o, n) for (t, o), n in tactic_outcomes.items()],
        category_of,
        fill_years=fill_years,
    )
