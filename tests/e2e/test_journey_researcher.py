"""The researcher's journey: record an incident against a person named in Cyrillic, then find it by the Latin
spelling of the name and by the name in another Russian case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_researcher_records_and_finds_an_incident(journey: Any, users: Any, language: str, width: int) -> None:
    walk = journey(language, width)
    page = walk.page
    walk.sign_in("researcher")
    walk.open_menu()
    page.click("header a[href='/incidents/new/']")
    page.wait_for_selector("#id_title")
    title = "Threats against a blogger's family in Dushanbe"
    for selector, value in {
        "#id_title": title,
        "#id_date": "2024-02",
        "#id_place": "Dushanbe",
        "#id_description": "Relatives were summoned and told to make her stop writing.",
        "#id_targets-0-new_name": "Мадина Тестова",
        "#id_sources-0-title": "Interview with the family",
        "#id_sources-0-publisher": "Exile media",
    }.items():
        page.fill(selector, value)
    for selector, value in {"#id_tactic": "threats_to_relatives", "#id_origin_state": "TJ",
                            "#id_host_country": "DE"}.items():
        page.select_option(selector, value)
    walk.visit("incident-form")
    page.click("form.record-form button[type=submit].primary")
    page.wait_for_selector(f"h1:has-text(\"{title}\")")
    walk.visit("incident")
    assert page.locator("main").get_by_text("Мадина Тестова").count() >= 1

    # The Latin spelling and the genitive («Тестовой») both find the incident through its target's name.
    for query in ("Testova", "Тестовой"):
        walk.go(f"/search/?q={query}")
        page.wait_for_selector("#results-incident")
        assert page.locator("#results-incident").get_by_text(title).count() == 1, query
        walk.visit(f"search-{'latin' if query.isascii() else 'genitive'}")
    walk.go("/incidents/?q=Тестовой")
    assert page.locator("main").get_by_text(title).count() == 1
    walk.visit("incident-list")
