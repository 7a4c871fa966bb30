"""Central Kurdish (Sorani) and Pashto in Arabic script, Kurmanji in Latin letters, Dari in Persian
script: their tables (``scripts.toml``) and public names against their Latin spellings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shelter.names import PersonRecord, compare
from shelter.names.transliterate import detect_language, word_form

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "names" / "kurdish_pashto_dari.tsv"


def _pairs() -> list[tuple[str, str, str, bool]]:
    with FIXTURE.open(encoding="utf-8") as stream:
        rows = csv.DictReader((line for line in stream if not line.startswith("#")), delimiter="\t")
        return [(row["language"], row["left"], row["right"], row["same"] == "true") for row in rows]


@pytest.mark.parametrize(("language", "left", "right", "same"), _pairs())
def test_public_names(language: str, left: str, right: str, same: bool) -> None:
    result = compare(PersonRecord((left,)), PersonRecord((right,)))
    assert result.is_match == same, (language, result)


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("نێچیرڤان", "Kurdish Arabic script"),  # ێ ڤ: letters only Kurdish has
        ("تاڵەبانی", "Kurdish Arabic script"),  # ڵ
        ("مەسعود", "Kurdish Arabic script"),  # ە with ع, which Uyghur does not write
        ("ئەنۋەر", "Uyghur Arabic script"),  # ە with ۋ: Uyghur
        ("یوسفزۍ", "Pashto Arabic script"),  # ۍ
        ("ګلبدین", "Pashto Arabic script"),  # ګ
        ("کرزی", "Arabic script"),  # a Pashto name in letters Persian shares: the Persian reading
        ("غنی", "Arabic script"),  # Dari is written with Persian's letters
    ],
)
def test_script_of_a_word(word: str, label: str) -> None:
    assert detect_language(word) == label


def test_kurdish_letters_read_with_the_kurdish_latin_alphabet() -> None:
    # ێ ê, ڤ v, ڵ l, ڕ r, وو û, ۆ o: the Hawar letters without their marks.
    assert word_form("نێچیرڤان").latin == "nechirvan"
    assert word_form("تاڵەبانی").latin == "talebani"
    assert word_form("ڕەشید").latin == "reshid"
    # English spellings write ە as a: the word has the keys of both readings.
    assert {"talabani", "talebani"} <= set(word_form("تاڵەبانی").keys)


def test_pashto_letters_and_their_northern_readings() -> None:
    assert word_form("یوسفزۍ").latin == "ywsfzay"  # consonants and written vowels; ۍ is ay
    # ښ is sh in the south and kh in the north (Pashtun / Pakhtun), ږ zh or g: both readings are keys.
    pashtun = word_form("ښکلی")
    assert pashtun.abjad
    assert {"Skli", "hkli"} <= set(pashtun.keys)  # S is sh; kh folds to h
    assert {"Jvak", "gvak"} <= set(word_form("ږواک").keys)
    assert compare(PersonRecord(("ګل ښکلی",)), PersonRecord(("Gul Shakili",))).is_match
    assert compare(PersonRecord(("ښکلی ګل",)), PersonRecord(("Khkuli Gul",))).is_match


def test_dari_long_vowels_written_o_and_e() -> None:
    # Dari keeps the vowels Iranian Persian merged (Sher, not Shir; Dostum, not Dustum): the written
    # و and ی are there in either Latin spelling.
    assert compare(PersonRecord(("شیر محمد",)), PersonRecord(("Sher Mohammad",))).is_match
    assert compare(PersonRecord(("شیر محمد",)), PersonRecord(("Shir Mohammad",))).is_match
    assert compare(PersonRecord(("عبدالرشید دوستم",)), PersonRecord(("Abdul Rashid Dustum",))).is_match


def test_two_identical_letters_in_arabic_script_are_two_consonants() -> None:
    # A doubled consonant is written once, so محقق is Mohaqeq (q, vowel, q) and ننګیالی Nangyalai.
    assert compare(PersonRecord(("امرالله محقق",)), PersonRecord(("Amrullah Mohaqeq",))).is_match
    assert compare(PersonRecord(("ننګیالی یوسفزۍ",)), PersonRecord(("Nangialai Yusufzai",))).is_match
    # The article's ل before the ل of Allah stays as it was (عبدالله Abdullah).
    assert compare(PersonRecord(("عبدالله حداد",)), PersonRecord(("Abdullah Haddad",))).is_match
    # څ is the ch of Achakzai as well as the tables' ts.
    assert compare(PersonRecord(("حامد اڅکزی",)), PersonRecord(("Hamid Achakzai",))).is_match


def test_every_reading_of_a_pashto_letter_is_compared_on_consonants() -> None:
    # ږ is zh in the south and g in the north: وږمه is Wazhma and Wagma, whichever vowels the Latin writes.
    assert word_form("وږمه").readings
    for latin in ("Wagma Achakzai", "Wazhma Achakzai", "WAGMA ACHEKZAI"):
        assert compare(PersonRecord(("وږمه اڅکزی",)), PersonRecord((latin,))).is_match, latin
    # A reading is one letter's other sound, not any consonant: وږمه is not Wafma or Warma.
    assert not compare(PersonRecord(("وږمه اڅکزی",)), PersonRecord(("Warma Achakzai",))).is_match


def test_an_h_only_the_latin_writes_after_a_long_vowel() -> None:
    # English spellings lengthen the written و or ی with an h (Mohmand for مومند) ...
    assert compare(PersonRecord(("ننګیالی مومند",)), PersonRecord(("MOHMAND Nangyalai",))).is_match
    # ... but after a the h is a consonant of its own: عماد is Imad, not Ahmad.
    assert not compare(PersonRecord(("عماد کریمی",)), PersonRecord(("Ahmad Karimi",))).is_match
    same_day = "1980-05-01"
    assert not compare(
        PersonRecord(("عماد کریمی",), dob=same_day), PersonRecord(("Ahmad Karimi",), dob=same_day)
    ).is_match
