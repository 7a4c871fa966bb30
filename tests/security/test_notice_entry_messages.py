"""Recording or editing a notice tells the person only about candidates and alerts they may see (finding 3)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from shelter.notices.models import Notice
from shelter.registry.models import Person, PersonName

pytestmark = pytest.mark.django_db

FORM = {"entity_id": "2026/90001", "kind": "red_notice", "forename": "Abdukarim", "surname": "Ayubov",
        "dob": "1983-04-05", "sex": "m", "nationalities": "TJ", "issuing_state": "TJ", "issued": "2026",
        "description": "", "confidentiality": "internal", "charges_text": "Extremism"}


@pytest.fixture
def hidden_at_risk_person(teams):  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Абдукарим Аюбов", dob="1983-04-05", nationalities=["TJ"],
                                   sex="m", at_risk=True, confidentiality="confidential")
    person.teams.add(teams["alpha"])
    PersonName.objects.create(person=person, full_name="Abdukarim Ayubov", kind="transliteration")
    return person


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.mark.parametrize(("role", "learns"), [("researcher", False), ("editor", True)])
def test_recording_a_notice_reports_only_visible_candidates(hidden_at_risk_person, users, role, learns):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users[role])
    response = client.post(reverse("notices:new"), FORM)
    assert response.status_code == 302, response.content
    text = _messages(response)
    assert ("1 candidates" in text and "1 alerts" in text) is learns, text
    assert ("0 candidates" in text and "0 alerts" in text) is not learns, text


def test_editing_a_notice_reports_only_visible_candidates(hidden_at_risk_person, users):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["researcher"])
    client.post(reverse("notices:new"), FORM)
    notice = Notice.objects.get(entity_id=FORM["entity_id"])
    response = client.post(reverse("notices:edit", args=[notice.pk]), {**FORM, "dob": "1983"})
    assert response.status_code == 302, response.content
    text = _messages(response)
    assert "0 candidates" in text and "0 alerts" in text, text
