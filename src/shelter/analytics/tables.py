"""The data tables behind every chart, page section, CSV download and briefing.

Pure: no Django. A :class:`Table` holds display-ready cells; suppression for public outputs (small counts
and the counts withheld to protect them, :attr:`~shelter.analytics.stats.Figures.withheld`) is applied
here, once, so a chart, its CSV and the briefing built from the same table can never disagree.

A public table shows no withheld count: its withheld rows are merged into one "other" row (at least
:data:`~shelter.analytics.suppression.SMALL_COUNT_LIMIT`, since the suppression is merged), its years are
periods, and a table whose total is itself withheld shows no rows, only :attr:`Labels.withheld` in words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from shelter.analytics.stats import RETURN_TACTICS, Figures, Shown, Tally, shown
from shelter.analytics.stats import Cell as FigureCell
from shelter.analytics.suppression import merge_withheld

__all__ = ["OTHER_KEY", "TABLE_NAMES", "Column", "Labels", "Table", "build_tables", "count_of", "headline"]

ChartKind = Literal["columns", "bars"]
Cell = str | int
LABEL_COLUMNS = frozenset({"label", "origin", "host"})
# The key of a public table's "other" row: the withheld rows together.
OTHER_KEY = "_other"


@dataclass(frozen=True)
class Labels:
    """How codes read to a person (country names, tactic labels in the reader's language)."""

    country: Callable[[str], str]
    tactic: Callable[[str], str]
    category: Callable[[str], str]
    outcome: Callable[[str], str]
    unknown_country: str = "unknown"
    incidents: str = "incidents"
    headings: dict[str, str] = field(default_factory=dict)
    # A public table's "other" row, by table name; the year table's when undated incidents are in it.
    others: dict[str, str] = field(default_factory=dict)
    undated: str = "date unknown"
    withheld: str = "Not shown: fewer than 3 incidents, or a number that would let such a count be worked out."
    # A public headline figure below 3, in words.
    fewer: str = "fewer than 3"

    def other(self, table: str) -> str:
        return self.others.get(table, "other")

    def heading(self, key: str) -> str:
        return self.headings.get(key, key.replace("_", " "))

    def place(self, code: str) -> str:
        return self.country(code) if code else self.unknown_country


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Cell], ...]
    # How the table is charted: its "label" column against its "count" column.
    chart: ChartKind | None = None
    # Said instead of rows when a public table's total is withheld.
    note: str = ""

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([column.title for column in self.columns])
        for row in self.rows:
            writer.writerow([row.get(column.key, "") for column in self.columns])
        return buffer.getvalue()

    @property
    def header(self) -> list[tuple[str, bool]]:
        """Each column's title, with whether the column holds counts (for alignment)."""
        return [(c.title, c.key not in LABEL_COLUMNS) for c in self.columns]

    @property
    def cell_rows(self) -> list[list[tuple[Cell, bool]]]:
        """Each row's cells in column order, with whether the cell is a count (for alignment)."""
        return [[(row.get(c.key, ""), c.key not in LABEL_COLUMNS) for c in self.columns] for row in self.rows]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "columns": [{"key": c.key, "title": c.title} for c in self.columns],
            "rows": [dict(row) for row in self.rows],
        }


def count_of(cell: Cell) -> int | None:
    """The number a chart plots for a count cell; ``None`` for a suppressed one."""
    return cell if isinstance(cell, int) else None


TABLE_NAMES: tuple[str, ...] = (
    "by_year", "by_category", "by_tactic", "by_origin", "by_host", "flows", "returnee_outcomes",
)


def _tallies(
    figures: Figures, name: str, cell: str, tallies: tuple[Tally, ...], key_title: str, label: Callable[[str], str],
    labels: Labels, public: bool, chart: ChartKind,
) -> Table:
    rows = tuple({"key": t.key, "label": label(t.key), "count": figures.shown((cell, t.key), t.count, public)}
                 for t in tallies)
    return Table(
        name, labels.heading(name), (Column("label", key_title), Column("count", labels.incidents)), rows, chart
    )


def _merged(table: Table, figures: Figures, total: FigureCell, cells: list[tuple[FigureCell, int]],
            other_label: str, labels: Labels) -> Table:
    """``table`` as a public output shows it: the rows of shown cells, then one "other" row with the withheld
    ones together; no row at all, and the withheld note, when the table's total is withheld. ``cells`` are the
    figure cells of the table's rows, in order, with their counts."""
    merged = merge_withheld(dict(cells), total, (cell for cell, _ in cells), figures.withheld)
    if merged.total_withheld:
        return Table(table.name, table.title, table.columns, (), table.chart, labels.withheld)
    rows = [row for row, (cell, _) in zip(table.rows, cells, strict=True) if cell not in figures.withheld]
    if merged.other:
        rows.append({"key": OTHER_KEY, "label": other_label, "count": merged.other,
                     **({"origin": other_label, "host": ""} if table.name == "flows" else {})})
    return Table(table.name, table.title, table.columns, tuple(rows), table.chart)


def build_tables(figures: Figures, labels: Labels, public: bool) -> dict[str, Table]:
    """Every table of ``figures``, keyed by name (see :data:`TABLE_NAMES`)."""
    return _public_tables(figures, labels) if public else _internal_tables(figures, labels)


