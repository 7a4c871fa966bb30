"""Chinese names in characters against their Hanyu pinyin: surname first, with and without tones
and spaces, two-character surnames, characters with several readings."""

from __future__ import annotations

import pytest

from shelter.names import PersonRecord, compare, normalise
from shelter.names.transliterate import word_form


def _score(left: str, right: str) -> float:
    return compare(PersonRecord((left,)), PersonRecord((right,))).score


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("王若汐", "王 若汐"),  # surname first, no space
        ("欧阳若汐", "欧阳 若汐"),  # two-character surname
        ("諸葛亮", "諸葛 亮"),
        ("王 若汐", "王 若汐"),
        ("阿布都热依木·奥斯曼", "阿布都热依木 奥斯曼"),  # a foreign name: words split by the dot only
    ],
)
def test_chinese_name_without_spaces_splits_after_the_surname(written: str, normalised: str) -> None:
    assert normalise(written) == normalised
    assert normalise(normalise(written)) == normalised


@pytest.mark.parametrize(
    ("han", "latin"),
    [
        ("王若汐", "Wang Ruoxi"),
        ("王若汐", "WANG Ruoxi"),
        ("王若汐", "Ruoxi Wang"),
        ("王若汐", "Wáng Ruòxī"),
        ("王若汐", "Wang Ruo-Xi"),
        ("王若汐", "Wang Ruo Xi"),
        ("欧阳若汐", "Ouyang Ruoxi"),
        ("張宇轩", "Zhang Yuxuan"),  # traditional surname, simplified given name
    ],
)
def test_characters_match_their_pinyin(han: str, latin: str) -> None:
    assert _score(han, latin) >= 0.99


@pytest.mark.parametrize(
    ("han", "latin"),
    [
        ("赵宇泽", "Zhao Yize"),  # 宇 yu is not 奕 yi: one syllable off is another name
        ("孙宇泽", "Sun Yuxuan"),
        ("王若汐", "Li Ruoxi"),  # another surname
        ("王若汐", "Wang Yinuo"),  # a sibling
    ],
)
def test_other_chinese_names_do_not_match(han: str, latin: str) -> None:
    assert _score(han, latin) < 0.75


def test_a_character_with_several_readings_has_a_key_for_each() -> None:
    # 单 is dan in most words and Shan as a surname.
    form = word_form("单")
    assert form.latin == "dan"
    assert set(word_form("dan").keys) <= set(form.keys)
    assert set(word_form("shan").keys) <= set(form.keys)
    assert _score("阿布都热依木·奥斯曼", "Abudureyimu Aosiman") >= 0.99


@pytest.mark.parametrize(
    ("han", "latin"),
    [
        ("陳奕泽", "CHAN Yize"),  # Hong Kong spellings of the surname
        ("黃梓涵", "Zihan Wong"),
        ("吳一诺", "NG Yinuo"),
        ("張若汐", "Cheung Ruoxi"),
        ("歐陽若汐", "Au Yeung Ruoxi"),
        ("陳奕泽", "Chen Yize"),  # and still the pinyin
    ],
)
def test_hong_kong_spellings_of_chinese_surnames(han: str, latin: str) -> None:
    assert _score(han, latin) >= 0.75


def test_a_hong_kong_spelling_is_only_its_own_surname() -> None:
    assert _score("陳奕泽", "Wong Yize") < 0.75  # Wong is 黃 or 王, not 陳
    assert "chan" not in word_form("李").keys
