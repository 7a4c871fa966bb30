"""``shelter network paths`` and ``report``: JSON and HTML, each finding linked to its records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.network.conftest import LEVELS, SEES, Levels

pytestmark = pytest.mark.django_db


def _run(*args: str) -> Any:
    from shelter.cli import main

    return CliRunner().invoke(main, ["network", *args], catch_exceptions=False)


def test_paths_between_two_people_through_the_handler(levels: Levels, users: Any) -> None:
    informant, friend = levels.people["PUBLISHED"].pk, levels.hub["friend"].pk
    result = _run("paths", str(informant), str(friend), "--public")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    [path] = found["paths"]
    assert [n["label"] for n in path["nodes"]] == ["ZQPERPUBLISHED", "HUB handler", "HUB friend"]
    assert [e["kind"] for e in path["edges"]] == ["informant_for", "associate"]
    assert path["edges"][1]["detail"] == "ZQRELPUBLISHED"  # the only associate link a visitor may see
    assert all(e["record_url"].startswith("/registry/") for e in path["edges"])


def test_paths_to_a_hidden_person_answer_like_a_missing_one(levels: Levels, users: Any) -> None:
    hidden = _run("paths", str(levels.people["INTERNAL"].pk), str(levels.hub["friend"].pk), "--as", "viewer_public")
    missing = _run("paths", "999999", str(levels.hub["friend"].pk), "--as", "viewer_public")
    assert hidden.exit_code == missing.exit_code == 2
    assert hidden.output.replace(str(levels.people["INTERNAL"].pk), "N") == missing.output.replace("999999", "N")
    bad = _run("paths", "someone", "2")
    assert bad.exit_code == 2 and "person:ID" in bad.output


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_report_json_and_html(role: str, levels: Levels, users: Any, tmp_path: Path) -> None:
    result = _run("report", "--state", "UZ", "--as", role)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    seen = SEES[role]
    assert report["nodes"]["incident"] == len(seen)
    [agency] = [s for s in report["shared_perpetrators"] if s["actor"]["label"] == "HUB agency"]
    assert sorted(i["label"] for i in agency["incidents"]) == sorted(f"ZQINC{lv}" for lv in seen)
    assert len(agency["host_countries"]) == len(seen)
    assert {r["kind"] for r in agency["records"]} == {"perpetrator"}
    assert sorted(i["label"] for i in report["informants"]) == sorted(f"ZQPER{lv}" for lv in seen)
    assert [h["label"] for h in report["handlers"]] == ["HUB handler"]
    near = {p["person"]["label"] for p in report["near_informants_and_handlers"]["people"]}
    assert "HUB friend" in near
    assert report["communities"]["method"] == "louvain" and not report["centrality"]["betweenness_approximate"]
    out = tmp_path / "report.html"
    assert _run("report", "--state", "Uzbekistan", "--as", role, "--format", "html", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "HUB agency" in html and f'href="/registry/organisations/{levels.hub["agency"].pk}/"' in html
    for level in set(LEVELS) - seen:
        assert f"ZQPER{level}" not in html and f"ZQINC{level}" not in html
        assert f"ZQPER{level}" not in result.stdout
