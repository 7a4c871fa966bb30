"""Uyghur names in Chinese characters and their pinyin against Uyghur Arabic script and Latin spellings,
and the Arabic-script readings used by the same names (Omid / Umid, Naggar, Anvar for ئەنۋەر)."""

from __future__ import annotations

import itertools

import pytest

from shelter.names import PersonRecord, ScreeningIndex, compare
from shelter.names.transcription import pinyin_syllables, uyghur_readings
from shelter.names.transliterate import word_form


def _match(left: str, right: str) -> bool:
    return compare(PersonRecord((left,)), PersonRecord((right,))).is_match


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("阿布都热依木", ("a", "bu", "dou", "re", "yi", "mu")),
        ("abudureyimu", ("a", "bu", "du", "re", "yi", "mu")),
        ("aosiman", ("ao", "si", "man")),
        ("tuerxun", ("tu", "er", "xun")),
        ("adili", ("a", "di", "li")),  # three syllables ending in li: a transcription's added vowel
    ],
)
def test_transcriptions_are_split_into_pinyin_syllables(word: str, syllables: tuple[str, ...]) -> None:
    assert pinyin_syllables(word) == syllables


@pytest.mark.parametrize("word", ["marina", "erlan", "ivan", "osman", "abdurehim", "ali", "李"])
def test_other_words_are_not_read_as_transcriptions(word: str) -> None:
    # Marina splits into pinyin (ma-ri-na) but shows no habit of these transcriptions; Erlan begins
    # with er, which transcriptions write only after a vowel (Tu-er-xun); 李 is one syllable.
    assert pinyin_syllables(word) is None
    assert word_form(word).transcribed == ()


@pytest.mark.parametrize(
    ("pinyin", "uyghur"),
    [
        ("abudureyimu", "abdurehim"),  # syllable per character collapsed; h before i restored
        ("maimaiti", "memet"),  # mai for me, -ti for a final t
        ("aihemaiti", "ehmet"),  # Ai- for E-
        ("aisikaer", "askar"),  # Ai- for A-; er closing the syllable before
        ("abulajiang", "ablajan"),  # -jiang for -jan
        ("aosiman", "osman"),  # ao for o
        ("tuerxun", "tursun"),  # x for s
        ("gulixian", "gulshen"),  # x for sh, -ian for -en
        ("yilihamu", "ilham"),
        ("yusufu", "yusup"),  # fu at the end for p
        ("wushouer", "hushur"),  # initial h left out (Hoshur)
        ("muhanmode", "muhammod"),  # n + m for a doubled m
        ("yibulayin", "ibrahim"),  # l for r, yin for him
    ],
)
def test_pinyin_of_uyghur_names_reads_back_into_uyghur_latin(pinyin: str, uyghur: str) -> None:
    syllables = pinyin_syllables(pinyin)
    assert syllables is not None
    assert uyghur in uyghur_readings(syllables)


# The example person: Uyghur Arabic script, ULY with and without é, the pinyin of the
# Chinese characters of PRC documents, the characters themselves, and a notice's SURNAME Given.
ABDUREHIM_OSMAN = [
    "ئابدۇرېھىم ئوسمان",
    "Abdurehim Osman",
    "Abduréhim Osman",
    "Abudureyimu Aosiman",
    "阿布都热依木·奥斯曼",
    "OSMAN ABDUREHIM",
]


@pytest.mark.parametrize(("left", "right"), list(itertools.combinations(ABDUREHIM_OSMAN, 2)))
def test_every_spelling_of_one_uyghur_name_matches_every_other(left: str, right: str) -> None:
    assert _match(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # 阿布都热合曼 is Abdurahman (Abd al-Rahman), a name of its own beside Abdurehim (Abd al-Rahim)
        ("阿布都热合曼·奥斯曼", "Abdurahman Osman"),
        ("Abudureheman Aosiman", "ABDURAHMAN OSMAN"),
        ("阿布都热合曼·奥斯曼", "Abudureheman Aosiman"),
        # public figures whose names are published in both forms
        ("伊力哈木·土赫提", "Ilham Tohti"),
        ("Yilihamu Tuheti", "ئىلھام توختى"),
        ("热依拉·达吾提", "Rahile Dawut"),
        ("古丽仙·阿巴斯", "Gulshan Abbas"),
        ("米日古丽·吐尔逊", "Mihrigul Tursun"),
        ("买买提·艾山", "Memet Hesen"),
        ("阿不拉江·依明", "Ablajan Imin"),
        ("Yusufu Tursun", "Yusup Tursun"),  # a reading that is the other word counts
    ],
)
def test_uyghur_names_in_chinese_characters_and_pinyin_match_latin_spellings(left: str, right: str) -> None:
    assert _match(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("阿布都热合曼·奥斯曼", "Abdurehim Osman"),  # Abdurahman is not Abdurehim
        ("伊力哈木·土赫提", "Erkin Tohti"),  # a brother: another given name
        ("伊力哈木·土赫提", "Ilham Tursun"),  # another father
        ("Abudureyimu Aosiman", "Abdurehim Tursun"),
        ("吐尔逊·穆罕默德", "Tursun Memet"),  # Muhemmet is not Memet
    ],
)
def test_other_uyghur_names_stay_apart(left: str, right: str) -> None:
    assert not _match(left, right)


