"""Complementary suppression: no withheld count can be worked out from the published ones, and public tables
merge what they withhold into one "other" row of at least 3.

Two checks, on the incident figures and on the notice statistics. What a reader sees (the public tables, the
headline figures, the notice lists and figures): every count shown is at least 3, nothing shows "x", a figure
below 3 that stands alone is said in words ("fewer than 3"), each table adds up to its total, and each table's
"other" row is exactly its withheld rows.
What the figures withhold: in every sum a reader can form (a table against the headline total, flows against
the origin and host tables, tactics against their category, the return tactics against the returnee total),
the withheld members (the total included) are 0 or at least 2, and when the total is shown they leave 0 or
at least 3 between them: no remainder a reader can work out is a small count either.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.analytics.notice_stats import NoticeFigures, NoticeGroup, compute_notice_figures, notice_cells
from shelter.analytics.stats import (
    RETURN_TACTICS,
    SMALL_COUNT_LIMIT,
    SUPPRESSED,
    Figures,
    IncidentGroup,
    Shown,
    figure_cells,
    figures_from_groups,
)
from shelter.analytics.suppression import Sum, withheld_cells
from shelter.analytics.tables import OTHER_KEY, Labels, Table, build_tables, headline

LABELS = Labels(country=str, tactic=str, category=str, outcome=str)
CATEGORIES = {"unlawful_deportation": "physical", "rendition": "physical", "extradition_request": "legal_mobility",
              "red_notice": "legal_mobility", "phishing": "digital"}
TABLE_CELLS = {"by_category": "category", "by_tactic": "tactic", "by_origin": "origin", "by_host": "host",
               "returnee_outcomes": "outcome"}


def assert_headline_in_numbers_or_words(top: dict[str, Shown], words: str) -> None:
    """The headline figures: a count of 3 or more, or "fewer than 3" in words; never "x"."""
    for name, value in top.items():
        if name != "top_host_country":
            assert value == words or (isinstance(value, int) and value >= SMALL_COUNT_LIMIT), (name, value)
    assert SUPPRESSED not in top.values()


def assert_tables_show_no_small_count(tables: dict[str, Table], figures: Figures, labels: Labels = LABELS) -> None:
    """What a reader sees: counts of 3 or more only, tables that add up, "other" rows that are what they say."""
    top = headline(figures, labels, True)
    assert_headline_in_numbers_or_words(top, labels.fewer)
    assert top["incidents_total"] == (figures.total if figures.total >= SMALL_COUNT_LIMIT else labels.fewer)
    for table in tables.values():
        total = figures.returnee_total if table.name == "returnee_outcomes" else figures.total
        shown_total = top["returnee_total" if table.name == "returnee_outcomes" else "incidents_total"]
        if not table.rows:
            # Nothing shown: a total that is withheld, said in words.
            assert shown_total == labels.fewer and table.note, table.name
            continue
        assert shown_total == total, table.name
        for row in table.rows:
            for column in table.columns:
                if column.key not in ("label", "origin", "host"):
                    cell = row[column.key]
                    assert isinstance(cell, int) and cell >= SMALL_COUNT_LIMIT, (table.name, row)
        assert sum(int(row["count"]) for row in table.rows) == total, table.name
    for name, kind in TABLE_CELLS.items():
        rows = {row["key"]: row["count"] for row in tables[name].rows}
        if not rows:
            continue
        tallies = figures.returnee_outcomes if name == "returnee_outcomes" else getattr(figures, name)
        keys = [t.outcome if name == "returnee_outcomes" else t.key for t in tallies]
        counts = [t.count for t in tallies]
        hidden = sum(c for k, c in zip(keys, counts, strict=True) if (kind, k) in figures.withheld)
        assert rows.get(OTHER_KEY, 0) == hidden, name
        assert set(rows) - {OTHER_KEY} == {k for k in keys if (kind, k) not in figures.withheld}, name


def reader_sums(figures: Figures, categories: dict[str, str]) -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Every (total, parts) a reader can form from a public output, named as the figures name their cells."""
    total = ("total",)
    dated = [("period", t.key) for t in figures.periods] + ([("undated",)] if figures.undated else [])
    flows = [("flow", f.origin_state, f.host_country) for f in figures.flows]
    sums = [(total, dated), (total, flows), *((total, [(kind, t.key) for t in tallies]) for kind, tallies in (
        ("origin", figures.by_origin), ("host", figures.by_host), ("tactic", figures.by_tactic),
        ("category", figures.by_category)))]
    sums += [(("origin", o.key), [c for c, f in zip(flows, figures.flows, strict=True) if f.origin_state == o.key])
             for o in figures.by_origin]
    sums += [(("host", h.key), [c for c, f in zip(flows, figures.flows, strict=True) if f.host_country == h.key])
             for h in figures.by_host]
    sums += [(("category", c.key), [("tactic", t.key) for t in figures.by_tactic
                                    if categories.get(t.key, "other") == c.key]) for c in figures.by_category]
    sums.append((("returnee_total",), [("outcome", o.outcome) for o in figures.returnee_outcomes]))
    sums.append((("returnee_total",), [("tactic", t) for t in RETURN_TACTICS if t in {x.key for x in figures.by_tactic}]))
    return [(whole, parts) for whole, parts in sums if parts]


