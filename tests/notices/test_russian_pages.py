"""The indicator page in Russian: words from the indicators' data files (state facts, offences' descriptions, the
provisions a charge cites, the kinds of charge term) and the kind of a recorded decision are said in Russian; what a
person typed (a decision's detail, a charge's words) stays as typed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from shelter.notices.models import Charge, Notice

# What the English page says that the Russian page must not: a state fact, two offences' descriptions, the kind of
# a decision, a cited provision and a term's kind.
ENGLISH = ("INTERPOL placed Russia under heightened supervision", "Among the five most prolific perpetrators",
           "violence against persons", "an offence named without the act", "refused by a court",
           "RU Criminal Code Art. 105 (murder) (violent)", "Hooliganism (ambiguous)")
RUSSIAN = ("ИНТЕРПОЛ установил усиленный надзор за Россией", "В пятёрке государств", "насилие против личности",
           "преступление, названное без деяния", "Германия: отказано судом: extradition refused, Art. 3 risk",
           "УК (Российская Федерация), ст. 105 (убийство) (насилие)", "Hooliganism (неоднозначное)")


@pytest.fixture
def refused(imported, users):  # type: ignore[no-untyped-def]
    """The Russian notice 2019/34876 with two more counts and a German court's refusal recorded through the page."""
    notice = Notice.objects.get(entity_id="2019/34876")
    Charge.objects.create(notice=notice, text="Murder of two persons")
    Charge.objects.create(notice=notice, text="Hooliganism")
    Charge.objects.create(notice=notice, text="Article 105 of the Criminal Code")
    editor = Client()
    editor.force_login(users["editor"])
    editor.post(f"/notices/{notice.pk}/events/", {"kind": "refused_by_court", "date": "2021-06", "state": "DE",
                                                 "detail": "extradition refused, Art. 3 risk", "reference": ""})
    assert notice.events.filter(kind="refused_by_court").exists()
    return notice, editor


def _page(client: Client, notice: Notice, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/notices/{notice.pk}/assessment/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_indicator_page_says_facts_offences_and_decisions_in_the_pages_language(refused) -> None:  # type: ignore[no-untyped-def]
    notice, editor = refused
    english = _page(editor, notice, "en")
    for words in ENGLISH:
        assert words in english, words
    assert "DE: refused by a court: extradition refused, Art. 3 risk (2021-06)" in english
    russian = _page(editor, notice, "ru")
    for words in RUSSIAN:
        assert words in russian, words
    for words in ENGLISH:
        assert words not in russian, words
