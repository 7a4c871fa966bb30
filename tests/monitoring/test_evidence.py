"""The host briefing and the outcome table: figures agree with the database, public mode withholds small
counts and names no one, and every command shows only what the caller may see."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

from shelter.cli import main
from shelter.monitoring.models import CheckIn, MonitoringPlan
from shelter.monitoring.services import create_deadline, create_plan, record_check_in

pytestmark = pytest.mark.django_db


def _returns(returnee: Any, statuses: list[str], level: dict[str, Any], host: str = "DE") -> None:
    from shelter.registry.models import Person

    for index, status in enumerate(statuses):
        person = Person.objects.create(primary_name=f"Returnee {status} {index}", **level)
        plan = create_plan(None, {"person": person.pk, "host_country": host, "destination": "UZ",
                                  "return_date": f"2025-0{1 + index % 9}-10", "interval_days": 7, **level})
        if status != "unknown":
            record_check_in(None, plan, {"date": "2025-12-01", "status": "no_contact"})
            record_check_in(None, plan, {"date": "2025-11-01", "status": status, "sources": "family"})


def _brief(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["brief", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


PUBLIC = {"confidentiality": "public", "published": True}
INTERNAL = {"confidentiality": "internal"}


def test_host_briefing_figures_agree_with_the_database(users, returnee) -> None:
    _returns(returnee, ["detained"] * 4 + ["safe"] * 3 + ["died", "unknown"], PUBLIC)
    _returns(returnee, ["tortured"], INTERNAL)
    _returns(returnee, ["safe"] * 5, PUBLIC, host="TR")
    create_deadline(None, {"person": returnee.pk, "kind": "interim_measure", "body": "ecthr_rule39",
                           "due": "2025-01-05", "title": "Rule 39", "status": "ignored", "host_country": "DE"})
    briefing = _brief("--host", "DE")
    plans = MonitoringPlan.objects.filter(host_country="DE")
    assert briefing["returns_total"] == plans.count() == 10
    assert briefing["outcomes"] == {"safe": 3, "detained": 4, "tortured": 1, "died": 1, "unknown": 1}
    assert briefing["outcomes"]["detained"] == CheckIn.objects.filter(plan__in=plans, status="detained").count()
    assert briefing["interim_measures_ignored"] == 1
    assert {r["person"] for r in briefing["returns"]} >= {"Returnee died 7"}


def test_public_host_briefing_merges_small_counts_and_names_no_one(users, returnee) -> None:
    _returns(returnee, ["detained"] * 4 + ["safe"] * 3 + ["died"], PUBLIC)
    _returns(returnee, ["tortured"] * 3, INTERNAL)  # not public: not counted at all
    briefing = _brief("--host", "DE", "--public")
    # 'died' (1) is withheld; with the total shown, the smallest other part goes too: together "other", 4
    assert briefing["outcomes"] == {"detained": 4, "other": 4} and briefing["returns_total"] == 8
    assert sum(briefing["outcomes"].values()) == briefing["returns_total"]
    assert briefing["destinations"] == {"UZ": 8}
    # No interim measure ignored: 0 is below 3 too, and said in words.
    assert briefing["interim_measures_ignored"] == "fewer than 3"
    assert "returns" not in briefing and "Returnee" not in json.dumps(briefing)
    html = CliRunner().invoke(main, ["brief", "--host", "DE", "--public", "--format", "html"]).stdout
    assert "Returnee" not in html and ">x<" not in html and "<td>other outcomes</td><td>4</td>" in html
    assert "<strong>fewer than 3</strong>" in html


def test_public_host_briefing_says_a_total_below_3_in_words(users, returnee) -> None:
    _returns(returnee, ["detained", "safe"], PUBLIC)
    briefing = _brief("--host", "DE", "--public")
    assert briefing["returns_total"] == "fewer than 3" and briefing["outcomes"] == briefing["destinations"] == {}
    russian = _brief("--host", "DE", "--public", "--language", "ru")
    assert russian["returns_total"] == "меньше 3" and russian["host_name"] == "Германия"
    html = CliRunner().invoke(main, ["brief", "--host", "DE", "--public", "--format", "html"]).stdout
    assert "Not shown: fewer than 3 people" in html and ">x<" not in html


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|title)>.*?</\1>", " ", html, flags=re.S))


@pytest.mark.parametrize("public", [True, False])
def test_host_briefing_speaks_russian(users, returnee, public: bool) -> None:
    """Every interface string of the host briefing in Russian: no English word is left on the page but the
    host's ISO code (and, restricted, the people's names as recorded)."""
    _returns(returnee, ["detained"] * 4 + ["safe"] * 3 + ["died", "unknown"], PUBLIC)
    _returns(returnee, ["no_contact"] * 3, PUBLIC, host="DE")
    create_deadline(None, {"person": returnee.pk, "kind": "interim_measure", "body": "ecthr_rule39",
                           "due": "2025-01-05", "title": "Rule 39", "status": "ignored", "host_country": "DE",
                           "confidentiality": "public", "published": True})
    args = ["brief", "--host", "DE", "--format", "html", "--language", "ru", *(["--public"] if public else [])]
    html = CliRunner().invoke(main, args, catch_exceptions=False).stdout
    assert '<html lang="ru">' in html and "Германия" in html and "Узбекистан" in html
    text = _visible_text(html)
    names = set(MonitoringPlan.objects.values_list("person__primary_name", flat=True))
    for name in names:
        assert (name in text) != public
        text = text.replace(name, " ")
    assert set(re.findall(r"[A-Za-z]{2,}", text)) == {"DE"}, text
    assert "задержан" in text and ("другие исходы" in text) == public
    english = CliRunner().invoke(main, [arg for arg in args if arg not in ("--language", "ru")],
                                 catch_exceptions=False).stdout
    assert "What followed" in english and "Germany" in english


def test_host_briefing_pdf_in_russian(users, returnee) -> None:
    from pypdf import PdfReader

    _returns(returnee, ["detained"] * 4, PUBLIC)
    result = CliRunner().invoke(main, ["brief", "--host", "DE", "--public", "--language", "ru", "-o", "-"],
                                catch_exceptions=False)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(result.stdout_bytes)).pages)
    assert "Что с ними стало" in text and "What followed" not in text


def test_brief_needs_either_a_state_or_a_host(db) -> None:
    result = CliRunner().invoke(main, ["brief", "--format", "json"])
    assert result.exit_code == 2 and "either --state" in result.output
    result = CliRunner().invoke(main, ["brief", "--host", "Atlantis", "--format", "json"])
    assert result.exit_code == 2 and "Atlantis" in result.output


def test_outcome_table_csv_per_host_origin_and_year(users, returnee) -> None:
    _returns(returnee, ["detained"] * 3 + ["safe"], PUBLIC)
    full = CliRunner().invoke(main, ["monitor", "outcomes"], catch_exceptions=False).stdout
    assert "DE,UZ,2025,detained,3" in full and "DE,UZ,2025,safe,1" in full
    public = CliRunner().invoke(main, ["monitor", "outcomes", "--public"], catch_exceptions=False).stdout
    # The 1 safe takes the 3 detained with it: together "other", 4; no "x".
    assert "DE,UZ,2025,other,4" in public and "safe" not in public and ",x" not in public


def test_due_and_deadlines_commands_use_the_callers_view_and_a_fixed_date(users, returnee) -> None:
    create_plan(None, {"person": returnee.pk, "host_country": "DE", "destination": "UZ",
                       "return_date": "2026-03-01", "interval_days": 7, "teams": ["alpha"]})
    create_deadline(None, {"person": returnee.pk, "kind": "hearing", "due": "2026-03-12", "title": "ZQHEARING",
                           "teams": ["alpha"]})
    runner = CliRunner()
    for who, expected in (("editor", 1), ("researcher", 0), ("viewer", 0)):
        due = json.loads(runner.invoke(main, ["monitor", "due", "--as", who, "--today", "2026-03-10", "--json"],
                                       catch_exceptions=False).stdout)
        listed = json.loads(runner.invoke(main, ["monitor", "deadlines", "--as", who, "--today", "2026-03-10",
                                                 "--json"], catch_exceptions=False).stdout)
        assert (due["count"], listed["count"]) == (expected, expected), who
    assert json.loads(runner.invoke(main, ["monitor", "due", "--today", "2026-03-08", "--json"]).stdout)["count"] == 0
    bad = runner.invoke(main, ["monitor", "due", "--today", "March"])
    assert bad.exit_code == 2 and "not a date" in bad.output
