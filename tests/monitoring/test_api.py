"""The monitoring API: writes through the write path, bad input as a JSON 4xx, hidden records as 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shelter.monitoring.models import CheckIn, MonitoringPlan

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def test_plan_and_check_in_through_the_api(users, returnee) -> None:
    editor = _client(users["editor"])
    created = editor.post("/api/v1/monitoring/plans", json.dumps({
        "person": returnee.pk, "host_country": "Germany", "destination": "UZ", "return_date": "2026-03-01",
        "interval_days": 7, "teams": ["alpha"]}), content_type="application/json")
    assert created.status_code == 200, created.content
    plan_id = created.json()["id"]
    assert created.json()["host_country"] == "DE" and created.json()["confidentiality"] == "confidential"
    check_in = editor.post(f"/api/v1/monitoring/plans/{plan_id}/check-ins", json.dumps({
        "date": "2026-03-09", "status": "charged", "channel": "lawyer", "open_incident": True}),
        content_type="application/json")
    assert check_in.status_code == 200 and check_in.json()["incident"]
    overdue = editor.get("/api/v1/monitoring/overdue", {"today": "2026-03-20"}).json()
    assert overdue["items"] == [{"plan": plan_id, "due": "2026-03-16", "days_overdue": 4}]
    hidden = _client(users["researcher"]).get(f"/api/v1/monitoring/plans/{plan_id}")
    missing = _client(users["researcher"]).get("/api/v1/monitoring/plans/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json().keys() == missing.json().keys()


def test_bad_input_is_a_clear_json_error_and_nothing_is_written(users, returnee) -> None:
    editor = _client(users["editor"])
    bad = editor.post("/api/v1/monitoring/plans", json.dumps({
        "person": returnee.pk, "host_country": "DE", "destination": "UZ", "return_date": "yesterday"}),
        content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{"loc": ["body", "return_date"],
                                     "msg": "'yesterday' is not a date (expected YYYY-MM-DD)"}]
    assert not MonitoringPlan._base_manager.exists()
    assert editor.get("/api/v1/monitoring/overdue", {"today": "soon"}).status_code == 422
    assert editor.get("/api/v1/monitoring/outcomes", {"format": "xml"}).status_code == 422
    viewer = _client(users["viewer"]).post("/api/v1/monitoring/plans", json.dumps({"person": returnee.pk}),
                                           content_type="application/json")
    assert viewer.status_code == 403 and not CheckIn.objects.exists()


def test_public_outcomes_are_open_and_suppressed(users) -> None:
    from shelter.registry.models import Person

    person = Person.objects.create(primary_name="Public returnee", confidentiality="public", published=True)
    MonitoringPlan.objects.create(person=person, host_country="DE", destination="UZ", return_date="2025-05-01",
                                  confidentiality="public", published=True)
    csv = Client().get("/api/v1/monitoring/outcomes", {"format": "csv"})
    # One return: below 3, its group shows no outcome at all (no "x").
    assert csv.status_code == 200 and csv.content.decode().splitlines() == ["host,origin,year,outcome,count"]
    assert Client().get("/api/v1/monitoring/outcomes").json()["items"] == [
        {"host": "DE", "origin": "UZ", "year": 2025, "returns": None, "outcomes": {}}]
    host = Client().get("/api/v1/monitoring/host/DE").json()
    assert host["public"] is True and host["returns_total"] == "fewer than 3" and "returns" not in host
    # In the caller's language.
    russian = Client().get("/api/v1/monitoring/host/DE", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert russian["returns_total"] == "меньше 3" and russian["host_name"] == "Германия"
    unknown = Client().get("/api/v1/monitoring/host/Atlantis")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["query", "code"]
    outcomes = Client().get("/api/v1/monitoring/outcomes", {"host": "Atlantis"})
    assert outcomes.status_code == 422 and outcomes.json()["detail"][0]["loc"] == ["query", "host"]
