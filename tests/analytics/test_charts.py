"""Charts render offline to SVG and PNG from the same tables the pages and briefings show."""

from __future__ import annotations

import re
import socket

import pytest

from shelter.analytics.charts import MAX_BARS, OTHER_COLOUR, PALETTE, SERIES_COLOUR, chart_spec, render_chart
from shelter.analytics.stats import SUPPRESSED, IncidentGroup, figures_from_groups
from shelter.analytics.tables import TABLE_NAMES, Labels, build_tables

LABELS = Labels(country=lambda c: {"UZ": "Uzbekistan", "TR": "Türkiye", "RU": "Россия"}.get(c, c),
                tactic=str, category=str, outcome=str)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("chart rendering tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _tables(public: bool):  # type: ignore[no-untyped-def]
    figures = figures_from_groups([
        IncidentGroup("UZ", "TR", "unlawful_deportation", 2016, "detained", 7),
        IncidentGroup("UZ", "RU", "extradition_request", 2018, "tortured", 1),
        IncidentGroup("UZ", "DE", "unlawful_deportation", 2018, "detained", 4),
    ], {"unlawful_deportation": "physical", "extradition_request": "legal_mobility"})
    return build_tables(figures, LABELS, public)


def test_every_table_renders_to_svg_and_png_offline(no_network: None) -> None:
    tables = _tables(public=False)
    assert set(tables) == set(TABLE_NAMES)
    for table in tables.values():
        svg = render_chart(chart_spec(table), "svg")
        # The page names the chart in its heading: the chart repeats no title, only its labels.
        assert svg.startswith(b"<svg") and table.title.encode() not in svg
        assert all(str(row["label"]).encode() in svg for row in table.rows[:MAX_BARS])
    png = render_chart(chart_spec(tables["by_host"]), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def _bar_colours(svg: str) -> list[str]:
    return re.findall(r'<path aria-label="[^"]*" role="graphics-symbol"[^>]*fill="(#[0-9a-f]{6})"', svg)


def test_each_category_has_its_own_colour_and_other_is_grey(no_network: None) -> None:
    internal = chart_spec(_tables(public=False)["by_host"])
    colours = internal["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert len(colours) == 3 and len(set(colours)) == 3
    svg = render_chart(internal, "svg").decode()
    assert sorted(set(_bar_colours(svg))) == sorted(colours)
    public = chart_spec(_tables(public=True)["by_host"])
    assert public["layer"][0]["encoding"]["color"]["scale"]["range"] == [PALETTE[0], OTHER_COLOUR]
    # A time series is one colour.
    years = chart_spec(_tables(public=False)["by_year"])["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert set(years) == {SERIES_COLOUR}


def test_public_chart_merges_withheld_counts_into_other(no_network: None) -> None:
    # Hosts 7, 4 and 1 with the total 12 published: 1 is withheld, and 4 with it, else 12 − 7 − 4 gives it away;
    # together they are one bar, "other", of 5.
    public_svg = render_chart(chart_spec(_tables(public=True)["by_host"]), "svg").decode()
    assert f">{SUPPRESSED}<" not in public_svg and ">7<" in public_svg and ">other<" in public_svg
    assert ">5<" in public_svg and ">4<" not in public_svg and ">1<" not in public_svg
    internal_svg = render_chart(chart_spec(_tables(public=False)["by_host"]), "svg").decode()
    assert ">other<" not in internal_svg and ">1<" in internal_svg and ">4<" in internal_svg


def test_cyrillic_labels_survive() -> None:
    assert "Россия" in render_chart(chart_spec(_tables(public=False)["by_host"]), "svg").decode()


def test_spec_keeps_its_data_inline() -> None:
    spec = chart_spec(_tables(public=True)["by_year"])
    # 2016: 7; 2017 (none) and 2018 (5) make one period.
    assert "url" not in spec["data"] and [v["shown"] for v in spec["data"]["values"]] == ["7", "5"]
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["2016", "2017–2018"]
    internal = chart_spec(_tables(public=False)["by_year"])
    assert internal["layer"][0]["encoding"]["x"]["sort"] == ["2016", "2017", "2018"]


def test_csv_matches_table_and_unknown_format_is_refused() -> None:
    table = _tables(public=True)["flows"]
    assert table.csv().splitlines() == ["origin state,host country,incidents", "Uzbekistan,Türkiye,7", "other,,5"]
    with pytest.raises(ValueError, match="unknown chart format 'gif'"):
        render_chart(chart_spec(table), "gif")  # type: ignore[arg-type]