def assert_nothing_can_be_worked_out(figures: Figures, categories: dict[str, str]) -> None:
    """What the figures withhold, against every sum a reader can form."""
    counts, _, _ = figure_cells(figures, categories.get)
    withheld = figures.withheld
    assert {cell for cell, count in counts.items() if count < SMALL_COUNT_LIMIT} <= withheld
    for whole, parts in reader_sums(figures, categories):
        assert sum(1 for cell in (whole, *parts) if cell in withheld) != 1, (whole, parts)
        if whole not in withheld:
            remainder = sum(counts[cell] for cell in parts if cell in withheld)
            assert remainder == 0 or remainder >= SMALL_COUNT_LIMIT, (whole, parts, remainder)


def assert_public_figures_safe(figures: Figures, categories: dict[str, str]) -> None:
    assert_tables_show_no_small_count(build_tables(figures, LABELS, public=True), figures)
    assert_nothing_can_be_worked_out(figures, categories)


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


def test_merged_sums_leave_no_small_remainder() -> None:
    counts = {"total": 12, "a": 7, "b": 4, "c": 1}
    # Merged, the withheld parts of a shown total add up to 3 or more: 1 alone would be the "other" row.
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c"))], merged=True) == {"b", "c"}
    counts = {"total": 12, "a": 9, "b": 1, "c": 1, "d": 1}
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c", "d"))]) == {"b", "c", "d"}
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c", "d"))], merged=True) == {"b", "c", "d"}
    counts = {"total": 12, "a": 8, "b": 2, "c": 1, "d": 1}
    # 2 + 1 + 1 = 4 is enough; 2 + 1 with d shown would not be (it is not: d is below 3 too).
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c", "d"))], merged=True) == {"b", "c", "d"}
    counts = {"total": 12, "a": 8, "b": 3, "c": 1}
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c"))], merged=True) == {"b", "c"}
    counts = {"total": 11, "a": 6, "b": 3, "c": 1, "e": 1}
    # Two withheld parts would do for the plain rule; merged, their 2 takes the 3 with it.
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c", "e"))]) == {"c", "e"}
    assert withheld_cells(counts, [Sum("total", ("a", "b", "c", "e"))], merged=True) == {"b", "c", "e"}
    # A withheld total hides its remainder: nothing more to withhold.
    assert withheld_cells({"t": 2, "a": 1, "b": 1}, [Sum("t", ("a", "b"))], merged=True) == {"t", "a", "b"}


def _public(groups: list[tuple[str, str, int]], **fields: object) -> tuple[Figures, dict[str, Table]]:
    figures = figures_from_groups([IncidentGroup(o, h, str(fields.get("tactic", "phishing")),
                                                 fields.get("year", 2020), "unknown", n)  # type: ignore[arg-type]
                                   for o, h, n in groups], CATEGORIES)
    return figures, build_tables(figures, LABELS, public=True)


def test_small_hosts_are_merged_into_other_and_other_is_never_small() -> None:
    # Hosts TR 7, DE 4, FR 1, RU 1: FR and RU (2 together) take DE with them: other = 6.
    figures, tables = _public([("UZ", "TR", 7), ("UZ", "DE", 4), ("UZ", "FR", 1), ("UZ", "RU", 1)])
    assert [(r["label"], r["count"]) for r in tables["by_host"].rows] == [("TR", 7), ("other", 6)]
    assert_public_figures_safe(figures, CATEGORIES)
    # Hosts TR 7, DE 4, FR 2, RU 2: FR and RU make 4, enough on their own.
    figures, tables = _public([("UZ", "TR", 7), ("UZ", "DE", 4), ("UZ", "FR", 2), ("UZ", "RU", 2)])
    assert [(r["label"], r["count"]) for r in tables["by_host"].rows] == [("TR", 7), ("DE", 4), ("other", 4)]
    # The same routes, merged the same way, with their own "other".
    assert [(r["key"], r["count"]) for r in tables["flows"].rows] == [("UZ-TR", 7), ("UZ-DE", 4), (OTHER_KEY, 4)]
    assert_public_figures_safe(figures, CATEGORIES)
    # Nothing small: nothing merged.
    figures, tables = _public([("UZ", "TR", 7), ("UZ", "DE", 4)])
    assert [r["key"] for r in tables["by_host"].rows] == ["TR", "DE"]


