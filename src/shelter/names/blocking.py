"""Blocking: which registry words a query word is looked up among.

A word's keys are consonant skeletons of its spellings (vowels dropped, consonant pairs that scoring
treats as cheap folded: Karimov / Karimzoda, Qosimov / Kasimov); a long word is also found by a
skeleton with one consonant left out, since only a long word can differ by an expensive consonant
and still score high.
"""

from __future__ import annotations

import re
from functools import lru_cache

from shelter.names.structure import NamePart

__all__ = ["BlockingTables", "long_skeletons", "part_keys", "skeleton"]

# Vowels are dropped from blocking keys, and so is v, which scoring lets stand for u (Belarusian
# ў written u: Paulauna / Pavlovna).
_VOWELS = str.maketrans("", "", "aeiouv")
# Blocking keys fold every consonant pair that scoring treats as cheap (similarity._CONFUSABLES),
# so that no pair the scorer would accept is kept apart by blocking.
_CONFUSABLE_CLASSES = str.maketrans("gkzJ", "hhsS")
# One expensive consonant costs 3/len of a part's similarity (similarity.CONSONANT_PENALTY): two
# words one such consonant apart reach 0.6, the least a word pair needs for a match at the default
# threshold, only when the longer has eight letters or more, and then the shorter has seven or more.
ONE_CONSONANT_MIN_LENGTH = 7


@lru_cache(maxsize=1 << 20)
def skeleton(key: str) -> str:
    consonants = key.replace("ts", "s").translate(_VOWELS).translate(_CONFUSABLE_CLASSES)
    collapsed = "".join(
        char for position, char in enumerate(consonants) if position == 0 or consonants[position - 1] != char
    )
    # A name of vowels only (Ai, Oyu) keeps its first letter so it still has a key.
    return collapsed or key[:1]


# An h after o, e, i or u and before a consonant, which scoring lets a Latin spelling add to an
# Arabic-script word (similarity._LATIN_H_AFTER_VOWEL_COST: Mohmand / مومند).
_H_AFTER_VOWEL = re.compile("(?<=[oeiu])h(?=[^aeiou])")


def _blocking_keys(part: NamePart) -> tuple[str, ...]:
    # A Uyghur name in Chinese characters or pinyin is also looked up by its Uyghur readings
    # (阿布都热依木 by abdurehim), which is what scoring compares with other scripts.
    keys = part.form.keys + part.stems + part.form.transcribed
    without_h = tuple(
        bare for key in part.form.keys if "h" in key and (bare := _H_AFTER_VOWEL.sub("", key)) != key
    )
    # The th of ث in English spellings is the s of Persian, Turkic and Kurdish ones (Othman / Usman),
    # which scoring takes as a cheap t / s: a word written with th is also looked up with s.
    with_s = tuple(key.replace("t", "s") for key in part.form.keys if "t" in key) if "th" in part.form.text else ()
    return keys + without_h + with_s


@lru_cache(maxsize=1 << 20)
def part_keys(part: NamePart) -> frozenset[str]:
    return frozenset(skeleton(key) for key in _blocking_keys(part))


def long_skeletons(part: NamePart) -> frozenset[str]:
    """Skeletons of the part's long keys."""
    return frozenset(skeleton(key) for key in _blocking_keys(part) if len(key) >= ONE_CONSONANT_MIN_LENGTH)


def long_part_keys(part: NamePart) -> frozenset[str]:
    """Skeletons of the part's long keys with one consonant left out (Shcherbakov / Scherbakov)."""
    return frozenset(
        whole[:position] + whole[position + 1 :]
        for key in _blocking_keys(part)
        if len(key) >= ONE_CONSONANT_MIN_LENGTH
        for whole in (skeleton(key),)
        for position in range(len(whole))
    )


class BlockingTables:
    """Registry word ids by blocking key; initials are never looked up and never added."""

    def __init__(self) -> None:
        self.by_skeleton: dict[str, list[int]] = {}
        self._by_long_skeleton: dict[str, list[int]] = {}  # long words, by skeletons with a consonant left out
        self._by_long_exact: dict[str, list[int]] = {}  # long words, by their skeletons

    def add(self, part_id: int, part: NamePart) -> None:
        for key in part_keys(part):
            self.by_skeleton.setdefault(key, []).append(part_id)
        for key in long_part_keys(part):
            self._by_long_skeleton.setdefault(key, []).append(part_id)
        for key in long_skeletons(part):
            self._by_long_exact.setdefault(key, []).append(part_id)

    def tables(self) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]:
        """The tables, for the index file: by skeleton, long words by skeletons with a consonant left out,
        long words by their skeletons."""
        return self.by_skeleton, self._by_long_skeleton, self._by_long_exact

    @classmethod
    def of_tables(
        cls, by_skeleton: dict[str, list[int]], by_long_skeleton: dict[str, list[int]], by_long_exact: dict[str, list[int]]
    ) -> BlockingTables:
        """Tables read back from the index file (see ``tables``)."""
        tables = cls()
        tables.by_skeleton, tables._by_long_skeleton, tables._by_long_exact = by_skeleton, by_long_skeleton, by_long_exact
        return tables

    def with_skeleton(self, key: str) -> list[int]:
        """Registry words with this skeleton (empty when none)."""
        return self.by_skeleton.get(key, [])

    def blocked(self, query_part: NamePart) -> set[int]:
        """Registry words sharing a blocking key with the query word."""
        candidates: set[int] = set()
        # A pair of words one expensive consonant apart can only score high enough when both are long
        # (see ONE_CONSONANT_MIN_LENGTH), so those lookups stay among long words: a long query word
        # with a consonant left out would otherwise meet every short word of that skeleton.
        lookups = [(self.by_skeleton, part_keys(query_part))]
        if long_keys := long_skeletons(query_part):
            one_out = long_part_keys(query_part)
            lookups += [(self._by_long_skeleton, long_keys | one_out), (self._by_long_exact, one_out)]
        for table, keys in lookups:
            for key in keys:
                candidates.update(table.get(key, ()))
        return candidates
