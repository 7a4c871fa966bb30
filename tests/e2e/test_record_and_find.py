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
    title = "Abduction attempt against Далер Шарипов outside the consulate"
    for selector, value in {
        "#id_title": title,
        "#id_date": "2023-06-11",
        "#id_place": "Moscow",
        "#id_description": "A journalist was forced into a car; neighbours intervened.",
        "#id_targets-0-new_name": "Далер Шарипов",
        "#id_targets-0-new_alias": "Daler Sharipov",
        "#id_sources-0-title": "Witness statement",
        "#id_sources-0-url": "https://example.org/statement",
        "#id_sources-0-publisher": "Human rights centre",
    }.items():
        page.fill(selector, value)
    for selector, value in {"#id_tactic": "rendition", "#id_origin_state": "TJ", "#id_host_country": "RU"}.items():
        page.select_option(selector, value)
    shot(page, screenshot_dir, "02-form")
    page.click("text=Save incident")
    page.wait_for_selector("h1:has-text('Abduction attempt against')")
    shot(page, screenshot_dir, "03-incident")
    assert page.locator("text=Далер Шарипов").count() >= 1
    assert page.locator("text=Witness statement").count() >= 1

    for query in ("Шарипов", "sharipov", "Далер"):
        page.fill("header input[name=q]", query)
        page.press("header input[name=q]", "Enter")
        page.wait_for_selector("#results-person")
        assert page.locator("#results-person").locator("text=Далер Шарипов").count() == 1, query
        assert page.locator("#results-incident").locator(f"text={title}").count() == 1, query
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