def _internal_tables(figures: Figures, labels: Labels) -> dict[str, Table]:
    tables = {
        "by_year": _tallies(figures, "by_year", "year", figures.by_year, labels.heading("year"), str, labels,
                            False, "columns"),
        "by_category": _tallies(figures, "by_category", "category", figures.by_category, labels.heading("category"),
                                labels.category, labels, False, "bars"),
        "by_tactic": _tallies(figures, "by_tactic", "tactic", figures.by_tactic, labels.heading("tactic"),
                              labels.tactic, labels, False, "bars"),
        "by_origin": _tallies(figures, "by_origin", "origin", figures.by_origin, labels.heading("origin_state"),
                              labels.place, labels, False, "bars"),
        "by_host": _tallies(figures, "by_host", "host", figures.by_host, labels.heading("host_country"),
                            labels.place, labels, False, "bars"),
        "flows": _flows(figures, labels),
    }
    outcome_rows: list[dict[str, Cell]] = []
    for outcome in figures.returnee_outcomes:
        row: dict[str, Cell] = {"key": outcome.outcome, "label": labels.outcome(outcome.outcome),
                                "count": outcome.count}
        for tally in outcome.by_tactic:
            row[tally.key] = tally.count
        outcome_rows.append(row)
    tables["returnee_outcomes"] = Table(
        "returnee_outcomes", labels.heading("returnee_outcomes"),
        (Column("label", labels.heading("outcome")), Column("count", labels.incidents),
         *(Column(tactic, labels.tactic(tactic)) for tactic in RETURN_TACTICS)),
        tuple(outcome_rows), "bars",
    )
    return tables


def _flows(figures: Figures, labels: Labels) -> Table:
    flow_rows: list[dict[str, Cell]] = []
    for flow in figures.flows:
        origin, host = labels.place(flow.origin_state), labels.place(flow.host_country)
        flow_rows.append({"key": f"{flow.origin_state}-{flow.host_country}", "label": f"{origin} → {host}",
                          "origin": origin, "host": host, "count": flow.count})
    return Table(
        "flows", labels.heading("flows"),
        (Column("origin", labels.heading("origin_state")), Column("host", labels.heading("host_country")),
         Column("count", labels.incidents)),
        tuple(flow_rows), "bars",
    )


def _public_tables(figures: Figures, labels: Labels) -> dict[str, Table]:
    internal = _internal_tables(figures, labels)
    total: FigureCell = ("total",)

    def merged(name: str, cell: str, tallies: tuple[Tally, ...]) -> Table:
        return _merged(internal[name], figures, total, [((cell, t.key), t.count) for t in tallies],
                       labels.other(name), labels)

    dated = [Tally(t.key, t.count) for t in figures.periods]
    year_cells: list[tuple[FigureCell, int]] = [(("period", t.key), t.count) for t in figures.periods]
    if figures.undated:
        dated.append(Tally("", figures.undated))
        year_cells.append((("undated",), figures.undated))
    years = Table("by_year", labels.heading("by_year"),
                  (Column("label", labels.heading("year")), Column("count", labels.incidents)),
                  tuple({"key": t.key, "label": t.key or labels.undated, "count": t.count} for t in dated), "columns")
    undated_hidden = bool(figures.undated) and ("undated",) in figures.withheld
    flows = internal["flows"]
    returnees = internal["returnee_outcomes"]
    return {
        "by_year": _merged(years, figures, total, year_cells,
                           labels.other("by_year_undated" if undated_hidden else "by_year"), labels),
        "by_category": merged("by_category", "category", figures.by_category),
        "by_tactic": merged("by_tactic", "tactic", figures.by_tactic),
        "by_origin": merged("by_origin", "origin", figures.by_origin),
        "by_host": merged("by_host", "host", figures.by_host),
        "flows": _merged(flows, figures, total,
                         [(("flow", f.origin_state, f.host_country), f.count) for f in figures.flows],
                         labels.other("flows"), labels),
        # Public: the outcomes only (the outcomes by tactic would be counts of a few people each).
        "returnee_outcomes": _merged(
            Table(returnees.name, returnees.title, returnees.columns[:2],
                  tuple({k: row[k] for k in ("key", "label", "count")} for row in returnees.rows), returnees.chart),
            figures, ("returnee_total",), [(("outcome", o.outcome), o.count) for o in figures.returnee_outcomes],
            labels.other("returnee_outcomes"), labels),
    }


def headline(figures: Figures, labels: Labels, public: bool) -> dict[str, Shown]:
    """The figures a briefing and the public home page open with. Public, a figure below 3 is said in words
    (:attr:`Labels.fewer`): each stands alone (the totals are parts of no sum), so it is withheld only when
    small, and "fewer than 3" is exactly what a reader may know of it."""
    top_host = next((t for t in figures.by_host if t.key), None)
    top_host_shown = top_host and isinstance(figures.shown(("host", top_host.key), top_host.count, public), int)
    return {
        "incidents_total": figures.shown(("total",), figures.total, public, labels.fewer),
        "returnee_total": figures.shown(("returnee_total",), figures.returnee_total, public, labels.fewer),
        "host_countries": shown(sum(1 for t in figures.by_host if t.key), public, withheld_as=labels.fewer),
        "tactics": shown(len(figures.by_tactic), public, withheld_as=labels.fewer),
        "top_host_country": top_host.key if top_host and top_host_shown else "",
    }
