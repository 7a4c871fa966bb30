"""The exile's journey: check a suspicious e-mail address and link without an account (nothing is stored), then
sign in and check one for the record, and read the verdict, its reasons and the advice in words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = "https://accounts.google.com.security-check.top/login"
ADDRESS = "support@gmai1.com"


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_exile_checks_without_and_with_an_account(journey: Any, users: Any, language: str, width: int) -> None:
    from shelter.threats.models import ThreatReport

    walk = journey(language, width)
    page = walk.page
    walk.go("/")
    walk.visit("home")
    walk.open_menu()
    page.click("header a[href='/threats/check/']")
    page.wait_for_selector("#id_values")
    walk.visit("quick-check")
    page.fill("#id_values", f"{ADDRESS}\n{LINK}")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".check-results")
    walk.visit("quick-check-result")
    results = page.locator(".check-result")
    assert results.count() == 2
    suspicious = walk.text("Suspicious: it shows warning signs", "Подозрительно: есть признаки угрозы")
    for index, value in enumerate((ADDRESS, LINK)):
        assert results.nth(index).locator("h3").inner_text() == value
        assert results.nth(index).locator(".verdict-banner strong").inner_text() == suspicious
        assert results.nth(index).locator("ul.findings li").count() >= 1
    assert walk.text("Brand name used in an unrelated domain", "Название бренда в постороннем домене") in (
        results.nth(0).locator("ul.findings").inner_text())
    assert walk.text("Not stored", "Не сохраняется") in page.locator(".check-results").inner_text()
    assert ThreatReport.objects.count() == 0

    walk.sign_in("viewer")
    walk.open_menu()
    page.click("header a[href='/threats/']")
    walk.visit("threat-reports")
    page.click("main a[href='/threats/new/']")
    page.wait_for_selector("#id_values")
    walk.visit("check-form")
    page.fill("#id_values", LINK)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".verdict-banner")
    walk.visit("report")
    assert page.locator(".verdict-banner strong").inner_text() == suspicious
    report = ThreatReport.objects.get()
    assert report.uploaded_by == users["viewer"] and report.subject == LINK
    # The author finds the report in the list afterwards.
    walk.go("/threats/")
    assert page.locator("main table").get_by_text(LINK).count() == 1
    walk.visit("threat-reports-after")
