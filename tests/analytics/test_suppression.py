"""Complementary suppression: no withheld count can be worked out from the published ones.

The check reads only what a public output publishes: for every sum a reader can form from it (a table
against the headline total, flows against the origin and host tables, tactics against their category,
the returnee table against its row totals, the tactic table and the returnee total), the number of
withheld members (the total included) must be 0 or at least 2.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.analytics.stats import (
    RETURN_TACTICS,
    SUPPRESSED,
    IncidentGroup,
    figure_cells,
    figures_from_groups,
)
from shelter.analytics.suppression import Sum, withheld_cells
from shelter.analytics.tables import Labels, build_tables, headline

LABELS = Labels(country=str, tactic=str, category=str, outcome=str)
CATEGORIES = {"unlawful_deportation": "physical", "rendition": "physical", "extradition_request": "legal_mobility",
              "red_notice": "legal_mobility", "phishing": "digital"}


def _withheld_members(total: object, parts: Iterable[object]) -> int:
    return sum(1 for cell in (total, *parts) if cell == SUPPRESSED)


def published_sums(tables, top, categories, undated: int) -> list[tuple[str, object, list[object]]]:  # type: ignore[no-untyped-def]
    """Every (name, total, parts) equation a reader can form from public tables and headline figures. The
    years add up to the total only when no incident is undated (the undated are published nowhere)."""
    def cells(name: str, column: str = "count") -> dict[str, object]:
        return {row["key"]: row[column] for row in tables[name].rows}

    total = top["incidents_total"]
    sums = [(f"{name} against the total", total, list(cells(name).values()))
            for name in ("by_origin", "by_host", "by_tactic", "by_category", *(() if undated else ("by_year",)))]
    origins, hosts, tactics = cells("by_origin"), cells("by_host"), cells("by_tactic")
    by_origin: dict[str, list[object]] = defaultdict(list)
    by_host: dict[str, list[object]] = defaultdict(list)
    for row in tables["flows"].rows:
        origin, host = str(row["key"]).split("-", 1)
        by_origin[origin].append(row["count"])
        by_host[host].append(row["count"])
    sums += [(f"flows from {o}", origins[o], parts) for o, parts in by_origin.items()]
    sums += [(f"flows to {h or 'unknown'}", hosts[h], parts) for h, parts in by_host.items()]
    by_category: dict[str, list[object]] = defaultdict(list)
    for code, count in tactics.items():
        by_category[categories.get(code, "other")].append(count)
    sums += [(f"tactics of {c}", cells("by_category")[c], parts) for c, parts in by_category.items()]
    outcomes = tables["returnee_outcomes"].rows
    sums.append(("returnee outcomes", top["returnee_total"], [row["count"] for row in outcomes]))
    sums.append(("return tactics", top["returnee_total"], [tactics[t] for t in RETURN_TACTICS if t in tactics]))
    sums += [(f"returns ending {row['key']}", row["count"], [row[t] for t in RETURN_TACTICS]) for row in outcomes]
    sums += [(f"returns by {t}", tactics[t], [row[t] for row in outcomes]) for t in RETURN_TACTICS if t in tactics]
    # A sum of nothing is a known zero: it tells an absence (which the tables' missing rows tell anyway),
    # never a person.
    return [(name, total, parts) for name, total, parts in sums if parts]


def assert_nothing_can_be_worked_out(tables, top, categories, undated: int) -> None:  # type: ignore[no-untyped-def]
    for name, total, parts in published_sums(tables, top, categories, undated):
        assert _withheld_members(total, parts) != 1, (name, total, parts)
    for table in tables.values():
        for row in table.rows:
            for column in table.columns:
                if column.key not in ("label", "origin", "host"):
                    cell = row[column.key]
                    assert cell == SUPPRESSED or (isinstance(cell, int) and cell >= 3), (table.name, row)


def assert_public_figures_safe(figures, categories) -> None:  # type: ignore[no-untyped-def]
    assert_nothing_can_be_worked_out(build_tables(figures, LABELS, public=True), headline(figures, True), categories,
                                     figures.undated)


def test_a_single_small_count_beside_a_total_takes_the_smallest_other_count_with_it() -> None:
    counts = {"total": 12, "a": 7, "b": 4, "c": 1}
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c"))]) == {"b", "c"}
    # Every part withheld but one sum left with a single withheld member: the total goes.
    assert withheld_cells({"t": 2, "only": 2}, [Sum("t", ("only",))]) == {"t", "only"}
    assert withheld_cells({"t": 9, "a": 5, "b": 4}, [Sum("t", ("a", "b"))]) == frozenset()
    # An unpublished part (undated incidents) is an unknown: one more unknown would give it away.
    assert withheld_cells({"t": 9, "2019": 5, "2020": 3, "undated": 1}, [Sum("t", ("2019", "2020", "undated"))],
                          ["undated"]) == {"2020", "undated"}
    with pytest.raises(KeyError, match="'missing'"):
        withheld_cells({"t": 3}, [Sum("t", ("missing",))])


def test_withholding_for_a_row_can_oblige_its_column_too() -> None:
    # Origin rows and host columns, both published: the 1 in (UZ, DE) takes (UZ, TR) with it for its row,
    # which leaves column TR with a single withheld cell: (RU, TR) goes as well, and then row RU needs one more.
    groups = [("UZ", "DE", 1), ("UZ", "TR", 5), ("RU", "TR", 6), ("RU", "DE", 9), ("RU", "FR", 8), ("UZ", "FR", 20)]
    figures = figures_from_groups([IncidentGroup(o, h, "phishing", 2020, "unknown", n) for o, h, n in groups],
                                  CATEGORIES)
    assert_public_figures_safe(figures, CATEGORIES)
    flows = {row["key"]: row["count"] for row in build_tables(figures, LABELS, public=True)["flows"].rows}
    assert flows["UZ-DE"] == flows["UZ-TR"] == flows["RU-TR"] == SUPPRESSED
    assert sum(1 for count in flows.values() if count == SUPPRESSED) >= 4


group_strategy = st.builds(
    IncidentGroup,
    st.sampled_from(["UZ", "TJ", "RU"]), st.sampled_from(["TR", "DE", ""]), st.sampled_from(sorted(CATEGORIES)),
    st.one_of(st.none(), st.integers(2015, 2019)), st.sampled_from(["detained", "tortured", "released", "killed"]),
    st.integers(1, 12),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(group_strategy, min_size=1, max_size=25))
def test_no_public_table_lets_a_withheld_count_be_worked_out(groups: list[IncidentGroup]) -> None:
    figures = figures_from_groups(groups, CATEGORIES)
    assert_public_figures_safe(figures, CATEGORIES)
    # The undated incidents, published nowhere, are an unknown of the year sum: a total and years that are
    # all shown would give their number away.
    if figures.undated:
        tables, top = build_tables(figures, LABELS, public=True), headline(figures, True)
        years = [row["count"] for row in tables["by_year"].rows]
        assert not years or _withheld_members(top["incidents_total"], years) >= 1


@pytest.mark.django_db
def test_public_outputs_of_the_workspace_withhold_what_would_give_a_small_count_away(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import Audience, IncidentFilters, figures_for, tables_for
    from shelter.incidents.taxonomy import taxonomy

    categories = {t.code: t.category for t in taxonomy().tactics}
    secondary = 0
    for filters in (IncidentFilters(), IncidentFilters(states=("UZ",)), IncidentFilters(year_from=2016)):
        for audience in (Audience(None, public=True), Audience(users["editor"], public=True)):
            figures = figures_for(audience, filters)
            # The tables exactly as the pages, CSV files and briefings show them.
            assert_nothing_can_be_worked_out(tables_for(audience, filters), headline(figures, True), categories,
                                             figures.undated)
            counts, _, _ = figure_cells(figures, categories.get)
            secondary += sum(1 for cell in figures.withheld if counts[cell] >= 3)
    assert secondary  # the workspace does need complementary suppression: the check above can fail
