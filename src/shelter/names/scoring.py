"""Scoring two person records: align name parts, combine with date of birth, nationality and sex."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise
from types import MappingProxyType

from shelter.names.dates import DateAgreement, PartialDate, compare_dates, parse_partial_date
from shelter.names.similarity import PartComparison, compare_parts
from shelter.names.structure import NamePart, ParsedName, joined_part, parse_name, part_kinds

__all__ = [
    "DEFAULT_THRESHOLD",
    "Evidence",
    "MatchResult",
    "NameComparison",
    "SCORING",
    "PersonRecord",
    "ScoringRules",
    "best_possible_score",
    "combine_evidence",
    "compare",
    "compare_names",
    "compare_parsed",
    "explain_evidence",
    "explain_names",
    "explanation",
    "quick_score",
]

DEFAULT_THRESHOLD = 0.75
"""Scores at or above this are reported as the same person (tuned on the development split, see docs/names.md)."""

@dataclass(frozen=True)
class ScoringRules:
    """Every constant the scores depend on, in one frozen object: :func:`compare` and the screening index read
    the same values, so the index's fast bounds always agree with the reference scorer."""

    min_aligned: float = 0.5  # below this two parts are not considered the same part at all
    joined_min: float = 0.75  # two words are read as one only when together they are the other name's word
    conflict_penalty: float = 0.5  # each side has a name part the other lacks: Rustam Karimov / Rustam Nazarov
    extra_part_penalty: float = 0.88  # one side has an extra given name or second surname
    single_part_penalty: float = 0.7  # only one part agrees: too little to call it the same person
    sex_conflict_penalty: float = 0.4
    nationality_conflict_penalty: float = 0.9
    nationality_agreement_share: float = 0.05  # share of the remaining distance to 1 closed by a shared nationality
    # date of birth agreement -> (share of the remaining distance to 1 that is closed, factor)
    date_effect: Mapping[DateAgreement, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({
        DateAgreement.SAME_DAY: (0.35, 1.0),
        DateAgreement.SAME_MONTH: (0.25, 1.0),
        DateAgreement.SAME_YEAR: (0.15, 1.0),
        DateAgreement.DAY_MONTH_SWAPPED: (0.0, 0.97),
        DateAgreement.UNKNOWN: (0.0, 1.0),
        DateAgreement.YEAR_NEAR: (0.0, 0.8),
        DateAgreement.SAME_YEAR_OTHER_DAY: (0.0, 0.75),
        DateAgreement.YEAR_DIFFERS: (0.0, 0.55),
    }))


SCORING = ScoringRules()


@dataclass(frozen=True)
class PersonRecord:
    """A person as far as matching is concerned. Any script, any word order."""

    names: tuple[str, ...]
    dob: str | None = None  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, upper case
    sex: str | None = None  # "m" | "f" | None


@dataclass(frozen=True)
class MatchResult:
    score: float  # [0, 1]
    is_match: bool  # score >= threshold used
    explanation: str  # caseworker-readable


@dataclass(frozen=True)
class AlignedPair:
    left: NamePart
    right: NamePart
    comparison: PartComparison


@dataclass(frozen=True)
class NameComparison:
    score: float
    pairs: tuple[AlignedPair, ...]
    unmatched_left: tuple[NamePart, ...]
    unmatched_right: tuple[NamePart, ...]
    left: ParsedName
    right: ParsedName


def _align(left: ParsedName, right: ParsedName) -> tuple[list[AlignedPair], list[NamePart], list[NamePart]]:
    candidates: list[tuple[float, int, int, PartComparison]] = []
    for i, left_part in enumerate(left.parts):
        for j, right_part in enumerate(right.parts):
            comparison = compare_parts(left_part, right_part)
            if comparison is not None and comparison.score >= SCORING.min_aligned:
                candidates.append((comparison.score, i, j, comparison))
    # Greedy best-first: names have few parts, and the best pair is almost always right.
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, i, j, _comparison in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        chosen.append((i, j))
    comparisons = {(i, j): comparison for _, i, j, comparison in candidates}
    if len(candidates) > len(chosen) > 1:
        chosen = _exchanged(chosen, comparisons)
    pairs = [AlignedPair(left.parts[i], right.parts[j], comparisons[i, j]) for i, j in chosen]
    unmatched_left = [part for i, part in enumerate(left.parts) if i not in used_left]
    unmatched_right = [part for j, part in enumerate(right.parts) if j not in used_right]
    return pairs, unmatched_left, unmatched_right


