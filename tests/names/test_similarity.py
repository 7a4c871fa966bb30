"""Part similarity rules, one test per rule, each with a pair it must join and a pair it must keep apart."""

from __future__ import annotations

import pytest

from shelter.names.similarity import ABJAD_MAX_SCORE, abjad_similarity, compare_parts
from shelter.names.structure import parse_name
from shelter.names.transliterate import word_form


def _part_score(left: str, right: str) -> float:
    comparison = compare_parts(parse_name(left).parts[0], parse_name(right).parts[0])
    assert comparison is not None
    return comparison.score


@pytest.mark.parametrize(
    ("abjad", "other"),
    [
        ("فلاديمير", "Vladimir"),  # Arabic f for v, long i written, short a not
        ("ولادیمیر", "Владимир"),  # Persian w for v
        ("بوتين", "Putin"),  # Arabic b for p
        ("پوتین", "Putin"),
        ("פוטין", "Putin"),  # Hebrew
        ("محمد", "Muhammad"),
        ("كريموف", "Karimov"),
        ("نظروف", "Nazarov"),  # ظ as Persian and Turkic say it
        ("فاطمة", "Fatima"),  # ta marbuta ends the word in a vowel
        ("حسن", "Гасан"),  # Russian г for ح
        ("فلادمير", "فلاديمير"),  # two Arabic spellings, one writes the long i
    ],
)
def test_abjad_words_match_on_consonants_and_written_vowels(abjad: str, other: str) -> None:
    score = abjad_similarity(word_form(abjad), word_form(parse_name(other).parts[0].form.text))
    assert 0.75 <= score <= ABJAD_MAX_SCORE


@pytest.mark.parametrize(
    ("abjad", "other"),
    [
        ("كريموف", "Kasimov"),  # one consonant apart
        ("بوتين", "Petrov"),
        ("محمود", "Mohammed"),  # Mahmud writes its long u: not Muhammad
        ("نظروف", "Nasirov"),
    ],
)
def test_abjad_words_keep_other_names_apart(abjad: str, other: str) -> None:
    assert abjad_similarity(word_form(abjad), word_form(parse_name(other).parts[0].form.text)) < 0.75


def test_abjad_comparison_is_used_for_parts_and_never_says_equal() -> None:
    comparison = compare_parts(parse_name("بوتين").parts[0], parse_name("Putin").parts[0])
    assert comparison is not None and comparison.relation == "≈" and comparison.note == "consonants"


def test_a_chinese_character_is_a_syllable_not_an_initial() -> None:
    assert parse_name("王 小明").parts[0].role == "name"
    assert parse_name("В. Путин").parts[0].role == "initial"
    assert _part_score("罗", "Lin") < 0.75