def test_withholding_for_a_row_can_oblige_its_column_too() -> None:
    # Origin rows and host columns, both published: the 1 in (UZ, DE) takes (UZ, TR) with it for its row,
    # which leaves column TR with a single withheld cell: (RU, TR) goes as well, and then row RU needs one more.
    groups = [("UZ", "DE", 1), ("UZ", "TR", 5), ("RU", "TR", 6), ("RU", "DE", 9), ("RU", "FR", 8), ("UZ", "FR", 20)]
    figures, tables = _public(groups)
    assert_public_figures_safe(figures, CATEGORIES)
    flows = {row["key"]: row["count"] for row in tables["flows"].rows}
    assert not {"UZ-DE", "UZ-TR", "RU-TR"} & set(flows)
    assert flows[OTHER_KEY] == 49 - sum(count for key, count in flows.items() if key != OTHER_KEY) >= 1 + 5 + 6


def test_years_are_joined_into_periods_of_three_or_more() -> None:
    figures = figures_from_groups([IncidentGroup("UZ", "TR", "phishing", year, "unknown", n)
                                   for year, n in ((2014, 1), (2015, 2), (2016, 4), (2018, 1), (2019, 1), (2020, 1))],
                                  CATEGORIES)
    rows = build_tables(figures, LABELS, public=True)["by_year"].rows
    # 2017 had none; 2018–2020 make 3 together.
    assert [(r["label"], r["count"]) for r in rows] == [("2014–2015", 3), ("2016", 4), ("2017–2020", 3)]
    internal = build_tables(figures, LABELS, public=False)["by_year"].rows
    assert [r["count"] for r in internal] == [1, 2, 4, 0, 1, 1, 1]
    assert_public_figures_safe(figures, CATEGORIES)


def test_a_few_undated_incidents_take_a_period_with_them() -> None:
    groups = [IncidentGroup("UZ", "TR", "phishing", year, "unknown", n) for year, n in ((2016, 4), (2017, 5), (None, 1))]
    figures = figures_from_groups(groups, CATEGORIES)
    rows = build_tables(figures, LABELS, public=True)["by_year"].rows
    # Years shown with the total would give the one undated incident away: the smaller year goes with it.
    assert [(r["key"], r["count"]) for r in rows] == [("2017", 5), (OTHER_KEY, 5)]
    groups.append(IncidentGroup("UZ", "TR", "phishing", None, "unknown", 3))
    figures = figures_from_groups(groups, CATEGORIES)
    rows = build_tables(figures, LABELS, public=True)["by_year"].rows
    assert [(r["label"], r["count"]) for r in rows] == [("2016", 4), ("2017", 5), ("date unknown", 4)]


def test_a_table_whose_total_is_withheld_says_so_in_words() -> None:
    figures, tables = _public([("UZ", "TR", 1), ("TJ", "DE", 1)])
    assert figures.total == 2
    for table in tables.values():
        assert table.rows == () and table.note.startswith("Not shown: fewer than 3")
        assert SUPPRESSED not in table.csv()
    assert_public_figures_safe(figures, CATEGORIES)


group_strategy = st.builds(
    IncidentGroup,
    st.sampled_from(["UZ", "TJ", "RU"]), st.sampled_from(["TR", "DE", ""]), st.sampled_from(sorted(CATEGORIES)),
    st.one_of(st.none(), st.integers(2015, 2019)), st.sampled_from(["detained", "tortured", "released", "killed"]),
    st.integers(1, 12),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(group_strategy, min_size=1, max_size=25))
def test_no_public_table_shows_or_lets_a_small_count_be_worked_out(groups: list[IncidentGroup]) -> None:
    assert_public_figures_safe(figures_from_groups(groups, CATEGORIES), CATEGORIES)


