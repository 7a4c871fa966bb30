"""The publishing guard in the API: a public incident or source naming a person its readers may not see is a 422
naming that person until the writer sends ``confirm_names: true``; a person the writer may not see is never
named, and changes nothing."""

from __future__ import annotations

import pytest

from shelter.incidents.models import Incident, Source

pytestmark = pytest.mark.django_db

INCIDENT = {"tactic": "detention", "date": "2022-04", "origin_state": "UZ", "host_country": "TR",
            "confidentiality": "public", "published": True}


def _refusal(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "confirm_names"]
    return problem["msg"]


def test_naming_a_hidden_person_in_a_public_incident_needs_confirm_names(call, records) -> None:  # type: ignore[no-untyped-def]
    body = {**INCIDENT, "title": "Hidden Witness questioned in Istanbul"}
    message = _refusal(call("researcher", "POST", "incidents/", body))
    assert "Hidden Witness (confidential)" in message and "anonymous visitors" in message
    assert not Incident.objects.filter(title=body["title"]).exists()
    assert call("researcher", "POST", "incidents/", {**body, "confirm_names": True}).status_code == 201


def test_a_writer_who_cannot_see_the_person_is_answered_as_for_nobody(call, records) -> None:  # type: ignore[no-untyped-def]
    hidden = call("editor", "POST", "incidents/", {**INCIDENT, "title": "Hidden Witness questioned"})
    nobody = call("editor", "POST", "incidents/", {**INCIDENT, "title": "Nobody Known questioned"})
    assert hidden.status_code == nobody.status_code == 201
    assert "Hidden" not in str({k: v for k, v in hidden.json().items() if k != "title"})


def test_making_a_record_public_later_is_checked_too(call, records) -> None:  # type: ignore[no-untyped-def]
    created = call("researcher", "POST", "incidents/", {**INCIDENT, "title": "Questioned", "confidentiality": "internal",
                                                        "published": False,
                                                        "description": "Statement of Hidden Witness attached."})
    assert created.status_code == 201
    path = f"incidents/{created.json()['id']}"
    _refusal(call("researcher", "PATCH", path, {"confidentiality": "public"}))
    assert Incident.objects.get(pk=created.json()["id"]).confidentiality == "internal"
    assert call("researcher", "PATCH", path, {"confidentiality": "public", "confirm_names": True}).status_code == 200


def test_public_sources_are_guarded_and_visible_names_pass(call, records) -> None:  # type: ignore[no-untyped-def]
    body = {"title": "Court record", "confidentiality": "public", "notes": "Testimony of Hidden Witness"}
    assert "Hidden Witness" in _refusal(call("researcher", "POST", "sources/", body))
    assert not Source.objects.filter(notes=body["notes"]).exists()
    named = {"title": "Alisher Usmanov: ruling", "confidentiality": "public", "published": True}
    assert call("researcher", "POST", "sources/", named).status_code == 201
