"""Rendered charts and briefing PDFs kept on disk: a later process reads them instead of starting a renderer, a
change of data or of renderer makes them anew, and a reader only ever gets a chart drawn from the data they see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def _new_process() -> None:
    """What a new process starts with: nothing rendered in memory (the disk cache stays)."""
    from shelter.analytics import charts

    charts._render.cache_clear()


def _refuse(*args: object) -> bytes:
    raise AssertionError("the renderer was started although the file was kept")


def _charts(briefing):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import BRIEFING_CHARTS
    from shelter.analytics.charts import chart_spec

    return {name: chart_spec(briefing.tables[name]) for name in BRIEFING_CHARTS if briefing.tables[name].rows}


def _drawn_afresh(spec: dict[str, object]) -> bytes:
    from shelter.analytics import charts

    return charts._draw(json.dumps(spec, sort_keys=True), "svg")


def test_unchanged_data_is_not_rendered_again_by_a_new_process(workspace, users, monkeypatch):  # type: ignore[no-untyped-def]
    from shelter.analytics import briefing as briefings
    from shelter.analytics import charts
    from shelter.analytics.rendered import cache_dir
    from shelter.analytics.services import Audience

    briefing = briefings.build_briefing("UZ", Audience(users["editor"]), 2014, 2026)
    html, pdf = briefings.render_html(briefing), briefings.render_pdf(briefing)
    assert len(list(cache_dir("charts").iterdir())) == len(_charts(briefing))
    _new_process()
    monkeypatch.setattr(charts, "_draw", _refuse)
    monkeypatch.setattr(briefings, "_lay_out", _refuse)
    again = briefings.build_briefing("UZ", Audience(users["editor"]), 2014, 2026)
    assert briefings.render_html(again) == html
    assert briefings.render_pdf(again) == pdf


def test_a_change_of_data_draws_the_changed_charts_anew(workspace, users, monkeypatch):  # type: ignore[no-untyped-def]
    from shelter.analytics import charts
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.services import Audience
    from shelter.incidents.models import Incident

    render_html(build_briefing("UZ", Audience(users["editor"]), 2014, 2026))
    Incident.objects.create(title="A new case", tactic="detention", date="2019-05", origin_state="UZ",
                            host_country="TR", outcome="detained", confidentiality="public", published=True)
    _new_process()
    drawn: list[str] = []
    draw = charts._draw

    def counting(spec_json: str, fmt: str) -> bytes:
        drawn.append(spec_json)
        return draw(spec_json, fmt)

    monkeypatch.setattr(charts, "_draw", counting)
    changed = build_briefing("UZ", Audience(users["editor"]), 2014, 2026)
    render_html(changed)
    by_year = json.dumps(_charts(changed)["by_year"], sort_keys=True)
    assert by_year in drawn
    assert charts.render_chart(_charts(changed)["by_year"]) == draw(by_year, "svg")


def test_a_reader_who_sees_less_never_gets_a_chart_drawn_from_more(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.charts import render_chart
    from shelter.analytics.services import Audience

    wider = build_briefing("UZ", Audience(users["admin"]), 2014, 2026)
    render_html(wider)
    wider_charts = {name: render_chart(spec) for name, spec in _charts(wider).items()}
    for audience in (Audience(users["viewer"]), Audience(users["viewer_public"]), Audience(None, public=True)):
        _new_process()
        narrower = _charts(build_briefing("UZ", audience, 2014, 2026))
        shown = {name: render_chart(spec) for name, spec in narrower.items()}
        assert shown == {name: _drawn_afresh(spec) for name, spec in narrower.items()}
        assert shown["by_year"] != wider_charts["by_year"]


def test_another_renderer_version_draws_anew(monkeypatch):  # type: ignore[no-untyped-def]
    from shelter.analytics import charts
    from shelter.analytics.tables import Column, Table

    table = Table("by_year", "Incidents by year", (Column("label", "Year"), Column("count", "Incidents")),
                  ({"label": "2020", "count": 5}, {"label": "2021", "count": 7}), chart="columns")
    first = charts.render_chart(charts.chart_spec(table))
    _new_process()
    monkeypatch.setattr(charts, "renderer_version", lambda: "0.0-another")
    drawn: list[str] = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda spec, fmt: drawn.append(spec) or draw(spec, fmt))
    assert charts.render_chart(charts.chart_spec(table)) == first and len(drawn) == 1


def test_an_expired_pdf_is_laid_out_again_and_old_files_are_removed(workspace, users, monkeypatch):  # type: ignore[no-untyped-def]
    from shelter.analytics import briefing as briefings
    from shelter.analytics import rendered
    from shelter.analytics.services import Audience

    briefing = briefings.build_briefing("UZ", Audience(users["editor"]), 2014, 2026)
    pdf = briefings.render_pdf(briefing)
    (kept_pdf,) = rendered.cache_dir("briefings").iterdir()
    long_ago = time.time() - briefings.PDF_KEPT_SECONDS - 60
    os.utime(kept_pdf, (long_ago, long_ago))
    laid_out: list[str] = []
    lay_out = briefings._lay_out
    monkeypatch.setattr(briefings, "_lay_out", lambda html: laid_out.append(html) or lay_out(html))
    assert briefings.render_pdf(briefing)[:4] == pdf[:4] == b"%PDF" and len(laid_out) == 1
    assert kept_pdf.stat().st_mtime > long_ago

    monkeypatch.setattr(rendered, "MAX_FILES", 10)
    for index in range(12):
        rendered.kept("charts", "svg", ("test", str(index)), lambda: b"<svg/>")
    assert len(list(rendered.cache_dir("charts").iterdir())) <= 10


def test_a_cache_that_cannot_be_written_renders_as_if_there_were_none():  # type: ignore[no-untyped-def]
    from shelter.analytics import rendered

    home = rendered.cache_dir("charts").parent
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_bytes(b"")  # a file where the cache's folder would be
    try:
        assert rendered.kept("charts", "svg", ("test",), lambda: b"<svg/>") == b"<svg/>"
    finally:
        home.unlink()


def test_a_new_process_imports_no_renderer_until_it_renders() -> None:
    """Starting Django and loading the briefing's code (with its network section's) imports neither vl-convert,
    WeasyPrint, FollowTheMoney nor networkx."""
    code = ("import sys, django; django.setup(); import shelter.analytics.briefing, shelter.analytics.cli, "
            "shelter.network.briefing; print(','.join(m for m in ('vl_convert', 'weasyprint', 'followthemoney', "
            "'networkx') if m in sys.modules))")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "shelter.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=environment,
                            check=True)
    assert result.stdout.strip() == ""
