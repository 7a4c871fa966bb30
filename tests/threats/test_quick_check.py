"""The check without an account: verdicts in words on the page, nothing stored; and report defaults that keep a
signed-in author's report in the author's sight."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shelter.threats.forms import TriageForm
from shelter.threats.models import ThreatReport
from shelter.threats.services import QUICK_CHECK_VALUES

pytestmark = pytest.mark.django_db


def test_anyone_can_check_values_and_nothing_is_stored() -> None:
    client = Client()
    assert "Nothing you enter here is stored" in client.get("/threats/check/").content.decode()
    response = client.post("/threats/check/", {"values": "support@gmai1.com\nhttps://example.org/"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Suspicious: it shows warning signs" in page and "No known warning signs found" in page
    assert ">no_indicators_found<" not in page
    assert ThreatReport.objects.count() == 0


def test_the_result_is_in_russian_on_a_russian_page() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").post("/threats/check/", {"values": "support@gmai1.com"})
    page = response.content.decode()
    assert "Подозрительно: есть признаки угрозы" in page and "Не сохраняется" in page
    assert "Название бренда в постороннем домене" in page and "высокая" in page  # the finding and its severity


@pytest.mark.parametrize(("values", "said"), [
    ("not a value at all", "is not a URL, domain, IP address"),
    ("\n".join(f"host{n}.example" for n in range(QUICK_CHECK_VALUES + 1)), f"at most {QUICK_CHECK_VALUES}"),
])
def test_a_value_that_cannot_be_checked_is_said_in_one_line(values: str, said: str) -> None:
    response = Client().post("/threats/check/", {"values": values})
    assert response.status_code == 400 and said in response.content.decode()
    assert ThreatReport.objects.count() == 0


def test_the_report_form_offers_only_levels_the_author_may_file_and_keeps_it_in_sight(users: Any) -> None:
    viewer = TriageForm(user=users["viewer"])  # internal clearance
    assert [value for value, _ in viewer.fields["confidentiality"].choices] == ["public", "internal"]
    assert viewer.fields["confidentiality"].initial == "internal"
    assert TriageForm(user=users["outsider"]).fields["confidentiality"].initial == "internal"  # no case team
    assert TriageForm(user=users["editor"]).fields["confidentiality"].initial == "confidential"
    assert TriageForm(user=users["viewer_public"]).fields["confidentiality"].initial == "public"


@pytest.mark.parametrize("value", ["https://accounts.google.com.security-check.top/login", "https://example.org/"])
def test_the_advice_for_a_value_speaks_of_it_not_of_a_message(value: str) -> None:
    from shelter.triage import check_value
    from shelter.triage.verdict import build_verdict

    advice = check_value(value).advice
    assert advice["en"] and not any("this message" in line or "the message is safe" in line for line in advice["en"])
    assert not any("этого письма" in line or "это письмо" in line for line in advice["ru"])
    as_message = build_verdict(check_value(value).findings).advice["en"]
    assert any("this message" in line or "the message is safe" in line for line in as_message)
