"""Similarity of two name parts on their comparison keys.

Differences that transliteration produces are cheap (vowels: Kasimov / Qosimov, Usmanov /
Usmonov; g and h: Heydar / Гейдар), any other letter is expensive, because one consonant is what
separates Karimov from Kasimov.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from shelter.names.structure import NamePart

__all__ = ["PartComparison", "compare_parts", "key_similarity"]

VOWEL_COST = 0.15
CONFUSABLE_COST = 0.25
CONSONANT_PENALTY = 3.0
OTHER_FORM_SCORE = 0.88  # same stem, other surname form: Karimov / Karimzoda, Rahmonov / Rahmon
INITIAL_SCORE = 0.9
_MIN_BARE_STEM = 5

_VOWELS = "aeiou"
_DROP_VOWELS = str.maketrans("", "", _VOWELS)
# Consonants that transliteration swaps: Azerbaijani h / Russian г (Heydar / Гейдар), Azerbaijani q /
# Russian г (Quliyev / Гулиев), German s for з (Morosow), German sch for ж (Schukow / Zhukov).
_FOLDINGS = (str.maketrans("h", "g"), str.maketrans("k", "g"), str.maketrans("z", "s"))


def _consonants(key: str) -> str:
    # A final vowel is kept as a mark: it is what tells Ivana from Ivan, Aziza from Aziz.
    return key.translate(_DROP_VOWELS).replace("sh", "j") + ("V" if key[-1:] in _VOWELS else "")


@lru_cache(maxsize=1 << 20)
def key_similarity(left: str, right: str) -> float:
    """1.0 for equal keys, falling quickly with each consonant that differs, slowly with vowels."""
    if left == right:
        return 1.0
    left_consonants, right_consonants = _consonants(left), _consonants(right)
    consonant_edits = Levenshtein.distance(left_consonants, right_consonants)
    confusable_edits = 0
    if consonant_edits:
        folded = min(
            Levenshtein.distance(left_consonants.translate(folding), right_consonants.translate(folding))
            for folding in _FOLDINGS
        )
        confusable_edits = consonant_edits - folded
        consonant_edits = folded
    vowel_edits = max(0, Levenshtein.distance(left, right) - consonant_edits - confusable_edits)
    cost = consonant_edits + confusable_edits * CONFUSABLE_COST + vowel_edits * VOWEL_COST
    return max(0.0, 1.0 - CONSONANT_PENALTY * cost / max(len(left), len(right)))


def _best(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    return max(key_similarity(a, b) for a in left for b in right)


@dataclass(frozen=True)
class PartComparison:
    score: float
    relation: str  # "=", "≈", "≠"
    note: str  # "", "other surname form", "initial", "different gender form"


def _relation(score: float) -> str:
    return "=" if score >= 0.999 else "≈" if score >= 0.75 else "≠"


def compare_parts(left: NamePart, right: NamePart) -> PartComparison | None:
    """Compare two parts; None when their roles cannot be aligned (a patronymic with a given name)."""
    if left.role == "initial" or right.role == "initial":
        if left.role == right.role:
            score = 1.0 if left.form.text == right.form.text else 0.0
            return PartComparison(score, _relation(score), "initial")
        full = right if left.role == "initial" else left
        initial = left if left.role == "initial" else right
        first_letters = {key[0] for key in full.form.keys} | {full.form.latin[:1]}
        score = INITIAL_SCORE if initial.form.keys[0][:1] in first_letters else 0.0
        return PartComparison(score, "≈" if score else "≠", "initial")
    if (left.role == "patronymic") != (right.role == "patronymic"):
        return None
    if left.role == "patronymic":
        score = _best(left.stems, right.stems)
        return PartComparison(score, _relation(score), "")
    score = _best(left.form.keys, right.form.keys)
    if score >= 0.999:
        return PartComparison(1.0, "=", "")
    if left.ending is not None or right.ending is not None:
        stem_score = _best(left.stems, right.stems)
        same_family = (
            left.ending is not None and right.ending is not None and left.ending.family == right.ending.family
        )
        if same_family and left.sex and right.sex and left.sex != right.sex and stem_score >= 0.999:
            return PartComparison(max(score, 0.95), "≈", "different gender form")
        bare = (
            right
            if left.ending is not None and right.ending is None
            else left
            if right.ending is not None and left.ending is None
            else None
        )
        long_enough = bare is None or len(bare.stems[0]) >= _MIN_BARE_STEM
        if not same_family and long_enough and stem_score * OTHER_FORM_SCORE > score:
            return PartComparison(stem_score * OTHER_FORM_SCORE, "≈", "other surname form")
    return PartComparison(score, _relation(score), "")
