"""Charts render offline to SVG and PNG from the same tables the pages and briefings show."""

from __future__ import annotations

import socket

import pytest

from shelter.analytics.charts import chart_spec, render_chart
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
        assert svg.startswith(b"<svg") and table.title.encode() in svg
    png = render_chart(chart_spec(tables["by_host"]), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_public_chart_shows_withheld_counts_as_x(no_network: None) -> None:
    # Hosts 7, 4 and 1 with the total 12 published: 1 is withheld, and 4 with it, else 12 − 7 − 4 gives it away.
    public_svg = render_chart(chart_spec(_tables(public=True)["by_host"]), "svg").decode()
    assert f">{SUPPRESSED}<" in public_svg and ">7<" in public_svg and ">4<" not in public_svg
    internal_svg = render_chart(chart_spec(_tables(public=False)["by_host"]), "svg").decode()
    assert f">{SUPPRESSED}<" not in internal_svg and ">1<" in internal_svg and ">4<" in internal_svg


def test_cyrillic_labels_survive() -> None:
    assert "Россия" in render_chart(chart_spec(_tables(public=False)["by_host"]), "svg").decode()


def test_spec_keeps_its_data_inline() -> None:
    spec = chart_spec(_tables(public=True)["by_year"])
    assert "url" not in spec["data"] and [v["shown"] for v in spec["data"]["values"]] == ["7", "x", "x"]
    # Withheld years keep their place on the axis, though they have no bar.
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["2016", "2017", "2018"]


def test_csv_matches_table_and_unknown_format_is_refused() -> None:
    table = _tables(public=True)["flows"]
    assert table.csv().splitlines() == ["origin state,host country,incidents", "Uzbekistan,Türkiye,7",
                                        "Uzbekistan,DE,x", "Uzbekistan,Россия,x"]
    with pytest.raises(ValueError, match="unknown chart format 'gif'"):
        render_chart(chart_spec(table), "gif")  # type: ignore[arg-type]
