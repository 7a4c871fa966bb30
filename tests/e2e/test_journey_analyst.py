"""The analyst's journey: filter the statistics by origin state and tactic, open a state's page and read its
briefing in the browser; see the public version, where small counts are merged into "other"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_analyst_filters_and_opens_a_briefing(journey: Any, users: Any, language: str, width: int) -> None:
    from shelter.incidents.models import Incident

    for number, (tactic, origin, host) in enumerate([("detention", "UZ", "TR"), ("detention", "UZ", "RU"),
                                                      ("rendition", "UZ", "RU"), ("surveillance", "TJ", "DE"),
                                                      ("detention", "TJ", "RU")]):
        Incident.objects.create(title=f"Case {number}", tactic=tactic, date=f"202{number}-05", origin_state=origin,
                                host_country=host, confidentiality="internal")
    # Published public records, as the public version counts them: renditions by Kyrgyzstan to Türkiye (5), Germany
    # (2) and Russia (1). The 1 and the 2 are small counts: the public version merges them into "other" (3).
    for number, host in enumerate(["TR"] * 5 + ["DE"] * 2 + ["RU"]):
        Incident.objects.create(title=f"Public case {number}", tactic="rendition", date="2021-03", origin_state="KG",
                                host_country=host, confidentiality="public", published=True)
    walk = journey(language, width)
    page = walk.page
    walk.sign_in("viewer")
    walk.visit("dashboard")

    walk.go("/analytics/")
    walk.visit("statistics")
    # The long lists are searchable: type part of a name, then choose the name offered.
    for field, typed, value, chosen in (
            ("states", walk.text("Uzbek", "Узбек"), "UZ", walk.text("Uzbekistan", "Узбекистан")),
            ("tactics", walk.text("Detention", "Задержание"), "detention",
             walk.text("Detention abroad", "Задержание за рубежом"))):
        page.click(f"#id_{field}-ts-control")
        page.keyboard.type(typed)
        # Offered once the list is searched: the typed part is highlighted in the name.
        page.wait_for_selector(f"#id_{field}-ts-dropdown .option[data-value='{value}'] .highlight")
        offered = page.locator(f"#id_{field}-ts-dropdown .option[data-value='{value}']")
        assert offered.inner_text() == chosen
        offered.click()
        page.click("main h1")  # done with this list: its dropdown closes
        page.wait_for_selector(f"#id_{field}-ts-dropdown", state="hidden")
    assert page.eval_on_selector("#id_states", "s => [...s.selectedOptions].map(o => o.value)") == ["UZ"]
    assert page.eval_on_selector("#id_tactics", "s => [...s.selectedOptions].map(o => o.value)") == ["detention"]
    page.click("form.analytics-filters button[type=submit]")
    page.wait_for_url("**/analytics/?*states=UZ*")
    walk.visit("statistics-filtered")
    # Two detentions by Uzbekistan, and nothing else, are counted once the filter applies.
    rows = page.locator("#chart-by_tactic table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").last.text_content().strip() == "2"

    page.click("a[href^='/analytics/states/UZ/']")
    page.wait_for_url("**/analytics/states/UZ/**")
    walk.visit("state")
    assert page.locator("h1").inner_text() == walk.text("Transnational repression by Uzbekistan",
                                                        "Транснациональные репрессии: Узбекистан")
    page.click("a[href*='/analytics/states/UZ/briefing.html']")
    page.wait_for_url("**/briefing.html*")
    walk.visit("briefing")
    assert walk.text("Uzbekistan", "Узбекистан") in page.locator("h1").inner_text()

    # The public version: small counts merged into one "other" row of at least 3, no count shown as "x".
    walk.go("/analytics/?public=on")
    walk.visit("statistics-public")
    rows = page.locator("#chart-by_host table tbody tr")
    # (the data table sits folded under its chart: read its text, shown or not)
    assert [[cell.strip() for cell in rows.nth(i).locator("td").all_text_contents()] for i in range(rows.count())] == [
        [walk.text("Türkiye", "Турция"), "5"], [walk.text("other countries or unknown", "другие или неизвестные страны"), "3"]]
    counts = page.locator("main table td.count").all_text_contents()
    assert counts and all(int(count) >= 3 for count in counts), counts
