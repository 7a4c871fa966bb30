"""Penalty lengths stated in a charge text ("rigorous imprisonment … may extend to twenty years"), for RN-08.

Words come from ``catalogue/penalty_terms.yaml``. A length is read only from a count that also names a
penalty (imprisonment, лишение свободы, prisión, emprisonnement), so that ages and dates are not taken
for penalties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shelter.indicators.charges import split_counts
from shelter.indicators.files import CATALOGUE_DIR, CatalogueError, read_yaml
from shelter.indicators.lexicon import WordMatcher, fold, tokenise

PENALTY_TERMS_FILE = CATALOGUE_DIR / "penalty_terms.yaml"
_LOOK_BACK = 3  # words between a number and its unit: "diez (10) años", "twenty (20) years"


@dataclass(frozen=True)
class PenaltyWords:
    cues: WordMatcher
    months_per_unit: Mapping[str, int]
    numbers: Mapping[str, int]


@dataclass(frozen=True)
class StatedPenalty:
    months: int
    wording: str  # the words of the charge that state it


def _words(raw: Mapping[str, Any], key: str) -> list[str]:
    words = raw.get(key)
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise CatalogueError(f"{PENALTY_TERMS_FILE.name}: '{key}' must be a list of words")
    return words


@lru_cache(maxsize=2)
def load_penalty_words(path: Path = PENALTY_TERMS_FILE) -> PenaltyWords:
    """The penalty words, validated. Raises CatalogueError naming the entry at fault."""
    raw = read_yaml(path)
    units = raw.get("units") or {}
    if set(units) != {"years", "months"}:
        raise CatalogueError(f"{path.name}: 'units' must list 'years' and 'months'")
    months_per_unit = {fold(word): 12 for word in _words(units, "years")}
    months_per_unit.update({fold(word): 1 for word in _words(units, "months")})
    numbers: dict[str, int] = {}
    for language, table in (raw.get("numbers") or {}).items():
        for word, value in (table or {}).items():
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise CatalogueError(
                    f"{path.name}: numbers.{language}.{word}: {value!r} is not a whole number > 0"
                )
            numbers[fold(str(word))] = value
    return PenaltyWords(
        cues=WordMatcher.parse("|".join(_words(raw, "cues"))),
        months_per_unit=months_per_unit,
        numbers=numbers,
    )


def stated_penalties(text: str) -> list[StatedPenalty]:
    """Every penalty length a charge text states, in months."""
    words = load_penalty_words()
    found = []
    for count in split_counts(text):
        tokens = tokenise(count)
        if not any(words.cues.matches(token.folded) for token in tokens):
            continue
        for position, token in enumerate(tokens):
            unit = words.months_per_unit.get(token.folded)
            if unit is None:
                continue
            earliest = max(0, position - _LOOK_BACK)
            numbers: list[tuple[int, int]] = []
            for back in range(position - 1, earliest - 1, -1):
                value = _number(tokens[back].folded, words)
                if value:
                    numbers.append((back, value))
            if numbers:
                # The nearest number gives the length; the wording starts at the farthest ("diez (10) años").
                found.append(
                    StatedPenalty(numbers[0][1] * unit, count[tokens[numbers[-1][0]].start : token.end])
                )
    return found


def _number(word: str, words: PenaltyWords) -> int | None:
    return int(word) if word.isdigit() else words.numbers.get(word)