def _exchanged(chosen: list[tuple[int, int]], scores: dict[tuple[int, int], PartComparison]) -> list[tuple[int, int]]:
    """The greedy pairs, with two pairs' partners exchanged wherever that scores more in total: a tie taken
    first can take the partner another word needed (HUSSEINI HOSEIN / حسین حسینی: Husseini is as like
    حسین as Hosein is, but only Husseini is like حسینی)."""
    chosen = list(chosen)
    exchanged = True
    while exchanged:
        exchanged = False
        for first, second in combinations(range(len(chosen)), 2):
            (i1, j1), (i2, j2) = chosen[first], chosen[second]
            crossed = scores.get((i1, j2)), scores.get((i2, j1))
            if crossed[0] is None or crossed[1] is None:
                continue
            if crossed[0].score + crossed[1].score > scores[i1, j1].score + scores[i2, j2].score + 1e-9:
                chosen[first], chosen[second] = (i1, j2), (i2, j1)
                exchanged = True
    return chosen


def _join_split_words(
    name: ParsedName, split: list[NamePart], whole: list[NamePart]
) -> tuple[NamePart, NamePart, NamePart, NamePart, PartComparison] | None:
    """Two adjacent unmatched words of one name that are one unmatched word of the other
    (Abdul Aziz / Abdulaziz, Ali Reza / Alireza, Kassym-Jomart / Kassymjomart): the best such
    (first, second, joined, other, comparison), or None."""
    best: tuple[NamePart, NamePart, NamePart, NamePart, PartComparison] | None = None
    for first, second in pairwise(split):
        if first.role != "name" or second.role != "name":
            continue
        if name.parts.index(second) != name.parts.index(first) + 1:
            continue
        joined = joined_part(first, second)
        for other in whole:
            comparison = compare_parts(joined, other) if other.role == "name" else None
            if comparison is None or comparison.score < SCORING.joined_min:
                continue
            if best is None or comparison.score > best[4].score:
                best = (first, second, joined, other, comparison)
    return best


def _compare_in_order(left: ParsedName, right: ParsedName) -> NameComparison:
    pairs, unmatched_left, unmatched_right = _align(left, right)
    # Cheap test first: a split word needs two unmatched words on one side and one on the other.
    if unmatched_left and unmatched_right and len(unmatched_left) + len(unmatched_right) >= 3:
        for name, split, whole in (
            (left, unmatched_left, unmatched_right),
            (right, unmatched_right, unmatched_left),
        ):
            found = _join_split_words(name, split, whole)
            if found is not None:
                first, second, joined, other, comparison = found
                split.remove(first)
                split.remove(second)
                whole.remove(other)
                pair = (joined, other) if name is left else (other, joined)
                pairs.append(AlignedPair(pair[0], pair[1], comparison))
    if not pairs:
        return NameComparison(0.0, (), tuple(unmatched_left), tuple(unmatched_right), left, right)
    score = math.prod(pair.comparison.score for pair in pairs)
    # Patronymics are optional: present on one side only says nothing. So are the fathers' names of an
    # Arabic nasab chain (Usama bin Muhammad bin Awad bin Ladin / Osama bin Laden), unless both sides
    # have one the other lacks (Mohammed bin Salman / Mohammed bin Nayef: two fathers).
    extra_left = sum(1 for part in unmatched_left if part.role == "name")
    extra_right = sum(1 for part in unmatched_right if part.role == "name")
    conflicts = min(extra_left, extra_right)
    # Two different fathers: Ivan Ivanovich Ivanov is not Ivan Petrovich Ivanov.
    if any(part.role == "patronymic" for part in unmatched_left) and any(
        part.role == "patronymic" for part in unmatched_right
    ):
        conflicts += 1
    name, longer = (left, unmatched_left) if extra_left > extra_right else (right, unmatched_right)
    fathers = sum(1 for part in longer if part.role == "name" and part.kind == "nasab")
    if name.parts[0] in longer:
        # Only beside the given name. Without it, the other name is this one's father's, when it agrees
        # with a father's name here (Saad Alqahtani / Abdulrahman Saad Mohammed Alqahtani).
        fathers = 0
        if any((pair.left if name is left else pair.right).kind == "nasab" for pair in pairs):
            conflicts += 1
    extra = max(0, abs(extra_left - extra_right) - fathers)
    score *= SCORING.conflict_penalty**conflicts * SCORING.extra_part_penalty**extra
    if sum(1 for pair in pairs if pair.left.role != "patronymic") < 2:
        score *= SCORING.single_part_penalty
    return NameComparison(score, tuple(pairs), tuple(unmatched_left), tuple(unmatched_right), left, right)


