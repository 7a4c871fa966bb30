"""The indicator catalogue, state facts and charge lexicons are well-formed data."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelter.indicators import CatalogueError, load_catalogue, load_state_facts
from shelter.indicators.catalogue import INDICATORS_FILE, STATE_FACTS_FILE, _load_catalogue_cached
from shelter.indicators.lexicon import KINDS_FILE, TERMS_FILE, load_lexicon
from shelter.indicators.rules import RULES


def test_catalogue_lists_every_rn_and_nr_indicator_once() -> None:
    catalogue = load_catalogue()
    assert catalogue.ids == tuple(f"RN-{n:02d}" for n in range(1, 15)) + tuple(
        f"NR-{n:02d}" for n in range(1, 16)
    )


def test_rn_indicators_apply_to_notices_and_nr_to_requests() -> None:
    catalogue = load_catalogue()
    assert [i.id for i in catalogue.for_kind("red_notice")] == [f"RN-{n:02d}" for n in range(1, 15)]
    assert [i.id for i in catalogue.for_kind("diffusion")] == [f"RN-{n:02d}" for n in range(1, 15)]
    assert [i.id for i in catalogue.for_kind("extradition")] == [f"NR-{n:02d}" for n in range(1, 16)]
    assert len(catalogue.for_kind("deportation")) == 15


def test_unknown_kind_is_refused_with_the_list_of_kinds() -> None:
    with pytest.raises(
        CatalogueError, match="expected one of red_notice, diffusion, extradition, deportation"
    ):
        load_catalogue().for_kind("warrant")


def test_automatic_indicators_name_an_existing_rule_and_manual_ones_none() -> None:
    for indicator in load_catalogue().indicators:
        if indicator.evaluation == "automatic":
            assert indicator.rule in RULES, indicator.id
        else:
            assert indicator.rule is None, indicator.id


def test_unverified_research_items_stay_flagged() -> None:
    catalogue = load_catalogue()
    # RPD Art. 34(3) wording and the NR case-law pinpoints were not re-checked.
    rpd_34_3 = [
        s
        for i in catalogue.indicators
        for s in i.sources
        if s.pinpoint and s.pinpoint.startswith("Art. 34(3)")
    ]
    assert rpd_34_3 and not any(source.verified for source in rpd_34_3)
    for indicator_id in ("NR-01", "NR-02", "NR-06", "NR-12", "NR-13", "NR-14"):
        assert catalogue.get(indicator_id).verified is False, indicator_id
    for indicator in catalogue.indicators:
        if not any(source.verified for source in indicator.sources):
            assert indicator.verified is False, indicator.id


def test_state_facts_hold_russias_heightened_supervision_with_its_source() -> None:
    facts = load_state_facts()
    supervision = [f for f in facts.about("RU", ("interpol_misuse",)) if f.since == "2022-03-10"]
    assert len(supervision) == 1
    assert supervision[0].verified and "heightened supervision" in supervision[0].text
    assert facts.echr.verified is False  # membership list from background knowledge
    assert len(facts.echr.parties) == 46 and "RU" not in facts.echr.parties and "RU" in facts.echr.former


def test_lexicon_kinds_point_at_catalogue_indicators() -> None:
    lexicon = load_lexicon()
    ids = set(load_catalogue().ids)
    for kind in lexicon.kinds.values():
        assert set(kind.indicators) <= ids, kind.name
    assert {"en", "ru", "es", "fr"} <= set(lexicon.languages)
    for provision in lexicon.provisions:
        assert provision.verified is False  # article numbers come from memory in the research notes


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_applies_to_is_reported_with_the_indicator_and_the_fix(tmp_path: Path) -> None:
    text = INDICATORS_FILE.read_text(encoding="utf-8").replace(
        "applies_to: [red_notice, diffusion]", "applies_to: [red_notise]", 1
    )
    with pytest.raises(
        CatalogueError, match=r"indicator RN-01: applies_to \['red_notise'\] must list one or more of"
    ):
        _load_catalogue_cached(_write(tmp_path, "indicators.yaml", text))


def test_verified_indicator_without_verified_source_is_refused(tmp_path: Path) -> None:
    text = INDICATORS_FILE.read_text(encoding="utf-8").replace(
        '      - {title: RPD, pinpoint: "Art. 83(1)(b)", url: "https://www.interpol.int/en/Who-we-are/Legal-framework/Legal-documents", verified: true}',
        '      - {title: RPD, pinpoint: "Art. 83(1)(b)", url: "https://www.interpol.int/en/Who-we-are/Legal-framework/Legal-documents", verified: false}',
    )
    with pytest.raises(CatalogueError, match="RN-08: verified is true but none of its sources is verified"):
        _load_catalogue_cached(_write(tmp_path, "indicators.yaml", text))


def test_unknown_rule_is_refused(tmp_path: Path) -> None:
    text = INDICATORS_FILE.read_text(encoding="utf-8").replace(
        "rule: refugee_status", "rule: refugee_stat", 1
    )
    with pytest.raises(
        CatalogueError, match="RN-05: automatic indicators need a rule; 'refugee_stat' is not one of"
    ):
        _load_catalogue_cached(_write(tmp_path, "indicators.yaml", text))


def test_bad_state_fact_date_is_refused(tmp_path: Path) -> None:
    text = STATE_FACTS_FILE.read_text(encoding="utf-8").replace('since: "2022-03-10"', 'since: "10/03/2022"')
    with pytest.raises(
        CatalogueError, match=r"fact 1: date '10/03/2022' is not a date \(expected YYYY-MM-DD\)"
    ):
        load_state_facts.__wrapped__(_write(tmp_path, "state_facts.yaml", text))


def test_lexicon_term_with_unknown_kind_or_boolean_word_is_refused(tmp_path: Path) -> None:
    terms = TERMS_FILE.read_text(encoding="utf-8")
    bad_kind = _write(
        tmp_path, "terms.yaml", terms.replace("      - kind: violent\n", "      - kind: violence\n", 1)
    )
    with pytest.raises(CatalogueError, match="kind 'violence' is not defined"):
        load_lexicon.__wrapped__(bad_kind, KINDS_FILE)
    unquoted = _write(tmp_path, "terms2.yaml", terms.replace('"no", who,', "no, who,", 1))
    with pytest.raises(CatalogueError, match="quote words YAML reads as booleans"):
        load_lexicon.__wrapped__(unquoted, KINDS_FILE)


def test_rule_parameters_use_the_platforms_vocabularies() -> None:
    """Tactics and outcomes named in the catalogue exist where incidents are recorded, so a rule never waits
    for a code that no record can carry."""
    from shelter.incidents.models import Outcome
    from shelter.incidents.taxonomy import load_taxonomy

    tactics = set(load_taxonomy().codes)
    outcomes = {choice.value for choice in Outcome}
    for indicator in load_catalogue().indicators:
        assert set(indicator.rule_params.get("tactics", ())) <= tactics, indicator.id
        assert set(indicator.rule_params.get("outcomes", ())) <= outcomes, indicator.id
    topics = {t for i in load_catalogue().indicators for t in i.rule_params.get("topics", ())}
    assert topics <= {fact.topic for fact in load_state_facts().facts}


def test_penalty_words_load_and_refuse_a_bad_number(tmp_path: Path) -> None:
    from shelter.indicators.penalties import PENALTY_TERMS_FILE, load_penalty_words

    words = load_penalty_words()
    assert words.months_per_unit["years"] == 12 and words.months_per_unit["месяцев"] == 1
    assert words.numbers["diez"] == 10 and words.numbers["двух"] == 2
    bad = _write(
        tmp_path,
        "penalty.yaml",
        PENALTY_TERMS_FILE.read_text(encoding="utf-8").replace("ten: 10", "ten: ten"),
    )
    with pytest.raises(CatalogueError, match=r"numbers.en.ten: 'ten' is not a whole number > 0"):
        load_penalty_words.__wrapped__(bad)


def test_indicator_sources_carry_web_addresses_and_keep_their_verified_flags() -> None:
    sources = [source for indicator in load_catalogue().indicators for source in indicator.sources]
    with_url = [source for source in sources if source.url]
    assert len(with_url) >= 50 and all(source.url.startswith("https://") for source in with_url)  # type: ignore[union-attr]
    saadi = next(source for source in sources if source.title.startswith("Saadi v Italy"))
    assert saadi.url is not None and "37201/06" in saadi.url
    rpd = [source for source in sources if source.title == "RPD"]
    assert rpd and all(source.url for source in rpd)
    # a pinpoint from background knowledge stays flagged
    assert any(source.pinpoint == "Art. 34(3)(g)" and not source.verified for source in rpd)


def test_a_source_address_that_is_not_https_is_refused(tmp_path: Path) -> None:
    from shelter.indicators.catalogue import parse_source

    with pytest.raises(CatalogueError, match="must be an https:// address"):
        parse_source({"title": "x", "url": "javascript:alert(1)", "verified": False}, "RN-01 source 1")


def test_every_indicator_question_has_its_russian_wording() -> None:
    from shelter.indicators.catalogue import translated_questions

    russian = translated_questions("ru")
    assert set(russian) == set(load_catalogue().ids)
    assert all(any("а" <= letter <= "я" for letter in question.lower()) for question in russian.values())
    assert translated_questions("en") == {}
