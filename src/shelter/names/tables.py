"""Loader for the data tables in ``data/``: transliteration, comparison keys, name structure.

The tables are TOML so that researchers can correct a letter or add a marker without touching code;
``tests/names/test_tables.py`` checks that they are well-formed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CyrillicLanguage",
    "KeyRules",
    "ScriptTable",
    "StructureTables",
    "SurnameEnding",
    "TableError",
    "TranscriptionTable",
    "WadeGilesTable",
    "cognate_groups",
    "cyrillic_languages",
    "honorifics",
    "key_rules",
    "latin_letters",
    "other_scripts",
    "structure_tables",
    "uyghur_transcription",
    "wade_giles_table",
]


class TableError(ValueError):
    """A data table is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class CyrillicLanguage:
    name: str
    label: str
    letters: dict[str, str]
    markers: tuple[str, ...]
    russian_forms: tuple[tuple[str, str], ...]  # regular expressions: native spelling -> Russian-like


@dataclass(frozen=True)
class KeyRules:
    rules: tuple[tuple[str, str], ...]
    final_rules: tuple[tuple[str, str], ...]
    ambiguous: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class ScriptTable:
    name: str
    label: str
    rules: tuple[tuple[str, str], ...]  # regular expressions on the native word, in order
    variants: tuple[tuple[str, str], ...]  # regular expressions giving a second reading
    abjad: bool  # short vowels unwritten: compared on consonants and long vowels
    syllabic: bool  # one character is a syllable or a word, never an initial
    optional_endings: tuple[str, ...]
    # Chinese: surnames of two characters; a name written without a space is split after its surname.
    compound_surnames: tuple[str, ...] = ()
    # Chinese: surnames in characters and their Hong Kong (Cantonese) spellings, one pair per spelling.
    cantonese_surnames: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SurnameEnding:
    suffix: str
    sex: str
    family: str


@dataclass(frozen=True)
class StructureTables:
    male_markers: frozenset[str]
    female_markers: frozenset[str]
    male_suffixes: tuple[str, ...]
    female_suffixes: tuple[str, ...]
    surname_endings: tuple[SurnameEnding, ...]
    given_name_endings: tuple[str, ...]


def _load(filename: str) -> dict[str, Any]:
    text = resources.files("shelter.names").joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TableError(f"{filename}: not valid TOML ({error})") from error


def _string_map(filename: str, where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TableError(f"{filename}: {where} must be a table of letter = replacement")
    for letter, replacement in value.items():
        if not isinstance(replacement, str):
            raise TableError(f"{filename}: {where}.{letter} must be a string, got {replacement!r}")
        if letter != letter.lower():
            raise TableError(f"{filename}: {where}.{letter} must be lower case")
    return dict(value)


def _pairs(filename: str, where: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise TableError(f"{filename}: {where} must be a list of [pattern, replacement]")
    pairs: list[tuple[str, str]] = []
    for position, item in enumerate(value, start=1):
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)):
            raise TableError(
                f"{filename}: {where} entry {position} must be [pattern, replacement], got {item!r}"
            )
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def _strings(filename: str, where: str, value: Any) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(item, str) and item for item in value)):
        raise TableError(f"{filename}: {where} must be a list of non-empty strings")
    return tuple(value)


@cache
def cyrillic_languages() -> dict[str, CyrillicLanguage]:
    """Per-language Cyrillic letter tables; every language inherits the Russian letters it does not list."""
    data = _load("cyrillic.toml")
    languages = data.get("languages")
    if not isinstance(languages, dict) or "russian" not in languages:
        raise TableError("cyrillic.toml: needs a [languages.russian] table")
    base = _string_map("cyrillic.toml", "languages.russian.letters", languages["russian"].get("letters"))
    result: dict[str, CyrillicLanguage] = {}
    for name, entry in languages.items():
        letters = _string_map("cyrillic.toml", f"languages.{name}.letters", entry.get("letters"))
        label = entry.get("label")
        if not isinstance(label, str) or not label:
            raise TableError(f"cyrillic.toml: languages.{name}.label must be a non-empty string")
        markers = _strings("cyrillic.toml", f"languages.{name}.markers", entry.get("markers", []))
        russian_forms = _pairs(
            "cyrillic.toml", f"languages.{name}.russian_forms", entry.get("russian_forms", [])
        )
        result[name] = CyrillicLanguage(name, label, {**base, **letters}, markers, russian_forms)
    return result