def test_explanation_names_the_chinese_transcription() -> None:
    result = compare(PersonRecord(("阿布都热依木·奥斯曼",)), PersonRecord(("Abdurehim Osman",)))
    assert "Chinese transcription" in result.explanation


def test_index_finds_uyghur_names_across_chinese_pinyin_arabic_script_and_latin() -> None:
    registry = {
        "abdurehim": "阿布都热依木·奥斯曼",
        "ilham": "ئىلھام توختى",
        "brother": "Erkin Tohti",
        "rahile": "Reyila Dawuti",
        "other": "Abdurehim Tursun",
    }
    index = ScreeningIndex()
    for key, name in registry.items():
        index.add(key, PersonRecord((name,)))

    def found(query: str) -> set[str]:
        return {hit.key for hit in index.search(PersonRecord((query,)), limit=10)}

    assert found("OSMAN Abdurehim") == {"abdurehim"}
    assert found("Abudureyimu Aosiman") == {"abdurehim"}
    assert found("伊力哈木·土赫提") == {"ilham"}
    assert found("Rahile Dawut") == {"rahile"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("امید صادقی", "Umid Sadeqi"),  # a word-initial alif carries any vowel
        ("امید صادقی", "Omid Sadeghi"),
        ("ابراهیم رئیسی", "Ibrahim Raisi"),
        ("سلمى النجار", "Salma El Naggar"),  # Egyptian g for ج
        ("ئەنۋەر ئوسمان", "Anvar Osman"),  # Uyghur ە written a through Russian and Uzbek
        ("پەرھات قادىر", "Ferhat Kadir"),  # Uyghur پ for the f of Persian Farhad
        ("تۇرسۇن مۇھەممەت", "Tursun Muhammad"),  # Uyghur devoices the final d
        ("مسیح علی\u200cنژاد", "Masih Alinezhad"),
    ],
)
def test_arabic_script_readings(left: str, right: str) -> None:
    assert _match(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("امید صادقی", "Ahmad Sadeghi"),
        ("پەرھات قادىر", "Ferhad Nazarov"),
        ("ئەنۋەر ئوسمان", "Anvar Usmonov"),
    ],
)
def test_arabic_script_readings_keep_other_names_apart(left: str, right: str) -> None:
    assert not _match(left, right)


def test_only_foreign_names_in_chinese_characters_are_read_as_transcriptions() -> None:
    # A Chinese given name (one or two characters, no interpunct) is compared as pinyin only:
    # read as a transcription, 奕泽 Yize would come close to Yuze.
    assert word_form("奕泽").transcribed == ()
    assert not _match("王奕泽", "Wang Yuze")
    # The interpunct marks a foreign name; a word of three characters or more is one too.
    assert word_form("艾山", None, True).transcribed != ()
    assert word_form("阿布都热依木").transcribed != ()
    assert _match("买买提·艾山", "Memet Hasan")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # the characters' vowel is not the Uyghur one: 肯 ken for kin, 明 ming for min, 山 shan for sen
        ("艾尔肯·吐尔逊", "Erkin Tursun"),
        ("Aierken Tuerxun", "Erkin Tursun"),
        ("艾山·土赫提", "Hesen Tohti"),
        # 海 hai for Ghey- / Ghay- (غ written h), 拉 la for ra after it
        ("海拉提·依明", "Gheyret Imin"),
        ("Hailati Yiming", "Gayrat Emin"),
        # a whole name in pinyin, surname first
        ("Aosiman Yilihamu", "Ilham Usman"),
    ],
)
def test_vowels_the_characters_do_not_tell_apart_score_as_the_same_name(left: str, right: str) -> None:
    result = compare(PersonRecord((left,)), PersonRecord((right,)))
    assert result.is_match
    assert result.score >= 0.99


def test_the_characters_other_vowels_are_said_as_near_not_equal() -> None:
    result = compare(PersonRecord(("艾尔肯·吐尔逊",)), PersonRecord(("Erkin Tursun",)))
    assert "艾尔肯 (Chinese characters) ≈ ERKIN (Chinese transcription)" in result.explanation
    assert "吐尔逊 (Chinese characters) = TURSUN (Chinese transcription)" in result.explanation


def test_an_arabic_script_word_beside_a_uyghur_one_is_also_read_as_uyghur() -> None:
    # توختى alone reads as Arabic (Tukhta); beside ئىلھام (Uyghur ى inside a word) it is also Tohti
    result = compare(PersonRecord(("ئىلھام توختى",)), PersonRecord(("Ilham Tohti",)))
    assert "توختى (Arabic script) = TOHTI" in result.explanation
    assert result.score >= 0.99


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("乌买尔·艾山", "Amir Hesen"),  # a and u stay apart: Umer is not Amir
        ("Umer Hesen", "Amir Hesen"),
        # one Latin word that also reads as pinyin is a name of its own: ai-sha is not Isa
        ("Aisha Karimova", "Isa Karimova"),
        ("Malalai Yusufzai", "Malala Yusufzai"),
    ],
)
def test_vowels_the_characters_do_tell_apart_stay_apart(left: str, right: str) -> None:
    assert not _match(left, right)
