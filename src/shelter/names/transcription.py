"""Uyghur names written in Chinese characters or their pinyin, read back into Uyghur Latin spellings.

阿布都热依木 (pinyin Abudureyimu) is Abdurehim; 买买提 (Maimaiti) is Memet. The conventions are
data (``data/transcription.toml``); this module splits a word into pinyin syllables and applies them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pypinyin import lazy_pinyin
from pypinyin.constants import PINYIN_DICT

from shelter.names.tables import uyghur_transcription, wade_giles_table

__all__ = ["is_chinese_syllable", "pinyin_syllables", "uyghur_readings", "wade_giles_readings"]

_LONGEST_SYLLABLE = 6  # zhuang, chuang, shuang
_CONSONANT_START = re.compile("^(?:[csz]h|[b-df-hj-np-tv-z])")
_MIN_SYLLABLES = 2


def _toneless(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


@cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable with a vowel, from pypinyin's character dictionary."""
    readings = (_toneless(reading) for value in PINYIN_DICT.values() for reading in value.split(","))
    return frozenset(reading for reading in readings if reading.isalpha() and set(reading) & set("aeiouv"))


@lru_cache(maxsize=1 << 16)
def _split(word: str) -> tuple[str, ...] | None:
    """The fewest pinyin syllables that spell a Latin word, or None when it is not pinyin."""
    known = _syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            before = best[start]
            if before is not None and word[start:end] in known:
                candidate = (*before, word[start:end])
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1]


# Chinese given names have one or two characters; a longer word in characters is a transcription.
_MIN_TRANSCRIBED_CHARACTERS = 3


def pinyin_syllables(word: str, foreign: bool = False) -> tuple[str, ...] | None:
    """The pinyin syllables of a word that looks like the Chinese transcription of a foreign name:
    in Chinese characters, from a name written with the interpunct of foreign names (阿布都热依木·奥斯曼)
    or of three characters or more; in Latin letters, two pinyin syllables or more with a mark of
    such transcriptions (Abudureyimu). None for any other word (王 Wang, 奕泽 Yize, Osman)."""
    if word.isascii():
        syllables = _split(word) if word.isalpha() else None
        if syllables is None or len(syllables) < _MIN_SYLLABLES:
            return None
        hyphenated = _hyphenated(syllables)
        if not any(re.search(marker, hyphenated) for marker in uyghur_transcription().markers):
            return None
        return syllables
    if not all("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in word):
        return None
    if not foreign and len(word) < _MIN_TRANSCRIBED_CHARACTERS:
        return None
    syllables = tuple(_toneless(syllable) for syllable in lazy_pinyin(word))
    return syllables if len(syllables) >= _MIN_SYLLABLES else None


def _hyphenated(syllables: tuple[str, ...] | list[str]) -> str:
    return "-" + "-".join(syllables) + "-"


def _substitute(rules: tuple[tuple[str, str], ...], text: str) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text)
    return text


def _consonant_and_vowel(syllable: str, vowels: frozenset[str]) -> bool:
    """A syllable that is a consonant and one of the added vowels (bu, ti, he, shi)."""
    initial = _CONSONANT_START.match(syllable)
    return initial is not None and len(syllable) == initial.end() + 1 and syllable[-1] in vowels


def _drop_added_vowels(hyphenated: str, vowels: frozenset[str]) -> list[str]:
    """A consonant's added vowel between a vowel and a consonant is left out (a-bu-du -> ab-du).
    The last syllable's is left out in the first reading (the syllable before it then keeps its
    vowel: yu-su-fu -> yusuf) and kept in the second."""
    syllables = hyphenated.strip("-").split("-")
    final_added = len(syllables) >= _MIN_SYLLABLES and _consonant_and_vowel(syllables[-1], vowels)
    readings = []
    for drop_final in (True, False) if final_added else (False,):
        kept: list[str] = []
        for position, syllable in enumerate(syllables):
            following = syllables[position + 1] if position + 1 < len(syllables) else ""
            after_vowel = bool(kept) and kept[-1][-1:] in tuple("aeiou")
            closing = drop_final and position == len(syllables) - 2
            if after_vowel and not closing and _CONSONANT_START.match(following) and _consonant_and_vowel(
                syllable, vowels
            ):
                syllable = syllable[:-1]
            kept.append(syllable)
        if drop_final:
            kept[-1] = kept[-1][:-1]
        readings.append(_hyphenated(kept))
    return readings


@lru_cache(maxsize=1 << 16)
def uyghur_readings(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """Uyghur Latin readings of a name's pinyin syllables, the likeliest first."""
    table = uyghur_transcription()
    readings = [_substitute(table.orthography, _hyphenated(syllables))]
    for pattern, replacement in table.variants:
        for reading in list(readings):
            other = re.sub(pattern, replacement, reading)
            if other not in readings and len(readings) < table.max_readings:
                readings.append(other)
    result: list[str] = []
    for reading in readings:
        for dropped in _drop_added_vowels(reading, table.added_vowels):
            latin = _substitute(table.rules, dropped).replace("-", "").lower()
            if latin and latin not in result:
                result.append(latin)
    return tuple(result)


def _to_wade_giles(syllable: str) -> list[str]:
    table = wade_giles_table()
    spelled = _substitute(table.to_wade_giles, syllable).lower()
    forms = [spelled]
    for pattern, replacement in table.variants:
        other = re.sub(pattern, replacement, spelled)
        if other not in forms:
            forms.append(other)
    return forms


@cache
def _wade_giles_syllables() -> dict[str, tuple[str, ...]]:
    """Every Wade-Giles syllable (as names write it: no apostrophe, no ü) and the pinyin it spells."""
    spells: dict[str, list[str]] = {}
    for syllable in sorted(_syllables()):
        for form in _to_wade_giles(syllable):
            spells.setdefault(form, []).append(syllable)
    return {form: tuple(syllables) for form, syllables in spells.items()}


def is_chinese_syllable(word: str) -> bool:
    """Whether a Latin word is one syllable of pinyin or of Wade-Giles (Ruo, Xi, Tse, Hsiao)."""
    return word in _syllables() or word in _wade_giles_syllables()


@lru_cache(maxsize=1 << 16)
def _split_wade_giles(word: str) -> tuple[str, ...] | None:
    """The fewest Wade-Giles syllables that spell a Latin word, or None."""
    known = _wade_giles_syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            before = best[start]
            if before is not None and word[start:end] in known:
                candidate = (*before, word[start:end])
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1]


_MAX_WADE_GILES_READINGS = 8


@lru_cache(maxsize=1 << 16)
def wade_giles_readings(word: str) -> tuple[str, ...]:
    """The pinyin a Latin word spells when read as Wade-Giles (tsetung: zedong, cedong ...; chang:
    zhang, chang), at most _MAX_WADE_GILES_READINGS; empty when it is not Wade-Giles."""
    word = word.replace("'", "")  # the aspirates' apostrophe (Ch'en), which most writers leave out
    if not (word.isascii() and word.isalpha()):
        return ()
    syllables = _split_wade_giles(word)
    if syllables is None:
        return ()
    known = _wade_giles_syllables()
    readings = [""]
    for syllable in syllables:
        readings = [
            reading + pinyin for reading in readings for pinyin in known[syllable]
        ][:_MAX_WADE_GILES_READINGS]
    return tuple(readings)