def compare_parsed(left: ParsedName, right: ParsedName) -> NameComparison:
    """Compare two parsed names; symmetric (computed in a fixed order, then mirrored)."""
    if left.text <= right.text:
        return _compare_in_order(left, right)
    result = _compare_in_order(right, left)
    mirrored = tuple(AlignedPair(pair.right, pair.left, pair.comparison) for pair in result.pairs)
    return NameComparison(result.score, mirrored, result.unmatched_right, result.unmatched_left, left, right)


def compare_names(left_name: str, right_name: str) -> NameComparison:
    """Compare two full names in any script and word order."""
    return compare_parsed(parse_name(left_name), parse_name(right_name))


@lru_cache(maxsize=1 << 16)
def _display(part: NamePart) -> str:
    text, language = part.form.text, part.form.language
    shown = text.upper() if "Latin" in language else text[:1].upper() + text[1:]
    return shown if language == "Latin" else f"{shown} ({language})"


def _kinds_by_part(name: ParsedName) -> dict[int, str]:
    # Parts are shared objects: identify them by identity within this one name.
    return {id(part): kind for part, kind in zip(name.parts, part_kinds(name))}


def _pair_label(left_kind: str, right_kind: str) -> str:
    """What an aligned pair is, from what each side's name tells; "name" when neither tells or they disagree."""
    if "initial" in (left_kind, right_kind):
        return "initial"
    known = {kind for kind in (left_kind, right_kind) if kind}
    return known.pop() if len(known) == 1 else "name"


def _explain_names(names: NameComparison) -> list[str]:
    left_kinds, right_kinds = _kinds_by_part(names.left), _kinds_by_part(names.right)
    phrases: list[str] = []
    for pair in names.pairs:
        note = (
            f" ({pair.comparison.note})" if pair.comparison.note and pair.comparison.note != "initial" else ""
        )
        label = _pair_label(left_kinds.get(id(pair.left), ""), right_kinds.get(id(pair.right), ""))
        phrases.append(
            f"{label} {_display(pair.left)} {pair.comparison.relation} {_display(pair.right)}{note}"
        )
    for side, parts, kinds in (
        ("left", names.unmatched_left, left_kinds),
        ("right", names.unmatched_right, right_kinds),
    ):
        for part in parts:
            kind = kinds.get(id(part), "") or "name part"
            phrases.append(f"{kind} {_display(part)} only on the {side}")
    if not names.pairs:
        phrases.append("no name part agrees")
    return phrases


@lru_cache(maxsize=1 << 16)
def _birth_date(text: str) -> PartialDate:
    # Registries repeat the same dates of birth many times over; PartialDate is immutable.
    return parse_partial_date(text)