@cache
def other_scripts() -> dict[str, ScriptTable]:
    """Scripts other than Latin and Cyrillic, by the first word of their letters' Unicode names."""
    scripts = _load("scripts.toml").get("scripts")
    if not isinstance(scripts, dict):
        raise TableError("scripts.toml: needs [scripts.<name>] tables")
    result: dict[str, ScriptTable] = {}
    for name, entry in scripts.items():
        unicode_name, label = entry.get("unicode"), entry.get("label")
        if not (
            isinstance(unicode_name, str) and unicode_name.isupper() and isinstance(label, str) and label
        ):
            raise TableError(f"scripts.toml: scripts.{name} needs unicode (upper case) and label")
        abjad, syllabic = entry.get("abjad", False), entry.get("syllabic", False)
        if not (isinstance(abjad, bool) and isinstance(syllabic, bool)):
            raise TableError(f"scripts.toml: scripts.{name}.abjad and .syllabic must be true or false")
        result[unicode_name] = ScriptTable(
            name,
            label,
            _pairs("scripts.toml", f"scripts.{name}.rules", entry.get("rules", [])),
            _pairs("scripts.toml", f"scripts.{name}.variants", entry.get("variants", [])),
            abjad,
            syllabic,
            _strings("scripts.toml", f"scripts.{name}.optional_endings", entry.get("optional_endings", [])),
            _strings("scripts.toml", f"scripts.{name}.compound_surnames", entry.get("compound_surnames", [])),
            _pairs("scripts.toml", f"scripts.{name}.cantonese_surnames", entry.get("cantonese_surnames", [])),
        )
    return result


@dataclass(frozen=True)
class ArabicParticles:
    articles: frozenset[str]
    abd: frozenset[str]
    nasab: tuple[str, ...]  # the first is the form every other is read as
    not_articles: frozenset[str]  # names that begin with the letters of the article (الهام Elham)
    kunya_father: tuple[str, ...] = ()  # Abu and its spellings; the first is the form the others are read as
    kunya_mother: tuple[str, ...] = ()  # Umm and its spellings, likewise
    laqab_words: frozenset[str] = frozenset()  # din, islam, dawla: one name with the name before them
    laqab_articles: frozenset[str] = frozenset()  # the article before them, as written (al, ad, ud ...)
    allah: frozenset[str] = frozenset()  # Allah as written apart after the name it ends (Asad Allah)
    allah_first: frozenset[str] = frozenset()  # names that begin with Allah (Allah Ditta)


@cache
def arabic_particles() -> ArabicParticles:
    entry = _load("structure.toml").get("arabic_particles")
    if not isinstance(entry, dict):
        raise TableError("structure.toml: needs an [arabic_particles] table")
    where = "arabic_particles"
    return ArabicParticles(
        frozenset(_strings("structure.toml", f"{where}.articles", entry.get("articles", []))),
        frozenset(_strings("structure.toml", f"{where}.abd", entry.get("abd", []))),
        _strings("structure.toml", f"{where}.nasab", entry.get("nasab", [])),
        frozenset(_strings("structure.toml", f"{where}.not_articles", entry.get("not_articles", []))),
        _strings("structure.toml", f"{where}.kunya_father", entry.get("kunya_father", [])),
        _strings("structure.toml", f"{where}.kunya_mother", entry.get("kunya_mother", [])),
        frozenset(_strings("structure.toml", f"{where}.laqab_words", entry.get("laqab_words", []))),
        frozenset(_strings("structure.toml", f"{where}.laqab_articles", entry.get("laqab_articles", []))),
        frozenset(_strings("structure.toml", f"{where}.allah", entry.get("allah", []))),
        frozenset(_strings("structure.toml", f"{where}.allah_first", entry.get("allah_first", []))),
    )


@cache
def latin_letters() -> dict[str, str]:
    return _string_map("latin.toml", "letters", _load("latin.toml").get("letters"))


@cache
def key_rules() -> KeyRules:
    data = _load("keys.toml")
    ambiguous_raw = data.get("ambiguous")
    if not isinstance(ambiguous_raw, dict):
        raise TableError("keys.toml: needs an [ambiguous] table")
    ambiguous = {
        letter: _strings("keys.toml", f"ambiguous.{letter}", readings)
        for letter, readings in ambiguous_raw.items()
    }
    return KeyRules(
        rules=_pairs("keys.toml", "rules", data.get("rules")),
        final_rules=_pairs("keys.toml", "final_rules", data.get("final_rules")),
        ambiguous=ambiguous,
    )