def assert_notice_statistics_safe(figures: NoticeFigures) -> None:
    """The public notice statistics: what a reader sees, and what the figures withhold against every sum a reader
    can form (by kind, by status, by period with the undated, by nationality with those not recorded)."""
    public = figures.as_dict(public=True)
    words = figures.words
    counts, sums = notice_cells(figures)
    withheld = figures.withheld
    for name in ("total", "refused"):
        value = public[name]
        # A figure that stands alone: its number when 3 or more, else "fewer than 3" in words.
        assert value == (getattr(figures, name) if getattr(figures, name) >= SMALL_COUNT_LIMIT else words.fewer)
    lists = {"kind": "by_kind", "status": "by_status", "period": "by_year", "nationality": "by_nationality"}
    for kind, name in lists.items():
        rows = public[name]
        assert isinstance(rows, list)
        assert all(isinstance(row["count"], int) and row["count"] >= SMALL_COUNT_LIMIT for row in rows), (name, rows)
        whole, parts = sums[kind].total, sums[kind].parts
        if whole in withheld:
            assert rows == [] and public["total"] == words.fewer and public["note"] == words.withheld
            continue
        assert sum(int(row["count"]) for row in rows) == counts[whole], name
        hidden = sum(counts[cell] for cell in parts if cell in withheld)
        assert sum(int(row["count"]) for row in rows if row["key"] == OTHER_KEY) == hidden, name
        assert len(rows) == sum(1 for cell in parts if cell not in withheld) + (1 if hidden else 0), name
    assert "no_nationality" not in public and SUPPRESSED not in [public["total"], public["refused"]]
    if public["years_from_id_withheld"]:
        assert public["years_from_id"] == words.fewer
    else:
        assert public["years_from_id"] == 0 or int(str(public["years_from_id"])) >= SMALL_COUNT_LIMIT
    assert {cell for cell, count in counts.items() if count < SMALL_COUNT_LIMIT} <= withheld
    for equation in (equation for equation in sums.values() if equation.parts):
        assert sum(1 for cell in (equation.total, *equation.parts) if cell in withheld) != 1, equation
        if equation.total not in withheld:
            remainder = sum(counts[cell] for cell in equation.parts if cell in withheld)
            assert remainder == 0 or remainder >= SMALL_COUNT_LIMIT, (equation, remainder)


notice_group_strategy = st.builds(
    NoticeGroup,
    st.sampled_from(["RU", "TJ"]), st.sampled_from(["red_notice", "diffusion", "extradition"]),
    st.sampled_from(["active", "withdrawn", "deleted"]), st.one_of(st.none(), st.integers(2015, 2020)), st.booleans(),
    st.integers(1, 6), st.lists(st.sampled_from(["RU", "TJ", "UA"]), max_size=2, unique=True).map(tuple),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(notice_group_strategy, min_size=0, max_size=20))
def test_no_public_notice_statistic_shows_or_lets_a_small_count_be_worked_out(groups: list[NoticeGroup]) -> None:
    assert_notice_statistics_safe(compute_notice_figures(groups))


def test_notice_statistics_merge_small_kinds_and_say_a_small_total_in_words() -> None:
    figures = compute_notice_figures([
        NoticeGroup("RU", "red_notice", "active", 2019, False, 7, ("RU",)),
        NoticeGroup("RU", "diffusion", "active", 2020, False, 4, ("RU",)),
        NoticeGroup("RU", "extradition", "withdrawn", 2021, True, 1, ("TJ",)),
    ])
    public = figures.as_dict(public=True)
    # 12 = 7 + 4 + 1: the 1 takes the 4 with it, and both are "other kinds", 5.
    assert [(row["key"], row["count"]) for row in public["by_kind"]] == [("red_notice", 7), (OTHER_KEY, 5)]
    assert public["by_kind"][-1]["label"] == "other kinds"
    assert public["total"] == 12 and public["refused"] == "fewer than 3"
    # Years joined into periods of at least 3: 2019 (7), 2020–2021 (5).
    assert [(row["label"], row["count"]) for row in public["by_year"]] == [("2019", 7), ("2020–2021", 5)]
    assert_notice_statistics_safe(figures)
    small = compute_notice_figures([NoticeGroup("RU", "red_notice", "active", 2019, False, 2, ("RU",))])
    shown = small.as_dict(public=True)
    assert shown["total"] == "fewer than 3" and shown["by_kind"] == [] and shown["note"].startswith("Not shown")
    assert_notice_statistics_safe(small)


@pytest.mark.django_db
def test_public_outputs_of_the_workspace_withhold_what_would_give_a_small_count_away(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import (
        Audience,
        IncidentFilters,
        figures_for,
        labels,
        notice_figures_for,
        tables_for,
    )
    from shelter.incidents.taxonomy import taxonomy

    categories = {t.code: t.category for t in taxonomy().tactics}
    merged = 0
    for filters in (IncidentFilters(), IncidentFilters(states=("UZ",)), IncidentFilters(year_from=2016)):
        for audience in (Audience(None, public=True), Audience(users["editor"], public=True)):
            figures = figures_for(audience, filters)
            # The tables exactly as the pages, CSV files and briefings show them.
            tables = tables_for(audience, filters)
            assert_tables_show_no_small_count(tables, figures, labels())
            assert_nothing_can_be_worked_out(figures, categories)
            notices = notice_figures_for(audience, filters)
            if notices is not None:
                assert_notice_statistics_safe(notices)
            merged += sum(1 for table in tables.values() for row in table.rows if row["key"] == OTHER_KEY)
    assert merged  # the workspace does need merging: the checks above can fail