@dataclass(frozen=True)
class Evidence:
    """What besides the name speaks for or against a match, read once per record."""

    dob: PartialDate | None
    sex: str  # "m", "f" or "" as recorded (the name may imply one too)
    nationalities: frozenset[str]

    @classmethod
    def of(cls, record: PersonRecord) -> Evidence:
        return cls(
            dob=_birth_date(record.dob) if record.dob else None,
            sex=(record.sex or "").lower()[:1],
            nationalities=frozenset(record.nationalities),
        )


@dataclass(frozen=True)
class _Adjusted:
    score: float
    agreement: DateAgreement
    sex_conflict: bool
    nationality: str  # "", "agrees" or "differs"


def _adjust(names: NameComparison, a: Evidence, b: Evidence) -> _Adjusted:
    closes, factor = SCORING.date_effect[(agreement := compare_dates(a.dob, b.dob))]
    score = (names.score + (1.0 - names.score) * closes) * factor
    sex_a, sex_b = a.sex or names.left.implied_sex, b.sex or names.right.implied_sex
    sex_conflict = bool(sex_a and sex_b and sex_a != sex_b)
    if sex_conflict:
        score *= SCORING.sex_conflict_penalty
    nationality = ""
    if a.nationalities and b.nationalities:
        nationality = "agrees" if a.nationalities & b.nationalities else "differs"
        score = (
            score + (1.0 - score) * SCORING.nationality_agreement_share if nationality == "agrees" else score * SCORING.nationality_conflict_penalty
        )
    return _Adjusted(min(1.0, max(0.0, score)), agreement, sex_conflict, nationality)


def compare(a: PersonRecord, b: PersonRecord, threshold: float = DEFAULT_THRESHOLD) -> MatchResult:
    """Score whether two records describe the same person; symmetric in a and b."""
    if not a.names or not b.names:
        return MatchResult(0.0, False, "a record has no name")
    best = max(
        (compare_names(left, right) for left in a.names for right in b.names),
        key=lambda result: (result.score, *sorted((result.left.text, result.right.text))),
    )
    return combine_evidence(best, Evidence.of(a), Evidence.of(b), threshold)


def best_possible_score(agreement: DateAgreement) -> float:
    """The highest score any two records can reach when their dates of birth relate like this."""
    factor = SCORING.date_effect[agreement][1]
    return factor + (1.0 - factor) * 0.05  # a perfect name, and the nationality bonus


def quick_score(names: NameComparison, a: Evidence, b: Evidence) -> float:
    """The score ``combine_evidence`` would give, without writing the explanation (for screening)."""
    return _adjust(names, a, b).score


def explain_names(names: NameComparison) -> str:
    """What a caseworker reads about the names: each aligned pair, each part on one side only."""
    return "; ".join(_explain_names(names))


@lru_cache(maxsize=256)
def explain_evidence(agreement: DateAgreement, sex_conflict: bool, nationality: str) -> str:
    """What a caseworker reads about the rest: dates of birth, sex, nationality ("" when none of it is known).
    ``nationality`` is "", "agrees" or "differs"."""
    phrases = [] if agreement is DateAgreement.UNKNOWN else [agreement.value]
    if sex_conflict:
        phrases.append("sex differs (a man and a woman)")
    if nationality:
        phrases.append("nationality agrees" if nationality == "agrees" else "nationalities differ")
    return "; ".join(phrases)


def explanation(names: str, evidence: str) -> str:
    """The whole explanation, from ``explain_names`` and ``explain_evidence``."""
    return f"{names}; {evidence}" if evidence else names


def combine_evidence(names: NameComparison, a: Evidence, b: Evidence, threshold: float) -> MatchResult:
    """Adjust a name score with date of birth, sex and nationality, and explain the result."""
    adjusted = _adjust(names, a, b)
    evidence = explain_evidence(adjusted.agreement, adjusted.sex_conflict, adjusted.nationality)
    return MatchResult(
        round(adjusted.score, 4), adjusted.score >= threshold, explanation(explain_names(names), evidence)
    )