@cache
def cognate_groups() -> tuple[tuple[str, ...], ...]:
    groups = _load("cognates.toml").get("groups")
    if not isinstance(groups, list):
        raise TableError("cognates.toml: needs groups = [[spelling, ...], ...]")
    return tuple(
        _strings("cognates.toml", f"groups entry {position}", group)
        for position, group in enumerate(groups, start=1)
    )


@cache
def honorifics() -> frozenset[str]:
    return frozenset(_strings("honorifics.toml", "words", _load("honorifics.toml").get("words")))


@cache
def structure_tables() -> StructureTables:
    data = _load("structure.toml")
    markers = data.get("patronymic_markers", {})
    suffixes = data.get("patronymic_suffixes", {})
    endings_raw = data.get("surname_endings")
    if not isinstance(endings_raw, list) or not endings_raw:
        raise TableError("structure.toml: needs [[surname_endings]] entries")
    endings: list[SurnameEnding] = []
    for position, entry in enumerate(endings_raw, start=1):
        suffix, sex, family = entry.get("suffix"), entry.get("sex"), entry.get("family")
        if not (
            isinstance(suffix, str)
            and suffix
            and sex in ("m", "f", "")
            and isinstance(family, str)
            and family
        ):
            raise TableError(
                f"structure.toml: surname_endings entry {position} needs suffix, sex (m, f or empty) and family"
            )
        endings.append(SurnameEnding(suffix, sex, family))
    # Longest suffix first so that -ova wins over -a-less -ov and -skaia over -ski.
    endings.sort(key=lambda ending: -len(ending.suffix))
    male_suffixes = _strings("structure.toml", "patronymic_suffixes.male", suffixes.get("male"))
    female_suffixes = _strings("structure.toml", "patronymic_suffixes.female", suffixes.get("female"))
    return StructureTables(
        male_markers=frozenset(_strings("structure.toml", "patronymic_markers.male", markers.get("male"))),
        female_markers=frozenset(
            _strings("structure.toml", "patronymic_markers.female", markers.get("female"))
        ),
        male_suffixes=tuple(sorted(male_suffixes, key=len, reverse=True)),
        female_suffixes=tuple(sorted(female_suffixes, key=len, reverse=True)),
        surname_endings=tuple(endings),
        given_name_endings=_strings(
            "structure.toml", "given_name_endings", data.get("given_name_endings", [])
        ),
    )


@dataclass(frozen=True)
class TranscriptionTable:
    """How Chinese characters write the names of another language (transcription.toml)."""

    added_vowels: frozenset[str]
    max_readings: int
    markers: tuple[str, ...]  # regular expressions on hyphenated pinyin: a Latin word is such pinyin
    orthography: tuple[tuple[str, str], ...]
    variants: tuple[tuple[str, str], ...]
    rules: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WadeGilesTable:
    """How Wade-Giles spells the syllables of pinyin (transcription.toml, [wade_giles])."""

    to_wade_giles: tuple[tuple[str, str], ...]
    variants: tuple[tuple[str, str], ...]


@cache
def wade_giles_table() -> WadeGilesTable:
    entry = _load("transcription.toml").get("wade_giles")
    if not isinstance(entry, dict):
        raise TableError("transcription.toml: needs a [wade_giles] table")
    return WadeGilesTable(
        _pairs("transcription.toml", "wade_giles.to_wade_giles", entry.get("to_wade_giles")),
        _pairs("transcription.toml", "wade_giles.variants", entry.get("variants", [])),
    )


@cache
def uyghur_transcription() -> TranscriptionTable:
    entry = _load("transcription.toml").get("uyghur")
    if not isinstance(entry, dict):
        raise TableError("transcription.toml: needs a [uyghur] table")
    vowels, limit = entry.get("added_vowels"), entry.get("max_readings")
    if not (isinstance(vowels, str) and vowels and isinstance(limit, int) and limit > 0):
        raise TableError("transcription.toml: uyghur needs added_vowels (letters) and max_readings (> 0)")
    where = "uyghur"
    return TranscriptionTable(
        frozenset(vowels),
        limit,
        _strings("transcription.toml", f"{where}.markers", entry.get("markers", [])),
        _pairs("transcription.toml", f"{where}.orthography", entry.get("orthography", [])),
        _pairs("transcription.toml", f"{where}.variants", entry.get("variants", [])),
        _pairs("transcription.toml", f"{where}.rules", entry.get("rules", [])),
    )
