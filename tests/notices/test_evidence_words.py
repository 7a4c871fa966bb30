"""Indicator evidence in the page's language: every sentence of the engine's own is in the Russian catalogue, and its
coded fields (countries, tactics, roles, counts, lengths of time) are named in Russian."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import given, settings

from shelter.indicators import CaseFacts, Charge, RefusalFact, evaluate
from shelter.notices.templatetags.evidence_words import evidence_text, reference_text
from tests.indicators.test_engine import HT_CASE, case_facts

# Sentences whose Russian is the same as their English (they hold only fields).
SAME_IN_RUSSIAN = {"{state}: {decision}", "{state}: {decision} ({date})", "{state}: {fact}"}


@settings(max_examples=100, deadline=None)
@given(case_facts())
def test_every_sentence_of_the_engine_has_its_russian(facts: CaseFacts) -> None:
    with translation.override("ru"):
        for result in evaluate(facts):
            for item in result.evidence:
                if item.message and item.message not in SAME_IN_RUSSIAN:
                    assert gettext(item.message) != item.message, item.message
                    assert evidence_text(item) != item.text, item.message
                # A charge's reading follows, sentence by sentence ("{text}": words composed from data).
                for more in item.more:
                    assert more.message == "{text}" or gettext(more.message) != more.message, more.message
                # The reference's parts: matched terms and cited provisions with their kinds.
                for part in item.reference_said:
                    assert part.message == "{phrase} ({kind})" or gettext(part.message) != part.message, part.message


def _said(indicator_id: str, kind: str, language: str, facts: CaseFacts = HT_CASE) -> list[str]:
    with translation.override(language):
        result = next(r for r in evaluate(facts) if r.id == indicator_id)
        return [evidence_text(item) for item in result.evidence if item.kind == kind]


def test_coded_fields_are_named_in_the_pages_language() -> None:
    assert _said("RN-11", "state_record", "en") == [
        "Incidents attributed to UZ in Shelter (8), by tactic: detention 5, red notice 3."]
    russian = _said("RN-11", "state_record", "ru")[0]
    assert russian.startswith("Инциденты в Shelter, приписываемые государству Узбекистан (8), по тактикам: ")
    assert "detention" not in russian and "red notice" not in russian and " 5, " in russian
    incidents = _said("RN-14", "incident", "ru")
    assert incidents and all("Узбекистан" in line and "против:" in line for line in incidents), incidents


@pytest.mark.parametrize(("text", "english", "russian"), [
    ("Hooliganism, punishable by imprisonment for up to one year", "(1 year)", "(1 год)"),
    ("Клевета, наказывается лишением свободы на срок до трёх месяцев", "(3 months)", "(3 месяца)"),
])
def test_lengths_of_time_take_the_languages_plural(text: str, english: str, russian: str) -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(Charge(text),))
    penalty = next(r.id for r in evaluate(facts) if any("penalty" in e.text for e in r.evidence))
    assert english in _said(penalty, "charge", "en", facts)[0]
    assert russian in _said(penalty, "charge", "ru", facts)[0]


def test_words_that_are_not_shelters_stay_as_written() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(),
                      refusals=(RefusalFact("DE", None, "extradition refused", None),))
    assert "Германия: extradition refused" in _said("RN-06", "refusal", "ru", facts)


def test_a_charges_reading_is_said_in_russian() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="UZ",
                      charges=(Charge("Участие в запрещённой религиозной организации «Хизб ут-Тахрир»"),))
    (line,) = {text for text in _said("RN-10", "charge", "ru", facts)}
    assert line.startswith("Обвинение: «Участие в запрещённой религиозной организации «Хизб ут-Тахрир»». "
                           "Язык текста: русский. Вменяется только создание организации или участие в ней")
    assert "Уверенность: высокая" in line and "Read as" not in line and "Confidence" not in line


def _all_said(language: str, facts: CaseFacts, kind: str) -> str:
    with translation.override(language):
        return " | ".join(evidence_text(item) for result in evaluate(facts) for item in result.evidence
                          if item.kind == kind)


def test_a_state_fact_is_said_in_the_words_the_catalogue_gives_for_the_pages_language() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="TJ", charges=())
    english, russian = _all_said("en", facts, "state_fact"), _all_said("ru", facts, "state_fact")
    assert "TJ: Among the five most prolific perpetrators" in english
    assert "Таджикистан: В пятёрке государств" in russian
    assert "Among the five" not in russian and "Human Rights Watch documented" not in russian
    interpol = _all_said("ru", CaseFacts(kind="diffusion", issuing_state="RU", charges=()), "state_fact")
    assert "Российская Федерация (с 2022-03-10): С 10 марта 2022 года ИНТЕРПОЛ" in interpol


@pytest.mark.parametrize(("charge", "english", "russian"), [
    ("Murder of two persons", "violence against persons (murder", "насилие против личности (убийство"),
    ("Hooliganism", "'Hooliganism' is an offence named without the act",
     "«Hooliganism» — преступление, названное без деяния"),
])
def test_an_offences_description_is_said_in_the_pages_language(charge: str, english: str, russian: str) -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(Charge(charge),))
    assert english in _all_said("en", facts, "charge")
    said_in_russian = _all_said("ru", facts, "charge")
    assert russian in said_in_russian and english not in said_in_russian


def test_a_decisions_kind_is_named_in_the_pages_language_and_its_words_stay_as_typed() -> None:
    refused = RefusalFact("DE", "2021-06", "risk of torture (Art. 3)", "OLG Hamm", kind="refused_by_court",
                          kind_words="refused by a court")
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(), refusals=(refused,))
    assert _said("RN-06", "refusal", "en", facts) == ["DE: refused by a court: risk of torture (Art. 3) (2021-06)"]
    assert _said("RN-06", "refusal", "ru", facts) == ["Германия: отказано судом: risk of torture (Art. 3) (2021-06)"]
    # A CCF deletion is known by its kind, whatever words name it.
    deleted = RefusalFact("FR", None, "", None, kind="ccf_deletion", kind_words="deleted after a CCF decision")
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(), refusals=(deleted,))
    assert _said("RN-12", "refusal", "ru", facts) == ["Ранее — Франция: удалено по решению ККФ"]


def test_a_cited_provision_and_a_terms_kind_are_named_in_the_pages_language() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="RU", charges=(Charge("Article 105 of the Criminal Code"),))

    def references(language: str) -> set[str]:
        with translation.override(language):
            return {reference_text(item) for result in evaluate(facts) for item in result.evidence
                    if item.kind == "charge" and item.reference}

    assert references("en") == {"RU Criminal Code Art. 105 (murder) (violent) (unverified)"}
    assert references("ru") == {"УК (Российская Федерация), ст. 105 (убийство) (насилие) (не проверено)"}


def test_a_charge_read_from_its_translation_says_so_in_the_pages_language() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="UZ",
                      charges=(Charge("Xyzzy plugh", translation="Murder of two persons"),))
    english, russian = _all_said("en", facts, "charge"), _all_said("ru", facts, "charge")
    assert "Classified from the translation, because the original could not be read:" in english
    assert "Классифицировано по переводу" in russian and "Classified from" not in russian
