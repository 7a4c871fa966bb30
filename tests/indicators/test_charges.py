"""The charge classifier on real charge texts and on the rules it must keep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.indicators import Charge, classify_charge

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "indicators" / "red_notice_charges.json"
REAL = json.loads(FIXTURE.read_text(encoding="utf-8"))


def real_charges(state: str | None = None) -> list[tuple[str, Charge]]:
    return [
        (w["issuing_country_id"], Charge(w["charge"], translation=w["charge_translation"]))
        for notice in REAL
        for w in notice["arrest_warrants"]
        if state is None or w["issuing_country_id"] == state
    ]


ORDINARY_WORDS = (
    "murder",
    "homicid",
    "asesinato",
    "rape",
    "violaci",
    "robbery",
    "robo ",
    "kidnap",
    "secuestro",
)


def test_real_charges_naming_murder_rape_or_robbery_are_never_political() -> None:
    checked = 0
    for state, charge in real_charges():
        text = f"{charge.text} {charge.translation or ''}".lower()
        if any(word in text for word in ORDINARY_WORDS):
            reading = classify_charge(charge, state)
            assert reading.category == "ordinary", charge.text
            assert "RN-01" not in reading.indicator_ids and "RN-10" not in reading.indicator_ids
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    "text",
    [
        "participation in the activity of a terrorist organization",
        (
            "Organization of activity of the terrorist organization and participation in activity of such organization. "
            "Participation in illegal armed formation."
        ),
        "1) participation in illegal armed formation (2 crimes); 2) participation in terrorist organization",
        "Participation in the activity of a terrorist organiation",  # the misspelling is in the real notice
        "ORGANIZACIONES TERRORISTAS",
    ],
)
def test_real_membership_only_charges_are_flagged_rn10(text: str) -> None:
    assert any(charge.text == text for _, charge in real_charges()), (
        "the text must come from the real notices"
    )
    reading = classify_charge(Charge(text))
    assert reading.category == "membership_only_terrorism"
    assert reading.indicator_ids == ("RN-10",)
    assert reading.complete


@pytest.mark.parametrize(
    "text",
    [
        (
            "participation in terrorist organization; illegal acquisition and storage of ammunition committed by a group of "
            "persons by previous concert; illegal acquisition and storage of explosives committed by a group of persons by "
            "previous concert."
        ),
        "HOMICIDIO AGRAVADO Y ORGANIZACIONES TERRORISTAS",
        "Creation of extremist organization activity; illegal storage of firearms",
    ],
)
def test_membership_next_to_a_concrete_act_is_ordinary_and_keeps_the_membership_term(text: str) -> None:
    reading = classify_charge(Charge(text))
    assert reading.category == "ordinary" and reading.indicator_ids == ()
    assert any("membership" in kind for count in reading.counts for kind in count.kinds)
    assert "RN-02" in reading.explanation


def test_hate_motive_in_a_killing_is_not_a_religious_offence() -> None:
    amia = next(c for _, c in real_charges("AR") if "odio racial o religioso" in c.text)
    reading = classify_charge(amia, "AR")
    assert reading.category == "ordinary" and reading.language == "es"


def test_arabic_charge_is_read_from_its_translation() -> None:
    iraq = next(c for s, c in real_charges("IQ"))
    reading = classify_charge(iraq, "IQ")
    assert reading.category == "ordinary"
    assert reading.classified_text == iraq.translation
    assert "Arabic" in reading.explanation


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ارهابي", "Arabic"),
        ("Crime de tráfico de drogas com associação criminosa", "Portuguese"),
        ("Reato di truffa aggravata ai danni dello Stato", "Italian"),
    ],
)
def test_text_without_a_lexicon_is_unknown_not_guessed(text: str, language: str) -> None:
    reading = classify_charge(Charge(text))
    assert reading.category == "unknown" and reading.indicator_ids == ()
    assert language in reading.explanation and "translation" in reading.explanation


@pytest.mark.parametrize(
    ("text", "language", "category", "offences"),
    [
        ("Silahlı terör örgütü üyeliği", "tr", "membership_only_terrorism", ("banned_group_membership",)),
        ("Terör örgütüne üye olmak ve dolandırıcılık suçu", "tr", "economic",
         ("banned_group_membership", "economic")),
        ("Қылмыстық топқа қатысу", "kk", "ordinary", ("ordinary",)),
        ("Экстремистік ұйымға қатысу", "kk", "membership_only_terrorism", ("banned_group_membership",)),
        ("Mord und schwerer Raub mit der Waffe", "de", "ordinary", ("ordinary",)),
        ("Taqiqlangan diniy tashkilotda ishtirok etish (Oʻzbekiston JK 244-2-modda)", "uz",
         "membership_only_terrorism", ("banned_group_membership",)),
        ("Ташкили фаъолияти ташкилоти экстремистӣ", "tg", "membership_only_terrorism", ("banned_group_membership",)),
        ("Массалык башаламандыктарга чакыруу", "ky", "political_religious", ("mass_riots",)),
        ("Kütləvi iğtişaşlar", "az", "unknown", ("mass_riots",)),
        ("Поширення завідомо неправдивої інформації", "uk", "political_religious", ("false_information",)),
    ],
)
def test_each_language_of_the_lexicon(text: str, language: str, category: str, offences: tuple[str, ...]) -> None:
    reading = classify_charge(Charge(text))
    assert (reading.language, reading.category) == (language, category), reading.explanation
    assert set(reading.offences) == set(offences)


def test_every_lexicon_names_its_sources() -> None:
    from shelter.indicators.lexicon import load_lexicon

    for code, language in load_lexicon().languages.items():
        assert language.sources, code
        assert all(source.url is None or source.url.startswith("http") for source in language.sources)


def test_an_apostrophe_in_an_english_name_is_not_read_as_uzbek() -> None:
    assert classify_charge(Charge("Murder of O'Brien's dog's owner")).category == "ordinary"


def test_declared_unsupported_language_uses_the_translation() -> None:
    reading = classify_charge(
        Charge(
            "Silahlı terör örgütü üyeliği",
            language="tur",
            translation="membership of an armed terrorist organisation",
        )
    )
    assert reading.category == "membership_only_terrorism" and reading.indicator_ids == ("RN-10",)


@pytest.mark.parametrize(
    ("text", "category", "indicators"),
    [
        ("Участие в деятельности террористической организации", "membership_only_terrorism", ("RN-10",)),
        ("участие в незаконном вооружённом формировании", "membership_only_terrorism", ("RN-10",)),
        (
            "Организация деятельности экстремистской организации",
            "membership_only_terrorism",
            ("RN-01", "RN-10"),
        ),
        ("Публичные призывы к осуществлению экстремистской деятельности", "political_religious", ("RN-01",)),
        (
            "Публичное распространение заведомо ложной информации об использовании Вооружённых Сил",
            "political_religious",
            ("RN-01",),
        ),
        ("Мошенничество в особо крупном размере", "economic", ("RN-09",)),
        ("Убийство", "ordinary", ()),
        ("Разбой; грабёж", "ordinary", ()),
        ("Клевета", "excluded", ("RN-07",)),
        ("Хулиганство", "unknown", ()),
    ],
)
def test_russian_charges(text: str, category: str, indicators: tuple[str, ...]) -> None:
    reading = classify_charge(Charge(text))
    assert (reading.category, reading.indicator_ids, reading.language) == (category, indicators, "ru")


@pytest.mark.parametrize(
    ("text", "category", "indicators"),
    [
        ("Rebelión y sedición", "political_religious", ("RN-01",)),
        ("Estafa y lavado de dinero", "economic", ("RN-09",)),
        ("Calumnias e injurias", "excluded", ("RN-07",)),
        ("Tráfico de estupefacientes", "ordinary", ()),
        ("Participation à une organisation terroriste", "membership_only_terrorism", ("RN-10",)),
        ("Meurtre et vol à main armée", "ordinary", ()),
        ("Escroquerie et abus de biens sociaux", "economic", ("RN-09",)),
        ("Diffamation", "excluded", ("RN-07",)),
        ("Apologie du terrorisme", "political_religious", ("RN-01",)),
        ("Membership of Hizb ut-Tahrir", "membership_only_terrorism", ("RN-01", "RN-10")),
        ("Insulting the President", "political_religious", ("RN-01",)),
        ("Embezzlement of state funds", "economic", ("RN-09",)),
    ],
)
def test_spanish_french_and_english_charges(text: str, category: str, indicators: tuple[str, ...]) -> None:
    reading = classify_charge(Charge(text))
    assert (reading.category, reading.indicator_ids) == (category, indicators), reading.explanation


def test_article_numbers_count_only_for_the_issuing_state_and_stay_unverified() -> None:
    cited = Charge("ч. 1 ст. 282.2 УК РФ")
    reading = classify_charge(cited, "RU")
    assert reading.category == "membership_only_terrorism" and "RN-10" in reading.indicator_ids
    assert reading.sources and not any(source.verified for source in reading.sources)
    assert not reading.counts[0].verified
    assert classify_charge(cited, "KZ").category == "unknown"
    assert classify_charge(cited).category == "unknown"


def test_a_count_naming_no_known_offence_lowers_confidence_and_supports_no_indicator() -> None:
    reading = classify_charge(
        Charge("participation in a terrorist organization; abandonment of a vessel at sea")
    )
    # The membership count is read; the other could be a concrete crime, so RN-10 is not supported.
    assert reading.category == "membership_only_terrorism" and not reading.complete
    assert reading.confidence == "low" and reading.indicator_ids == ()
    assert reading.unrecognised == ("abandonment of a vessel at sea",)
    assert "vessel" in reading.explanation


def test_an_unknown_word_next_to_a_known_offence_is_not_a_veto() -> None:
    reading = classify_charge(Charge("Participation in a banned religious organisation founded abroad"))
    assert reading.category == "membership_only_terrorism" and reading.confidence == "medium"
    assert reading.indicator_ids == ("RN-01", "RN-10")
    assert reading.unrecognised == ("founded abroad",)
    assert "not recognised: 'founded abroad'" in reading.explanation


@pytest.mark.parametrize(
    ("text", "category", "offence", "indicator"),
    [
        ("Оскорбление Президента Республики Беларусь", "political_religious", "insult_head_of_state", "RN-01"),
        ("Public calls for the violent change of the constitutional order via the Internet", "political_religious",
         "constitutional_order", "RN-01"),
        ("участие в деятельности организации, признанной террористической", "membership_only_terrorism",
         "banned_group_membership", "RN-10"),
        ("Appartenance à une organisation extrémiste interdite", "membership_only_terrorism",
         "banned_group_membership", "RN-10"),
    ],
)
def test_the_wordings_that_used_to_come_back_unknown(text: str, category: str, offence: str, indicator: str) -> None:
    reading = classify_charge(Charge(text))
    assert reading.category == category and offence in reading.offences
    assert indicator in reading.indicator_ids and reading.confidence in ("high", "medium")


def test_empty_charge_is_unknown() -> None:
    assert classify_charge(Charge("   ")).category == "unknown"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_reading_without_error(text: str) -> None:
    reading = classify_charge(Charge(text))
    assert reading.category in (
        "ordinary",
        "membership_only_terrorism",
        "political_religious",
        "economic",
        "excluded",
        "unknown",
    )


POLITICAL_PARTS = (
    "extremism",
    "participation in an extremist organisation",
    "calls to overthrow the constitutional order",
    "insulting the president",
    "Hizb ut-Tahrir membership",
    "participation in a terrorist organization",
)
ORDINARY_PARTS = (
    "murder",
    "rape",
    "robbery",
    "drug trafficking",
    "kidnapping",
    "illegal storage of firearms",
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(POLITICAL_PARTS), max_size=3),
    st.sampled_from(ORDINARY_PARTS),
    st.sampled_from(("; ", ", ", ". ", "\n")),
)
def test_a_charge_with_an_ordinary_crime_is_never_flagged_political(
    political: list[str], ordinary: str, separator: str
) -> None:
    reading = classify_charge(Charge(separator.join([*political, ordinary])))
    assert reading.category == "ordinary"
    assert "RN-01" not in reading.indicator_ids and "RN-10" not in reading.indicator_ids


WORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "indicators" / "charge_wordings.yaml"


def _wordings() -> list[tuple[str, str, tuple[str, ...]]]:
    import yaml

    cases = yaml.safe_load(WORDINGS.read_text(encoding="utf-8"))["cases"]
    return [(case["text"], case["category"], tuple(case["indicators"])) for case in cases]


@pytest.mark.parametrize(("text", "category", "indicators"), _wordings())
def test_charge_wordings_in_four_languages(text: str, category: str, indicators: tuple[str, ...]) -> None:
    reading = classify_charge(Charge(text))
    assert (reading.category, reading.indicator_ids) == (category, indicators), reading.explanation


@pytest.mark.parametrize(
    ("text", "state", "category"),
    [
        ("Article 159 part 4 of the Criminal Code of the Russian Federation", "RU", "economic"),  # fraud
        (
            "Article 159 part 4 of the Criminal Code of the Republic of Uzbekistan",
            "UZ",
            "political_religious",
        ),
        (
            "Art. 205.5 part 2 of the Criminal Code of the Russian Federation",
            "RU",
            "membership_only_terrorism",
        ),
        ("ст. 105 ч. 2 УК РФ", "RU", "ordinary"),
        ("Статья 307-3 УК РТ", "TJ", "membership_only_terrorism"),
        ("Art. 105 CC RF", "UZ", "unknown"),
    ],
)
def test_article_numbers_alone_are_read_for_their_state(text: str, state: str, category: str) -> None:
    reading = classify_charge(Charge(text), state)
    assert reading.category == category, reading.explanation
    assert all(term.endswith("(unverified)") for term in reading.matched_terms)


def test_a_charges_own_state_decides_which_code_its_article_numbers_belong_to() -> None:
    assert classify_charge(Charge("Art. 159 CC", issuing_state="ru"), "UZ").category == "economic"
    assert classify_charge(Charge("Art. 159 CC"), "UZ").category == "political_religious"
