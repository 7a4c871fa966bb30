"""The data tables are well-formed and say what they are meant to."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from shelter.names.tables import (
    TableError,
    cognate_groups,
    cyrillic_languages,
    honorifics,
    key_rules,
    latin_letters,
    other_scripts,
    structure_tables,
    uyghur_transcription,
)
from shelter.names.transliterate import comparison_keys, word_form

RUSSIAN_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def test_every_table_file_is_valid_toml() -> None:
    folder = resources.files("shelter.names").joinpath("data")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))
    assert names == [
        "cognates.toml",
        "cyrillic.toml",
        "honorifics.toml",
        "keys.toml",
        "latin.toml",
        "scripts.toml",
        "structure.toml",
        "transcription.toml",
    ]
    for name in names:
        tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8"))


def test_russian_table_covers_the_alphabet_and_others_inherit_it() -> None:
    languages = cyrillic_languages()
    assert set(RUSSIAN_ALPHABET) <= set(languages["russian"].letters)
    for language in languages.values():
        assert set(RUSSIAN_ALPHABET) <= set(language.letters), language.name
        assert all(value.isascii() for value in language.letters.values()), language.name


@pytest.mark.parametrize(
    ("language", "letters"),
    [
        ("tajik", "ҳҷқғӣӯ"),
        ("uzbek", "ўқғҳ"),
        ("kazakh", "әғқңөұүһі"),
        ("kyrgyz", "ңөү"),
        ("ukrainian", "єїґі"),
    ],
)
def test_national_letters_are_mapped(language: str, letters: str) -> None:
    table = cyrillic_languages()[language].letters
    assert set(letters) <= set(table)


def test_script_tables_name_real_scripts_and_read_their_own_letters() -> None:
    import unicodedata

    scripts = other_scripts()
    assert {"GREEK", "ARABIC", "HEBREW", "ARMENIAN", "GEORGIAN"} <= set(scripts)
    assert scripts["ARABIC"].abjad and scripts["HEBREW"].abjad and not scripts["GREEK"].abjad
    # Uyghur, Kurdish and Pashto are written in Arabic letters; their tables are chosen by the letters
    # only they use. Uyghur and Kurdish write their vowels, Pashto does not.
    assert not scripts["UYGHUR"].abjad and not scripts["KURDISH"].abjad and scripts["PASHTO"].abjad
    for unicode_name, table in scripts.items():
        letters_of = "ARABIC" if unicode_name in ("UYGHUR", "KURDISH", "PASHTO") else unicode_name
        for native, latin in table.rules + table.variants:
            assert latin.isascii(), (table.name, native)
            re.compile(native)
            letters = [char for char in native if unicodedata.category(char)[0] in "LM"]
            assert letters and all(unicodedata.name(char).startswith(letters_of) for char in letters), (
                table.name,
                native,
            )
        for ending in table.optional_endings:
            assert all(unicodedata.name(char).startswith(unicode_name) for char in ending), table.name


def test_latin_letters_fold_to_ascii() -> None:
    for letter, replacement in latin_letters().items():
        assert not letter.isascii() and replacement.isascii() and replacement, letter


def test_key_rules_compile_and_ambiguous_readings_are_distinct() -> None:
    rules = key_rules()
    assert rules.rules and rules.final_rules
    for letter, readings in rules.ambiguous.items():
        assert len(set(readings)) == len(readings) >= 2, letter


def test_structure_tables() -> None:
    tables = structure_tables()
    assert {"ogli", "oglu", "uli"} <= tables.male_markers
    assert "kizi" in tables.female_markers
    assert tables.male_suffixes[0] == max(tables.male_suffixes, key=len)
    sexes = {ending.suffix: ending.sex for ending in tables.surname_endings}
    assert sexes["ov"] == "m" and sexes["ova"] == "f" and sexes["zoda"] == ""


def test_honorifics_are_lower_case_words() -> None:
    assert all(word == word.lower() and " " not in word for word in honorifics())


def test_each_cognate_group_is_joined_by_a_shared_key() -> None:
    for group in cognate_groups():
        forms = [word_form(spelling.lower()) for spelling in group]
        shared = set(forms[0].keys).intersection(*(form.keys for form in forms[1:]))
        assert shared, group


def test_a_malformed_table_is_reported_with_its_file() -> None:
    from shelter.names import tables

    with pytest.raises(TableError, match="cyrillic.toml: languages.x.letters.Q must be lower case"):
        tables._string_map("cyrillic.toml", "languages.x.letters", {"Q": "q"})
    assert comparison_keys("") == ("",)


def test_transcription_table_patterns_compile() -> None:
    table = uyghur_transcription()
    assert table.added_vowels <= set("aeiou")
    for pattern in table.markers:
        re.compile(pattern)
    for pattern, _ in table.orthography + table.variants + table.rules:
        re.compile(pattern)
