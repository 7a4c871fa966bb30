"""The data tables behind every chart, page section, CSV download and briefing.

Pure: no Django. A :class:`Table` holds display-ready cells; suppression for public outputs (small counts
and the counts withheld to protect them, :attr:`~shelter.analytics.stats.Figures.withheld`) is applied
here, once, so a chart, its CSV and the briefing built from the same table can never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from shelter.analytics.stats import RETURN_TACTICS, Figures, Shown, Tally, shown

__all__ = ["TABLE_NAMES", "Column", "Labels", "Table", "build_tables", "count_of", "headline"]

ChartKind = Literal["columns", "bars"]
Cell = str | int
LABEL_COLUMNS = frozenset({"label", "origin", "host"})


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


def build_tables(figures: Figures, labels: Labels, public: bool) -> dict[str, Table]:
    """Every table of ``figures``, keyed by name (see :data:`TABLE_NAMES`)."""
    tables = {
        "by_year": _tallies(figures, "by_year", "year", figures.by_year, labels.heading("year"), str, labels,
                            public, "columns"),
        "by_category": _tallies(figures, "by_category", "category", figures.by_category, labels.heading("category"),
                                labels.category, labels, public, "bars"),
        "by_tactic": _tallies(figures, "by_tactic", "tactic", figures.by_tactic, labels.heading("tactic"),
                              labels.tactic, labels, public, "bars"),
        "by_origin": _tallies(figures, "by_origin", "origin", figures.by_origin, labels.heading("origin_state"),
                              labels.place, labels, public, "bars"),
        "by_host": _tallies(figures, "by_host", "host", figures.by_host, labels.heading("host_country"),
                            labels.place, labels, public, "bars"),
    }
    flow_rows: list[dict[str, Cell]] = []
    for flow in figures.flows:
        origin, host = labels.place(flow.origin_state), labels.place(flow.host_country)
        flow_rows.append({
            "key": f"{flow.origin_state}-{flow.host_country}", "label": f"{origin} → {host}",
            "origin": origin, "host": host,
            "count": figures.shown(("flow", flow.origin_state, flow.host_country), flow.count, public),
        })
    tables["flows"] = Table(
        "flows", labels.heading("flows"),
        (Column("origin", labels.heading("origin_state")), Column("host", labels.heading("host_country")),
         Column("count", labels.incidents)),
        tuple(flow_rows), "bars",
    )
    outcome_rows: list[dict[str, Cell]] = []
    for outcome in figures.returnee_outcomes:
        row: dict[str, Cell] = {"key": outcome.outcome, "label": labels.outcome(outcome.outcome),
                                "count": figures.shown(("outcome", outcome.outcome), outcome.count, public)}
        for tally in outcome.by_tactic:
            row[tally.key] = figures.shown(("return", outcome.outcome, tally.key), tally.count, public)
        outcome_rows.append(row)
    tables["returnee_outcomes"] = Table(
        "returnee_outcomes", labels.heading("returnee_outcomes"),
        (Column("label", labels.heading("outcome")), Column("count", labels.incidents),
         *(Column(tactic, labels.tactic(tactic)) for tactic in RETURN_TACTICS)),
        tuple(outcome_rows), "bars",
    )
    return tables


def headline(figures: Figures, public: bool) -> dict[str, Shown]:
    """The figures a briefing opens with."""
    top_host = next((t for t in figures.by_host if t.key), None)
    top_host_shown = top_host and isinstance(figures.shown(("host", top_host.key), top_host.count, public), int)
    return {
        "incidents_total": figures.shown(("total",), figures.total, public),
        "returnee_total": figures.shown(("returnee_total",), figures.returnee_total, public),
        "host_countries": shown(sum(1 for t in figures.by_host if t.key), public),
        "tactics": shown(len(figures.by_tactic), public),
        "top_host_country": top_host.key if top_host and top_host_shown else "",
    }
