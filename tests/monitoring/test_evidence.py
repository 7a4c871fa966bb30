"""The host briefing and the outcome table: figures agree with the database, public mode withholds small
counts and names no one, and every command shows only what the caller may see."""

from __future__ import annotations

import json
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


def test_public_host_briefing_withholds_small_counts_and_names_no_one(users, returnee) -> None:
    _returns(returnee, ["detained"] * 4 + ["safe"] * 3 + ["died"], PUBLIC)
    _returns(returnee, ["tortured"] * 3, INTERNAL)  # not public: not counted at all
    briefing = _brief("--host", "DE", "--public")
    assert briefing["outcomes"]["detained"] == 4
    assert briefing["outcomes"]["died"] is None and "tortured" not in briefing["outcomes"]
    # 'died' (1) is withheld; with the total shown, the smallest other part goes too
    assert briefing["outcomes"]["safe"] is None and briefing["returns_total"] == 8
    assert "returns" not in briefing and "Returnee" not in json.dumps(briefing)
    html = CliRunner().invoke(main, ["brief", "--host", "DE", "--public", "--format", "html"]).stdout
    assert "Returnee" not in html and "<td>x</td>" in html


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
    assert "DE,UZ,2025,safe,x" in public and "DE,UZ,2025,detained,x" in public


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
