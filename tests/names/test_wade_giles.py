"""Chinese names in Wade-Giles (Mao Tse-tung, Chiang Ching-kuo): read back into pinyin when the name
has a given name in hyphenated syllables (``transcription.toml``, ``[wade_giles]``)."""

from __future__ import annotations

import pytest

from shelter.names import PersonRecord, compare, normalise
from shelter.names.transcription import is_chinese_syllable, wade_giles_readings


@pytest.mark.parametrize(
    ("wade_giles", "pinyin"),
    [
        ("tsetung", "zedong"),
        ("hsiaoping", "xiaoping"),
        ("chingkuo", "jingguo"),
        ("chunchieh", "junjie"),
        ("chihhao", "zhihao"),
        ("chang", "zhang"),
        ("chiang", "jiang"),
        ("teng", "deng"),
        ("hsu", "xu"),
        ("jen", "ren"),
        ("ch'en", "chen"),
    ],
)
def test_wade_giles_is_read_into_pinyin(wade_giles: str, pinyin: str) -> None:
    assert pinyin in wade_giles_readings(wade_giles)


def test_words_that_are_not_wade_giles_have_no_reading() -> None:
    assert wade_giles_readings("kaishek") == ()  # Kai-shek is Cantonese, not Wade-Giles
    assert wade_giles_readings("osman") == ()
    assert not is_chinese_syllable("jean") and is_chinese_syllable("tse") and is_chinese_syllable("xi")


def test_hyphenated_chinese_given_names_are_one_word() -> None:
    assert normalise("Mao Tse-tung") == "mao tsetung"
    assert normalise("WANG Ruo-Xi") == "wang ruoxi"
    # Other hyphenated names are still split.
    assert normalise("Kassym-Jomart Tokayev") == "kassym jomart tokayev"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Mao Tse-tung", "毛泽东"),
        ("Mao Tse-tung", "Mao Zedong"),
        ("Teng Hsiao-ping", "邓小平"),
        ("Teng Hsiao-ping", "Deng Xiaoping"),
        ("Chiang Ching-kuo", "蔣經國"),
        ("Ch'en Shui-pien", "陳水扁"),
    ],
)
def test_public_names_in_wade_giles(left: str, right: str) -> None:
    assert compare(PersonRecord((left,)), PersonRecord((right,))).is_match


def test_wade_giles_readings_only_in_a_chinese_name() -> None:
    # Without a hyphenated Chinese given name, a Latin word is not read as Wade-Giles: Tina is not Dina.
    assert not compare(PersonRecord(("Tina Petrova",)), PersonRecord(("Dina Petrova",))).is_match
    # A syllable off is another name, as in pinyin.
    assert not compare(PersonRecord(("Chang Chun-chieh",)), PersonRecord(("Chang Chun-chin",))).is_match
