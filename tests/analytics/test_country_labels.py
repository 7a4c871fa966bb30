"""Country names in the reader's language: in briefings, tables, charts and the dashboard's filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelter.analytics import country_labels
from shelter.analytics.country_labels import CountryLabelsError, country_choices_in, country_label


def test_names_follow_the_language_with_common_short_forms() -> None:
    assert [country_label(c, "ru") for c in ("UZ", "TR", "DE", "RU", "US", "XK", "IR")] == [
        "Узбекистан", "Турция", "Германия", "Россия", "США", "Косово", "Иран"]
    assert [country_label(c, "en") for c in ("UZ", "TR", "XK")] == ["Uzbekistan", "Türkiye", "Kosovo"]
    assert country_label("UZ", "de") == "Usbekistan"  # any language pycountry translates
    names = dict(country_choices_in("ru"))
    assert names["TJ"] == "Таджикистан" and len(names) > 240


def test_the_labels_file_is_well_formed_and_errors_name_the_entry(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    labels = country_labels._own_labels()
    assert labels["ru"]["RU"] == "Россия"
    bad = tmp_path / "country_labels.yaml"
    bad.write_text("ru:\n  RUS: Россия\n", encoding="utf-8")
    monkeypatch.setattr(country_labels, "LABELS_FILE", bad)
    country_labels._own_labels.cache_clear()
    try:
        with pytest.raises(CountryLabelsError, match="'ru': 'RUS' is not an ISO 3166-1 alpha-2 code"):
            country_labels._own_labels()
    finally:
        monkeypatch.undo()
        country_labels._own_labels.cache_clear()


@pytest.mark.django_db
def test_russian_briefing_and_dashboard_name_countries_in_russian(client, workspace) -> None:  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.services import Audience

    briefing = build_briefing("UZ", Audience(None, public=False), language="ru")
    assert briefing.state_name == "Узбекистан"
    hosts = {row["key"]: row["label"] for row in briefing.tables["by_host"].rows}
    assert hosts["TR"] == "Турция" and hosts["DE"] == "Германия" and hosts["RU"] == "Россия"
    html = render_html(briefing, "ru")
    assert "Узбекистан" in html and "Uzbekistan" not in html and "Turkey" not in html and "Türkiye" not in html

    page = client.get("/analytics/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<option value="TR">Турция</option>' in page and "Türkiye" not in page
    assert client.get("/analytics/states/UZ/", HTTP_ACCEPT_LANGUAGE="ru").content.decode().count("Узбекистан") >= 1
    flows = client.get("/analytics/charts/flows.csv", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Узбекистан" in flows and "Uzbekistan" not in flows
