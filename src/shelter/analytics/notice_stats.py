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

from shelter.analytics.stats import Cell, Shown, Tally, periods, shown
from shelter.analytics.suppression import SMALL_COUNT_LIMIT, Sum, merge_withheld, withheld_cells
from shelter.analytics.tables import OTHER_KEY

__all__ = ["NoticeFigures", "NoticeGroup", "NoticeWords", "compute_notice_figures", "notice_cells", "notice_year"]


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
class NoticeWords:
    """What a public notice table says for what it merges or withholds, in the reader's language."""

    other_kinds: str = "other kinds"
    other_statuses: str = "other statuses"
    other_years: str = "other years"
    other_years_undated: str = "other years or date unknown"
    other_nationalities: str = "other nationalities or not recorded"
    undated: str = "date unknown"
    no_nationality: str = "nationality not recorded"
    fewer: str = "fewer than 3"
    withheld: str = "Not shown: fewer than 3 notices, or a number that would let such a count be worked out."


Row = dict[str, Shown]


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
    # The years as a public output shows them: periods of at least SMALL_COUNT_LIMIT notices each.
    periods: tuple[Tally, ...] = ()
    # The cells a public output withholds (see shelter.analytics.suppression, merged).
    withheld: frozenset[Cell] = frozenset()
    words: NoticeWords = NoticeWords()

    def as_dict(self, public: bool) -> dict[str, object]:
        """The statistics as the pages, the API and the briefings show them. Public: the withheld rows of each
        list merged into one "other" row of at least 3, the years into periods, and a figure that stands alone
        (the total, the refused notices) said in words when it is below 3; no list at all, and the withheld
        note, when the total is withheld."""
        if public:
            return self._public_dict()

        def tallies(items: tuple[Tally, ...]) -> list[Row]:
            return [{"key": t.key, "label": self.labels.get(t.key, t.key), "count": t.count} for t in items]

        return {
            "total": self.total,
            "refused": self.refused,
            "by_kind": tallies(self.by_kind),
            "by_status": tallies(self.by_status),
            "by_year": tallies(self.by_year),
            "years_from_id": self.years_from_id,
            "by_nationality": tallies(self.by_nationality),
            "no_nationality": self.no_nationality,
        }

    def _public_dict(self) -> dict[str, object]:
        words = self.words
        counts, sums = notice_cells(self)
        total_withheld = ("total",) in self.withheld

        def merged(total: Cell, rows: list[tuple[Cell, str, str]], other_label: str) -> list[Row]:
            shown_cells = merge_withheld(counts, total, (cell for cell, _, _ in rows), self.withheld)
            if shown_cells.total_withheld:
                return []
            kept: list[Row] = [{"key": key, "label": label, "count": counts[cell]}
                               for cell, key, label in rows if cell in shown_cells.shown]
            if shown_cells.other:
                kept.append({"key": OTHER_KEY, "label": other_label, "count": shown_cells.other})
            return kept

        def labelled(kind: str, items: tuple[Tally, ...]) -> list[tuple[Cell, str, str]]:
            return [((kind, t.key), t.key, self.labels.get(t.key, t.key)) for t in items]

        years = labelled("period", self.periods)
        if self.undated:
            years.append((("undated",), "", words.undated))
        nationalities = labelled("nationality", self.by_nationality)
        if self.no_nationality:
            nationalities.append((("no_nationality",), "", words.no_nationality))
        undated_hidden = ("undated",) in self.withheld and bool(self.undated)
        few_from_id = 0 < self.years_from_id < SMALL_COUNT_LIMIT
        return {
            "total": shown(self.total, True, total_withheld, words.fewer),
            "refused": shown(self.refused, True, ("refused",) in self.withheld, words.fewer),
            "by_kind": merged(("total",), labelled("kind", self.by_kind), words.other_kinds),
            "by_status": merged(("total",), labelled("status", self.by_status), words.other_statuses),
            "by_year": merged(("total",), years, words.other_years_undated if undated_hidden else words.other_years),
            "years_from_id": words.fewer if few_from_id else self.years_from_id,
            "years_from_id_withheld": few_from_id,
            "by_nationality": merged(sums["nationality"].total, nationalities, words.other_nationalities),
            "note": words.withheld if total_withheld else "",
        }


def notice_cells(figures: NoticeFigures) -> tuple[dict[Cell, int], dict[str, Sum[Cell]]]:
    """Every count a public output publishes, and the sums a reader can form from them, by list: the total is the
    sum of the counts by kind, by status and by period with the undated notices; the counts by nationality with
    those whose nationality is not recorded add up to the total when nobody holds two nationalities, and
    otherwise to a sum of their own (which a reader forms from the list)."""
    counts: dict[Cell, int] = {("total",): figures.total, ("refused",): figures.refused}
    sums: dict[str, Sum[Cell]] = {}
    for kind, tallies in (("kind", figures.by_kind), ("status", figures.by_status), ("period", figures.periods)):
        counts.update({(kind, t.key): t.count for t in tallies})
        sums[kind] = Sum(("total",), tuple((kind, t.key) for t in tallies))
    if figures.undated:
        counts[("undated",)] = figures.undated
        sums["period"] = Sum(("total",), sums["period"].parts + (("undated",),))
    counts.update({("nationality", t.key): t.count for t in figures.by_nationality})
    parts: tuple[Cell, ...] = tuple(("nationality", t.key) for t in figures.by_nationality)
    if figures.no_nationality:
        counts[("no_nationality",)] = figures.no_nationality
        parts += (("no_nationality",),)
    listed = sum(counts[cell] for cell in parts)
    nationality_total: Cell = ("total",) if listed == figures.total else ("nationalities",)
    counts.setdefault(nationality_total, listed)
    sums["nationality"] = Sum(nationality_total, parts)
    return counts, sums


def _withheld(figures: NoticeFigures) -> frozenset[Cell]:
    """Small counts and the counts that would give them away, merged: no "other" row below the limit either."""
    counts, sums = notice_cells(figures)
    return withheld_cells(counts, sums.values(), merged=True)


def compute_notice_figures(groups: Iterable[NoticeGroup], labels: Mapping[str, str] | None = None,
                           words: NoticeWords | None = None) -> NoticeFigures:
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
        words=words or NoticeWords(),
    )
    figures = replace(figures, periods=periods(figures.by_year))
    return replace(figures, withheld=_withheld(figures))
