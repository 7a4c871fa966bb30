"""Statistics over Interpol notices, diffusions and extradition or deportation requests.

Pure: no Django. The database groups the caller's visible notices by issuing state, kind, status, year of
issue, the subject's nationalities and whether another state or the CCF refused to act on them; this module
counts the groups. Public notices carry no issue date: their year is then read from the entity id ("2019/…"),
which INTERPOL numbers by year of issue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from shelter.analytics.stats import Cell, Shown, Tally, shown
from shelter.analytics.suppression import Sum, withheld_cells

__all__ = ["NoticeFigures", "NoticeGroup", "compute_notice_figures", "notice_year"]


def notice_year(issued_year: str | None, entity_id_prefix: str | None) -> tuple[int | None, bool]:
    """(year, read from the entity id): the issue date's year, else the year an entity id "2019/…" begins with."""
    if issued_year and issued_year.isdigit():
        return int(issued_year), False
    prefix = entity_id_prefix or ""
    if len(prefix) == 5 and prefix[:4].isdigit() and prefix[4] == "/":
        return int(prefix[:4]), True
    return None, False


@dataclass(frozen=True)
class NoticeGroup:
    issuing_state: str
    kind: str
    status: str
    year: int | None
    refused: bool
    count: int
    nationalities: tuple[str, ...] = ()
    year_from_id: bool = False  # the year is the entity id's ("2019/12345"), no issue date being recorded


@dataclass(frozen=True)
class NoticeFigures:
    total: int
    by_kind: tuple[Tally, ...]
    by_status: tuple[Tally, ...]
    by_year: tuple[Tally, ...]
    refused: int
    # How kind and status codes read to a person.
    labels: Mapping[str, str] = field(default_factory=dict)
    undated: int = 0
    # Notices counted under each nationality of their subject (a dual national under both), and those
    # whose subject's nationality is not recorded.
    by_nationality: tuple[Tally, ...] = ()
    no_nationality: int = 0
    years_from_id: int = 0
    # The cells a public output withholds (see shelter.analytics.suppression).
    withheld: frozenset[Cell] = frozenset()

    def as_dict(self, public: bool) -> dict[str, object]:
        def cell(name: Cell, count: int) -> Shown:
            return shown(count, public, name in self.withheld)

        def tallies(kind: str, items: tuple[Tally, ...]) -> list[dict[str, Shown]]:
            return [{"key": t.key, "label": self.labels.get(t.key, t.key), "count": cell((kind, t.key), t.count)}
                    for t in items]

        return {
            "total": cell(("total",), self.total),
            "refused": cell(("refused",), self.refused),
            "by_kind": tallies("kind", self.by_kind),
            "by_status": tallies("status", self.by_status),
            "by_year": tallies("year", self.by_year),
            "years_from_id": self.years_from_id,
            "by_nationality": tallies("nationality", self.by_nationality),
            "no_nationality": cell(("no_nationality",), self.no_nationality),
        }


def _withheld(figures: NoticeFigures) -> frozenset[Cell]:
    """Small counts and the counts that would give them away: the total is the sum of the counts by kind,
    by status, and by year with the undated notices (published nowhere)."""
    counts: dict[Cell, int] = {("total",): figures.total, ("refused",): figures.refused}
    sums: list[Sum[Cell]] = []
    for kind, tallies in (("kind", figures.by_kind), ("status", figures.by_status), ("year", figures.by_year)):
        counts.update({(kind, t.key): t.count for t in tallies})
        sums.append(Sum(("total",), tuple((kind, t.key) for t in tallies)))
    unpublished: list[Cell] = []
    if figures.undated:
        counts[("undated",)] = figures.undated
        unpublished.append(("undated",))
        sums[-1] = Sum(("total",), sums[-1].parts + (("undated",),))
    counts.update({("nationality", t.key): t.count for t in figures.by_nationality})
    parts: tuple[Cell, ...] = tuple(("nationality", t.key) for t in figures.by_nationality)
    if figures.no_nationality:  # a published 0 tells nothing about anyone and is not withheld
        counts[("no_nationality",)] = figures.no_nationality
        parts += (("no_nationality",),)
    if sum(t.count for t in figures.by_nationality) + figures.no_nationality == figures.total:
        # Nobody holds two nationalities: the nationality counts add up to the total.
        sums.append(Sum(("total",), parts))
    return withheld_cells(counts, sums, unpublished)


def compute_notice_figures(groups: Iterable[NoticeGroup], labels: Mapping[str, str] | None = None) -> NoticeFigures:
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    years: Counter[int] = Counter()
    nationalities: Counter[str] = Counter()
    total = refused = undated = no_nationality = years_from_id = 0
    for group in groups:
        total += group.count
        for nationality in set(group.nationalities):
            nationalities[nationality] += group.count
        if not group.nationalities:
            no_nationality += group.count
        if group.year_from_id:
            years_from_id += group.count
        kinds[group.kind] += group.count
        statuses[group.status] += group.count
        if group.year is not None:
            years[group.year] += group.count
        else:
            undated += group.count
        if group.refused:
            refused += group.count
    figures = NoticeFigures(
        total=total,
        by_kind=tuple(Tally(k, n) for k, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        by_status=tuple(Tally(s, n) for s, n in sorted(statuses.items())),
        by_year=tuple(Tally(str(y), years[y]) for y in sorted(years)),
        refused=refused,
        labels=dict(labels or {}),
        undated=undated,
        by_nationality=tuple(Tally(c, n) for c, n in sorted(nationalities.items(), key=lambda item: (-item[1], item[0]))),
        no_nationality=no_nationality,
        years_from_id=years_from_id,
    )
    return replace(figures, withheld=_withheld(figures))
