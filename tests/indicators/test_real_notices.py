"""Indicators over real Interpol Red Notices: the fixture excerpt always, all 204 records when ../shared is present."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from shelter.indicators import CaseFactsError, case_facts_from_interpol_notice, evaluate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "indicators" / "red_notice_charges.json"
SHARED_DETAILS = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "interpol_red_notices_antontsiklop"
    / "red_notices_details.json"
)
ORDINARY_WORDS = ("murder", "homicid", "asesinato", "rape", "violaci", "robbery", "robo ")


def _notices(source: str) -> list[Mapping[str, Any]]:
    if source == "fixture":
        return list(json.loads(FIXTURE.read_text(encoding="utf-8")))
    if not SHARED_DETAILS.exists():
        pytest.skip(f"shared data not available: {SHARED_DETAILS}")
    return list(json.loads(SHARED_DETAILS.read_text(encoding="utf-8")))


def _answers(notice: Mapping[str, Any]) -> dict[str, str]:
    return {r.id: r.answer for r in evaluate(case_facts_from_interpol_notice(notice))}


def _charge_text(notice: Mapping[str, Any]) -> str:
    return " ".join(
        f"{w['charge']} {w.get('charge_translation') or ''}" for w in notice["arrest_warrants"]
    ).lower()


@pytest.fixture(params=["fixture", "shared"])
def notices(request: pytest.FixtureRequest) -> list[Mapping[str, Any]]:
    return _notices(request.param)


def test_notices_with_murder_rape_or_robbery_are_never_flagged_political(
    notices: list[Mapping[str, Any]],
) -> None:
    ordinary = [n for n in notices if any(word in _charge_text(n) for word in ORDINARY_WORDS)]
    assert len(ordinary) >= 25
    for notice in ordinary:
        got = _answers(notice)
        assert got["RN-01"] != "present" and got["RN-10"] != "present", notice["entity_id"]


def test_membership_only_terrorism_notices_are_flagged_rn10(notices: list[Mapping[str, Any]]) -> None:
    membership_only = [
        n
        for n in notices
        if all(
            w["charge"].strip().rstrip(".;").lower()
            in {
                "participation in the activity of a terrorist organization",
                "participation in terrorist organization",
                "participation in illegal armed formation",
                "participation in an illegal armed formation",
            }
            for w in n["arrest_warrants"]
        )
    ]
    assert len(membership_only) >= 5
    for notice in membership_only:
        assert _answers(notice)["RN-10"] == "present", notice["entity_id"]


def test_notices_issued_by_russia_carry_rn11(notices: list[Mapping[str, Any]]) -> None:
    russian = [n for n in notices if n["arrest_warrants"][0]["issuing_country_id"] == "RU"]
    assert len(russian) >= 50
    for notice in russian:
        assert _answers(notice)["RN-11"] == "present", notice["entity_id"]


def test_most_charges_are_read_rather_than_left_unknown(notices: list[Mapping[str, Any]]) -> None:
    unread = [
        n["entity_id"]
        for n in notices
        if _answers(n)["RN-01"] == "unknown" and _answers(n)["RN-10"] == "unknown"
    ]
    assert len(unread) <= len(notices) // 10, unread


def test_registry_facts_pass_through_the_adapter() -> None:
    notice = _notices("fixture")[0]
    facts = case_facts_from_interpol_notice(
        notice, subject_status_abroad="refugee", subject_profile=("journalist",)
    )
    assert (
        facts.kind == "red_notice"
        and facts.issuing_state == notice["arrest_warrants"][0]["issuing_country_id"]
    )
    assert facts.subject_nationalities == tuple(notice["nationalities"])
    assert facts.subject_status_abroad == "refugee"


@pytest.mark.parametrize(
    ("notice", "message"),
    [
        ({"entity_id": "2020/1"}, "notice 2020/1: no arrest warrant"),
        (
            {"entity_id": "2020/2", "arrest_warrants": [{"charge": "murder"}]},
            "warrant 1: 'issuing_country_id' is missing",
        ),
    ],
)
def test_adapter_explains_what_is_missing(notice: Mapping[str, Any], message: str) -> None:
    with pytest.raises(CaseFactsError, match=message):
        case_facts_from_interpol_notice(notice)
