"""Sign in, record an incident with a new target (Cyrillic name, Latin alias) and a source, find it by
searching in Cyrillic and in Latin, and see that a viewer cannot open a confidential incident."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page: Any, directory: Path | None, name: str) -> None:
    if directory is not None:
        page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def test_record_find_and_confidentiality(live_server: Any, page: Any, users: Any, teams: Any,
                                         screenshot_dir: Path | None) -> None:
    from shelter.incidents.models import Incident

    base = live_server.url
    sign_in(page, base, "editor")
    shot(page, screenshot_dir, "01-dashboard")

    page.click("header >> text=Record incident")
    page.fill("#id_title", "Abduction attempt outside the consulate")
    page.select_option("#id_tactic", "rendition")
    page.fill("#id_date", "2023-06-11")
    page.select_option("#id_origin_state", "TJ")
    page.select_option("#id_host_country", "RU")
    page.fill("#id_place", "Moscow")
    page.fill("#id_description", "A journalist was forced into a car; neighbours intervened.")
    page.fill("#id_targets-0-new_name", "Далер Шарипов")
    page.fill("#id_targets-0-new_alias", "Daler Sharipov")
    page.fill("#id_sources-0-title", "Witness statement")
    page.fill("#id_sources-0-url", "https://example.org/statement")
    page.fill("#id_sources-0-publisher", "Human rights centre")
    shot(page, screenshot_dir, "02-form")
    page.click("text=Save incident")
    page.wait_for_selector("h1:has-text('Abduction attempt outside the consulate')")
    shot(page, screenshot_dir, "03-incident")
    assert page.locator("text=Далер Шарипов").count() >= 1
    assert page.locator("text=Witness statement").count() >= 1

    for query in ("Шарипов", "sharipov", "Далер"):
        page.fill("header input[name=q]", query)
        page.press("header input[name=q]", "Enter")
        page.wait_for_selector("#results-person")
        people = page.locator("#results-person")
        assert people.locator("text=Далер Шарипов").count() == 1, query
    shot(page, screenshot_dir, "04-search")

    # The person picker offers the new person as a possible duplicate, typed in Latin letters.
    page.goto(f"{base}/incidents/new/")
    page.fill("#id_targets-0-new_name", "Daler Sharipov")
    page.wait_for_selector("#targets-0-suggest button.pick")
    shot(page, screenshot_dir, "05-suggestions")
    page.click("#targets-0-suggest button.pick")
    assert page.input_value("#id_targets-0-person") != ""

    secret = Incident.objects.create(title="Confidential rendition case", tactic="rendition", date="2022",
                                     origin_state="TJ", confidentiality="confidential")
    secret.teams.add(teams["beta"])
    page.context.clear_cookies()
    sign_in(page, base, "viewer")
    response = page.goto(f"{base}/incidents/{secret.pk}/")
    assert response.status == 404
    page.goto(f"{base}/search/?q=rendition")
    assert page.locator("text=Confidential rendition case").count() == 0
    shot(page, screenshot_dir, "06-viewer-search")
