"""Blocking index for screening many queries against a large registry.

A registry of a million people has a few thousand distinct name words and far fewer distinct
names than people, so screening works on three levels and does each costly step once per
distinct thing rather than once per record:

1. **Parts.** Each query part is looked up among the registry's distinct parts that could be the
   same word: those sharing a consonant skeleton (vowels dropped, consonant pairs that scoring
   treats as cheap folded: Karimov / Karimzoda, Qosimov / Kasimov), or, for long words, a
   skeleton with one consonant left out, since only a long word can differ by an expensive
   consonant and still score high (``shelter.names.blocking``).
2. **Names.** Candidate names carry two different such parts for two different query parts (a
   name agreeing in one part out of two or more scores at most 0.35), found through an index of
   every pair of parts of every name. Only the parts they carry are compared (``compare_parts``,
   kept per query part), one query part at a time, dropping names that can no longer agree in
   two. Each name gets an upper bound from its part scores; names whose bound can reach the
   threshold are scored with ``compare_parsed`` once per signature (parts that compare alike are
   interchangeable), at most ``max_candidates`` per query name. Results are kept per query name.
3. **Records.** Dates of birth, sex and nationality of every record carrying a candidate name are
   compared at once (numpy), with the same rules ``compare`` applies, so the scores are identical;
   explanations are written only for the hits kept.

The records, names and parts are kept as compact arrays, and the index as a file, by
``shelter.names.storage``. A loaded index parses a registry name or word only when a query meets it.
"""

from __future__ import annotations

import gc
import itertools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import SupportsIndex, TypeVar, overload

import numpy as np
import numpy.typing as npt

from shelter.names.blocking import BlockingTables, part_keys
from shelter.names.dates import (
    DateAgreement,
    PartialDate,
    PartialDateError,
    parse_partial_date,
)
from shelter.names.scoring import (
    DEFAULT_THRESHOLD,
    SCORING,
    Evidence,
    MatchResult,
    PersonRecord,
    compare,
    compare_parsed,
    explain_evidence,
    explain_names,
    explanation,
)
from shelter.names.similarity import compare_parts
from shelter.names.storage import (
    ABSENT,
    ROLE_CODES,
    FloatArray,
    IndexArrays,
    IndexFileError,
    IntArray,
    SavedIndex,
    spans,
    write_index,
)
from shelter.names.structure import NamePart, ParsedName, joined_part, parse_name
from shelter.names.transliterate import WordForm

__all__ = [
    "DATE_AGREEMENT_WORDS",
    "DEFAULT_MAX_CANDIDATES",
    "Hit",
    "IndexFileError",
    "ScreeningIndex",
    "date_agrees",
    "find_similar",
]

DEFAULT_MAX_CANDIDATES = 5000
_AGREES, _DIFFERS = 1, 2
_NATIONALITY_WORDS = ("", "agrees", "differs")  # scoring.explain_evidence's words for 0, _AGREES, _DIFFERS
_AGREEMENTS = tuple(DateAgreement)
_CLOSES = np.array([SCORING.date_effect[agreement][0] for agreement in _AGREEMENTS])
_FACTORS = np.array([SCORING.date_effect[agreement][1] for agreement in _AGREEMENTS])
_CODE = {agreement: code for code, agreement in enumerate(_AGREEMENTS)}
# Hits whose date of birth agrees with the query's come first: a spelling variant born on the notice's
# day (Laila El Sherif, 1998 / ALSHARIF LAILA, 1998) is a stronger lead than a namesake whose registry
# entry has no date and so scores 1.0 on the name alone, and a common name has hundreds of those.
_DATE_SUPPORTS = np.array([SCORING.date_effect[agreement][0] > 0.0 for agreement in _AGREEMENTS])
_QUERY_NAME_CACHE_SIZE = 20_000
_QUERY_PART_CACHE_SIZE = 50_000
# One word of a name against two of the other (حسن‌زاده / Hasan Zadeh, Alinejad / Ali Nejad) is looked
# up by its skeleton cut in two, when the word is as long as two words usually are together.
# (An abjad word leaves its short vowels unwritten: حسنزاده is hsnzadh.)
_MIN_JOINED_LENGTH = 8
_MIN_JOINED_ABJAD_LENGTH = 6
# Looking up one pair of words costs about an eighth of gathering one name and checking its words
# (measured on both benchmark registries), so pairs are looked up until they are 8 times as many.
_GATHER_COST = 8

@dataclass(frozen=True)
class Hit:
    key: str
    result: MatchResult
    # How the dates of birth relate (0 = same day ... see DateAgreement): hits whose date agrees come
    # first, then by score; among equal scores, the stronger agreement first.
    rank: int = 0

    @property
    def date_agrees(self) -> bool:
        return date_agrees(self.rank)


def date_agrees(rank: int) -> bool:
    """Whether a hit's date of birth agrees with the query's (the hits that come first)."""
    return bool(_DATE_SUPPORTS[rank])


# How an explanation says a date of birth that agrees (for candidates stored before ``date_agrees``).
DATE_AGREEMENT_WORDS = frozenset(
    agreement.value for agreement, supports in zip(_AGREEMENTS, _DATE_SUPPORTS.tolist(), strict=True) if supports
)


@lru_cache(maxsize=1 << 16)
def _birth_date(text: str) -> tuple[int, int, int]:
    """(year, month, day), 0 where unknown; dates that cannot be read count as unknown."""
    try:
        date = parse_partial_date(text)
    except PartialDateError:
        return 0, 0, 0
    return date.year, date.month or 0, date.day or 0


def _agreement_codes(
    query: PartialDate | None, years: IntArray, months: IntArray, days: IntArray
) -> npt.NDArray[np.intp]:
    """``compare_dates(query, record)`` for many records at once, as indexes into ``_AGREEMENTS``."""
    if query is None:
        return np.full(len(years), _CODE[DateAgreement.UNKNOWN], dtype=np.intp)
    month, day = query.month or 0, query.day or 0
    distance = np.abs(years - query.year)
    both_days = (days > 0) & (day > 0)
    conditions = [
        years == 0,
        distance == 1,
        distance > 1,
        (months == 0) | (month == 0),
        both_days & (months == month) & (days == day),
        both_days & (months == day) & (days == month),
        both_days,
        months == month,
        ((day > 0) & (months == day)) | ((days > 0) & (days == month)),
    ]
    choices = [
        DateAgreement.UNKNOWN,
        DateAgreement.YEAR_NEAR,
        DateAgreement.YEAR_DIFFERS,
        DateAgreement.SAME_YEAR,
        DateAgreement.SAME_DAY,
        DateAgreement.DAY_MONTH_SWAPPED,
        DateAgreement.SAME_YEAR_OTHER_DAY,
        DateAgreement.SAME_MONTH,
        DateAgreement.DAY_MONTH_SWAPPED,
    ]
    return np.select(
        conditions, [_CODE[choice] for choice in choices], default=_CODE[DateAgreement.SAME_YEAR_OTHER_DAY]
    ).astype(np.intp)


def _best_agreement(date: PartialDate | None) -> DateAgreement:
    """The strongest agreement a date of this precision can have with any other date."""
    if date is None:
        return DateAgreement.UNKNOWN
    if date.day is not None:
        return DateAgreement.SAME_DAY
    return DateAgreement.SAME_MONTH if date.month is not None else DateAgreement.SAME_YEAR


def _stand_in(role: str, kind: str = "") -> NamePart:
    """A part that aligns with nothing: it stands for a part no query part resembles, keeping its role
    (and whether it is a father's name of a nasab chain, which a name may lack)."""
    form = WordForm(text="", language="", latin="", keys=("\x00",))
    return NamePart(form, role, "", None, ("\x00",), kind)


# Indexed by -signature - 2 (see ScreeningIndex._exact_name_scores); the last stands for a nasab part.
_STAND_INS = (*(_stand_in(role) for role in ROLE_CODES), _stand_in("name", "nasab"))
_NASAB_STAND_IN = -len(_STAND_INS) - 1


def _min_name_score(threshold: float, best: DateAgreement, bonus: bool) -> float:
    """The smallest name score that the best possible date agreement still lifts to ``threshold``
    (scoring._adjust solved for the name score); above 1 when nothing can match."""
    closes, factor = SCORING.date_effect[best]
    share = SCORING.nationality_agreement_share
    before_bonus = (threshold - share) / (1.0 - share) if bonus else threshold
    return max((before_bonus / factor - closes) / (1.0 - closes) - 1e-9, 0.0)


@dataclass(frozen=True)
class _NameCandidates:
    """Registry names worth a look for one query name, with their comparisons."""

    name_ids: IntArray
    scores: FloatArray  # the name score compare_parsed gives each


@dataclass(frozen=True)
class _Scored:
    """Records scored for one query, one row each."""

    records: IntArray
    scores: FloatArray
    codes: npt.NDArray[np.intp]  # date agreement, as indexes into _AGREEMENTS
    sex_conflicts: npt.NDArray[np.bool_]
    nationality_effects: npt.NDArray[np.int8]  # 0, _AGREES or _DIFFERS
    name_ids: IntArray  # the registry name that scored
    numbers: IntArray  # which of the query's names scored
    queries: tuple[ParsedName, ...]
    candidates: tuple[_NameCandidates, ...]  # one per query name

    EMPTY_COLUMNS: tuple[IntArray, FloatArray, IntArray, IntArray] = (
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
    )


def _kept_with_ties(scores: FloatArray, codes: npt.NDArray[np.intp], limit: int) -> int:
    """How many of a ranking (scores and date agreement codes, in the order of ``search``) to keep:
    ``limit``, and any tied with the last (equal codes: equal date support)."""
    kept = min(limit, len(scores))
    if 0 < kept < len(scores):
        tied = (scores[kept:] == scores[kept - 1]) & (codes[kept:] == codes[kept - 1])
        kept += len(tied) if tied.all() else int(np.argmin(tied))
    return kept


def _sex_code(sex: str) -> int:
    return ord(sex[0]) if sex else 0


def _has_two_names(name: ParsedName) -> bool:
    """Whether a name has two different given names or surnames (patronymics and initials aside)."""
    return len({part for part in name.parts if part.role == "name"}) >= 2


def _group_rows(rows: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Equal rows grouped: the first row of each group, and each row's group (``np.unique(rows, axis=0,
    return_index=True, return_inverse=True)`` without its structured-array detour)."""
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    starts = np.ones(len(order), dtype=np.bool_)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(len(order), dtype=np.intp)
    inverse[order] = np.cumsum(starts) - 1
    return order[starts], inverse


_T = TypeVar("_T")
_UNREAD = object()


class _OnDemand(list[_T]):
    """A list whose items are made the first time they are read by position (a loaded index parses only the
    names and words that queries meet). Iterating it directly yields unread items as they are."""

    def __init__(self, count: int, make: Callable[[int], _T]) -> None:
        super().__init__([_UNREAD] * count)  # type: ignore[list-item]
        self._make = make

    @overload
    def __getitem__(self, position: SupportsIndex) -> _T: ...

    @overload
    def __getitem__(self, position: slice) -> list[_T]: ...

    def __getitem__(self, position: SupportsIndex | slice) -> _T | list[_T]:
        if isinstance(position, slice):
            return [self[item] for item in range(*position.indices(len(self)))]
        value = super().__getitem__(position)
        if value is _UNREAD:
            value = self._make(int(position))
            super().__setitem__(position, value)
        return value


@contextmanager
def _long_lived() -> Iterator[None]:
    """Build without the cycle collector, then exempt what was built from later collections: a large
    index is millions of objects that every full collection would otherwise scan again (see gc.freeze)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class ScreeningIndex:
    """In-memory blocking index of person records; saved as arrays and tables (``storage.write_index``)."""

    def __init__(self, max_candidates: int = DEFAULT_MAX_CANDIDATES) -> None:
        self.max_candidates = max_candidates
        self._keys: list[str] = []
        self._records: list[PersonRecord] = []
        self._birth_dates: list[tuple[int, int, int]] = []
        self._sexes: list[int] = []
        self._nationality_ids: dict[frozenset[str], int] = {frozenset(): 0}
        self._nationality_sets: list[frozenset[str]] = [frozenset()]
        self._nationality_of: list[int] = []
        # Names: one entry per distinct name text; entries link records to names (aliases give several).
        self._name_ids: dict[str, int] = {}
        self._names: list[ParsedName] = []
        self._name_parts: list[tuple[int, ...]] = []  # part ids in name order
        self._entry_records: list[int] = []
        self._entry_names: list[int] = []
        # Parts: one per distinct name part; postings list the names that carry each part.
        self._part_ids: dict[NamePart, int] = {}
        self._parts: list[NamePart] = []
        self._postings: list[list[int]] = []
        self._blocking = BlockingTables()
        self._few_parts: list[bool] = []  # names without two different given names or surnames
        self._frozen: IndexArrays | None = None
        self._query_names: dict[tuple[str, float], _NameCandidates] = {}
        # What a caseworker reads about a query name and a registry name, by query name text and registry
        # name id; written for the hits kept and kept for the next query of this name (a list of notices
        # repeats names, with other dates of birth).
        self._explained: dict[str, dict[int, str]] = {}
        # Names found by reading words as one, kept per pair of query words and per query word.
        self._joined_words: dict[tuple[NamePart, NamePart], IntArray] = {}
        self._split_words: dict[NamePart, list[IntArray]] = {}
        self._blocked_parts: dict[NamePart, IntArray] = {}
        self._part_scores: dict[NamePart, dict[int, float]] = {}
        self._skeleton_arrays: dict[str, tuple[IntArray, frozenset[int]]] = {}
        # A loaded index: its file, for the records (read only to iterate or to add to the index).
        self._saved: SavedIndex | None = None

    @classmethod
    def build(
        cls, records: Iterable[tuple[str, PersonRecord]], max_candidates: int = DEFAULT_MAX_CANDIDATES
    ) -> ScreeningIndex:
        """An index of many records, kept for the rest of the process (a registry, not a short list):
        its objects are left out of later garbage collections."""
        index = cls(max_candidates=max_candidates)
        with _long_lived():
            for key, record in records:
                index.add(key, record)
            index._freeze()
        return index

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[tuple[str, PersonRecord]]:
        if self._saved is not None:
            return iter(zip(self._keys, self._saved_records(self._saved)))
        return iter(zip(self._keys, self._records))

    def add(self, key: str, record: PersonRecord) -> None:
        if self._saved is not None:
            self._read_everything()
        position = len(self._records)
        self._keys.append(key)
        self._records.append(record)
        self._birth_dates.append(_birth_date(record.dob) if record.dob else (0, 0, 0))
        self._sexes.append(_sex_code((record.sex or "").lower()[:1]))
        nationalities = frozenset(record.nationalities)
        nationality_id = self._nationality_ids.get(nationalities)
        if nationality_id is None:
            nationality_id = self._nationality_ids[nationalities] = len(self._nationality_sets)
            self._nationality_sets.append(nationalities)
        self._nationality_of.append(nationality_id)
        for text in dict.fromkeys(record.names):
            name_id = self._name_ids.get(text)
            if name_id is None:
                name_id = self._add_name(text)
            self._entry_records.append(position)
            self._entry_names.append(name_id)
        self._frozen = None

    def _add_name(self, text: str) -> int:
        name_id = len(self._names)
        parsed = parse_name(text)
        self._name_ids[text] = name_id
        self._names.append(parsed)
        self._few_parts.append(not _has_two_names(parsed))
        part_ids = []
        for part in parsed.parts:
            part_id = self._part_ids.get(part)
            if part_id is None:
                part_id = self._add_part(part)
            part_ids.append(part_id)
        self._name_parts.append(tuple(part_ids))
        for part, part_id in dict(zip(parsed.parts, part_ids)).items():
            if part.role != "initial":
                self._postings[part_id].append(name_id)
        return name_id

    def _add_part(self, part: NamePart) -> int:
        part_id = len(self._postings)
        self._part_ids[part] = part_id
        self._parts.append(part)
        self._postings.append([])
        if part.role != "initial":  # initials are compared with whole names, never looked up
            self._blocking.add(part_id, part)
        return part_id

    def _freeze(self) -> IndexArrays:
        if self._frozen is None:
            self._frozen = IndexArrays.of(
                keys=self._keys,
                entry_records=self._entry_records,
                entry_names=self._entry_names,
                name_parts=self._name_parts,
                name_texts=[name.text for name in self._names],
                name_sexes=[_sex_code(name.implied_sex) for name in self._names],
                few_parts=self._few_parts,
                part_roles=[ROLE_CODES[part.role] for part in self._parts],
                postings=self._postings,
                birth_dates=self._birth_dates,
                sexes=self._sexes,
                nationality_of=self._nationality_of,
            )
            self._blocked_parts.clear()
            self._part_scores.clear()
            self._skeleton_arrays.clear()
            self._query_names.clear()
            self._explained.clear()
            self._joined_words.clear()
            self._split_words.clear()
        return self._frozen

    def _blocked(self, query_part: NamePart) -> IntArray:
        """Registry parts sharing a blocking key with the query part, sorted; kept per query part."""
        found = self._blocked_parts.get(query_part)
        if found is not None:
            return found
        candidates = self._blocking.blocked(query_part)
        if len(self._blocked_parts) >= _QUERY_PART_CACHE_SIZE:
            self._blocked_parts.clear()
        found = self._blocked_parts[query_part] = np.array(sorted(candidates), dtype=np.int32)
        return found

    def _part_score(self, query_part: NamePart, part_id: int) -> float:
        """``compare_parts`` of a query part and a registry part, 0 below SCORING.min_aligned (never aligned);
        kept per query part, since a list of queries repeats its words."""
        known = self._part_scores.get(query_part)
        if known is None:
            if len(self._part_scores) >= _QUERY_PART_CACHE_SIZE:
                self._part_scores.clear()
            known = self._part_scores[query_part] = {}
        score = known.get(part_id)
        if score is None:
            comparison = compare_parts(query_part, self._parts[part_id])  # symmetric: either side of a pair
            score = known[part_id] = (
                comparison.score if comparison is not None and comparison.score >= SCORING.min_aligned else 0.0
            )
        return score

    def _names_with_both(self, first: IntArray, second: IntArray) -> IntArray:
        """Names carrying a part of ``first`` and a different part of ``second`` (perhaps more: names
        carrying one part that is in both), among names with two different given names or surnames.

        Either every pair of the two sets is looked up among the names' pairs of words, or the names
        carrying the set whose words are rarer are gathered and kept if they carry a word of the other
        set, whichever touches fewer entries: few look-alikes of common words, or many of rare ones."""
        frozen = self._freeze()
        first_names = int(frozen.posting_lengths[first].sum())
        second_names = int(frozen.posting_lengths[second].sum())
        if len(first) * len(second) <= _GATHER_COST * min(first_names, second_names):
            low = np.minimum.outer(first, second).ravel().astype(np.int64)
            high = np.maximum.outer(first, second).ravel().astype(np.int64)
            # Sorted, the keys are found in one sweep of the pair table rather than a search each.
            keys = np.sort((low * frozen.pair_base + high)[low != high])
            found = np.searchsorted(frozen.pair_keys, keys)
            found = found[frozen.pair_keys[found.clip(max=max(len(frozen.pair_keys) - 1, 0))] == keys]
            return frozen.pair_names[spans(frozen.pair_starts[found], frozen.pair_starts[found + 1])]
        gathered, other = (first, second) if first_names <= second_names else (second, first)
        names = frozen.posting_names[
            spans(frozen.posting_starts[gathered], frozen.posting_starts[gathered + 1])
        ]
        names = names[~frozen.few_parts[names]]
        marks = frozen.part_marks
        marks[other + 1] = True
        names = names[marks[frozen.name_parts[names] + 1].any(axis=1)]
        marks[other + 1] = False
        return names

    def _names_with_pairs(self, blocked: list[IntArray]) -> IntArray:
        """Names carrying blocked parts of two different query parts (two different registry parts), and
        names without two different given names or surnames that carry a blocked part of any query part."""
        frozen = self._freeze()
        pieces = [
            self._names_with_both(first, second) for first, second in itertools.combinations(blocked, 2)
        ]
        for part_ids in blocked:
            pieces.append(
                frozen.few_names[spans(frozen.few_starts[part_ids], frozen.few_starts[part_ids + 1])]
            )
        return np.unique(np.concatenate(pieces)) if pieces else np.zeros(0, dtype=np.int32)

    def _names_with_part(self, blocked: list[IntArray]) -> IntArray:
        """Names carrying a blocked part of any query part."""
        frozen = self._freeze()
        part_ids = np.concatenate(blocked) if blocked else np.zeros(0, dtype=np.int32)
        return np.unique(
            frozen.posting_names[spans(frozen.posting_starts[part_ids], frozen.posting_starts[part_ids + 1])]
        )

    def _name_candidates(self, query: ParsedName, min_name_score: float) -> _NameCandidates:
        cache_key = (query.text, min_name_score)
        cached = self._query_names.get(cache_key)
        if cached is not None:
            return cached
        frozen = self._freeze()
        query_parts = [part for part in dict.fromkeys(query.parts) if part.role != "initial"]
        blocked = [self._blocked(part) for part in query_parts]
        # A name needs two agreeing parts, unless either side has fewer than two given names or
        # surnames: with one agreeing part of two or more, both sides have a given name or surname the
        # other lacks, and the name scores at most SCORING.conflict_penalty * SCORING.single_part_penalty.
        two_needed = _has_two_names(query) and min_name_score > SCORING.conflict_penalty * SCORING.single_part_penalty
        names = self._names_with_pairs(blocked) if two_needed else self._names_with_part(blocked)
        needed = np.where(frozen.few_parts[names] | (not two_needed), 1, 2)
        scores, similarity = self._part_scores_of(query_parts, blocked, names, needed)
        result = self._bounded_candidates(
            query, query_parts, names, scores, min_name_score, similarity, two_needed
        )
        result = self._with_joined_words(query, result, min_name_score)
        if len(self._query_names) >= _QUERY_NAME_CACHE_SIZE:
            self._query_names.clear()
        self._query_names[cache_key] = result
        return result

    def _with_joined_words(
        self, query: ParsedName, found: _NameCandidates, min_name_score: float
    ) -> _NameCandidates:
        """Add the names ``compare`` matches only by reading two adjacent words of one name as one word
        of the other (Hasan Zadeh / حسن‌زاده, Shariat-Madari / Shariatmadari), which blocking on single
        words does not find; they are scored with ``compare_parsed`` itself."""
        pieces = [*self._names_with_joined_query_words(query), *self._names_with_split_query_words(query)]
        if not pieces:
            return found
        names = np.setdiff1d(np.concatenate(pieces), found.name_ids)[: self.max_candidates]
        if not len(names):
            return found
        scores = np.array([compare_parsed(query, self._names[name_id]).score for name_id in names.tolist()])
        good = scores >= min_name_score
        if not good.any():
            return found
        return _NameCandidates(
            np.concatenate((found.name_ids, names[good])).astype(np.int32),
            np.concatenate((found.scores, scores[good])),
        )

    def _names_with_joined_query_words(self, query: ParsedName) -> list[IntArray]:
        """Names carrying a word that two adjacent words of the query make together."""
        pieces = []
        for first, second in itertools.pairwise(query.parts):
            if first.role == second.role == "name":
                found = self._joined_words.get((first, second))
                if found is None:
                    if len(self._joined_words) >= _QUERY_PART_CACHE_SIZE:
                        self._joined_words.clear()
                    found = self._joined_words[first, second] = self._names_with_joined(first, second)
                if len(found):
                    pieces.append(found)
        return pieces

    def _names_with_joined(self, first: NamePart, second: NamePart) -> IntArray:
        """Names carrying a word that two adjacent query words make together (perhaps none)."""
        joined = joined_part(first, second)
        # Exact skeletons only: a word as long as two is rarely one expensive consonant off.
        candidates = {part_id for key in part_keys(joined) for part_id in self._blocking.with_skeleton(key)}
        parts = [part_id for part_id in sorted(candidates) if self._part_score(joined, part_id) >= SCORING.joined_min]
        return self._names_with_part([np.array(parts, dtype=np.int32)]) if parts else np.zeros(0, dtype=np.int32)

    def _names_with_split_query_words(self, query: ParsedName) -> list[IntArray]:
        """Names carrying two words whose skeletons make the skeleton of one query word together."""
        pieces = []
        for part in query.parts:
            if part.role != "name":
                continue
            needed = _MIN_JOINED_ABJAD_LENGTH if part.form.abjad else _MIN_JOINED_LENGTH
            if max(map(len, part.form.keys + part.form.transcribed)) < needed:
                continue
            found = self._split_words.get(part)
            if found is None:
                if len(self._split_words) >= _QUERY_PART_CACHE_SIZE:
                    self._split_words.clear()
                found = self._split_words[part] = self._names_with_split(part)
            pieces.extend(found)
        return pieces

    def _names_with_split(self, part: NamePart) -> list[IntArray]:
        """Names carrying two adjacent words that together are this query word, by the cut of its skeleton."""
        pieces = []
        for skeleton in part_keys(part):
            for cut in range(1, len(skeleton)):
                tails = self._skeleton_parts(skeleton[cut:])
                heads = self._skeleton_parts(skeleton[:cut]) if tails is not None else None
                if heads is None or tails is None:
                    continue
                (head_ids, head_set), (tail_ids, tail_set) = heads, tails
                names = self._names_with_both(head_ids, tail_ids)
                # compare joins a word with the next one (Hasan Zadeh, not Zadeh ... Hasan), and
                # only when together they are the other name's word
                adjacent = [
                    name_id
                    for name_id in names.tolist()
                    if any(
                        first in head_set and second in tail_set and self._joins_into(part, first, second)
                        for first, second in itertools.pairwise(self._name_parts[name_id])
                    )
                ]
                if adjacent:
                    pieces.append(np.array(adjacent, dtype=np.int32))
        return pieces

    def _skeleton_parts(self, skeleton: str) -> tuple[IntArray, frozenset[int]] | None:
        """The registry parts with a skeleton, as a sorted array and a set; kept until the index changes."""
        found = self._skeleton_arrays.get(skeleton)
        if found is None:
            parts = self._blocking.with_skeleton(skeleton)
            if not parts:
                return None
            found = self._skeleton_arrays[skeleton] = (np.unique(np.array(parts, dtype=np.int32)), frozenset(parts))
        return found

    def _joins_into(self, part: NamePart, first: int, second: int) -> bool:
        """Whether two registry words read as one are the query word, as compare reads them."""
        head, tail = self._parts[first], self._parts[second]
        if head.role != "name" or tail.role != "name":
            return False
        comparison = compare_parts(part, joined_part(head, tail))
        return comparison is not None and comparison.score >= SCORING.joined_min

    def _part_scores_of(
        self, query_parts: list[NamePart], blocked: list[IntArray], names: IntArray, needed: IntArray
    ) -> tuple[FloatArray, dict[int, list[float]]]:
        """For each query part and name, the best score of the name's parts against the query part, and
        how each registry part compared with each query part (the parts similar to any).

        Only the blocked words the names carry are compared: in a registry of many rare words most
        words sharing a key with one query word never meet the other query words. Query parts are
        taken from the one with the fewest such words; a name that can no longer have ``needed``
        agreeing parts drops out, and the words only it carries are never compared."""
        frozen = self._freeze()
        carried = frozen.name_parts[names]
        carried_parts = np.unique(carried[carried >= 0])
        carried += 1  # slot 0 of the lookup stands for padding
        scores = np.zeros((len(query_parts), len(names)))
        similarity: dict[int, list[float]] = {}
        lookup = frozen.part_lookup
        agreeing = np.zeros(len(names), dtype=np.int64)
        alive = np.ones(len(names), dtype=np.bool_)
        rows = sorted(
            range(len(query_parts)),
            key=lambda row: len(np.intersect1d(blocked[row], carried_parts, assume_unique=True)),
        )
        for done, row in enumerate(rows, start=1):
            if done > 1:
                survivors = carried[alive]
                carried_parts = np.unique(survivors[survivors > 0]) - 1
            relevant = np.intersect1d(blocked[row], carried_parts, assume_unique=True).tolist()
            for part_id in relevant:
                score = self._part_score(query_parts[row], part_id)
                if score:
                    similarity.setdefault(part_id, [0.0] * len(query_parts))[row] = score
                    lookup[part_id + 1] = score
            if len(names):
                scores[row] = lookup[carried].max(axis=1)
            lookup[np.array(relevant, dtype=np.int64) + 1] = 0.0
            agreeing += scores[row] > 0
            alive &= agreeing + (len(rows) - done) >= needed
        return scores, similarity

    def _bounded_candidates(
        self,
        query: ParsedName,
        query_parts: list[NamePart],
        names: IntArray,
        scores: FloatArray,
        min_name_score: float,
        similarity: dict[int, list[float]],
        two_needed: bool,
    ) -> _NameCandidates:
        frozen = self._frozen
        assert frozen is not None
        agreeing = (scores > 0).sum(axis=0)
        needed = np.where(frozen.few_parts[names] | (not two_needed), 1, 2)
        keep = agreeing >= needed
        names, scores, agreeing = names[keep], scores[:, keep], agreeing[keep]
        if not len(names):
            return _NameCandidates(np.zeros(0, dtype=np.int32), np.zeros(0))
        ordered = np.sort(scores, axis=0)
        top = ordered[-1]
        second = ordered[-2] if len(ordered) >= 2 else np.zeros_like(top)
        # Two or more aligned parts score at most the product of the two best; fewer, at most
        # 0.7 times the best (SCORING.single_part_penalty); an initial can add a pair, so one
        # agreeing part alone is bounded by its own score.
        bound = np.where(agreeing >= 2, np.maximum(top * second, SCORING.single_part_penalty * top), top)
        hopeful = bound >= min_name_score
        names, bound = names[hopeful], bound[hopeful]
        names = names[np.argsort(-bound, kind="stable")[: self.max_candidates]]
        exact = self._exact_name_scores(query, query_parts, names, similarity)
        good = exact >= min_name_score
        return _NameCandidates(names[good], exact[good])

    def _exact_name_scores(
        self,
        query: ParsedName,
        query_parts: list[NamePart],
        names: IntArray,
        similarity: dict[int, list[float]],
    ) -> FloatArray:
        """``compare_parsed(query, name).score`` for each name, computed once per distinct signature.

        Two registry parts that compare alike with every query part (same role, same scores: Karimov
        and Каримов against KARIMOV) are interchangeable for the score, and a part that resembles
        no query part aligns with nothing, so only its role counts. A name's signature lists, in its
        word order, the class of each part, and says which of the two names compare_parsed puts
        first; namesakes with other fathers or in other scripts share signatures.
        """
        frozen = self._frozen
        assert frozen is not None
        if not len(names):
            return np.zeros(0)
        if len(query_parts) < len(query.parts):
            # The query has initials, which can align with any registry part: compare the names themselves.
            return np.array([compare_parsed(query, self._names[name_id]).score for name_id in names.tolist()])
        # ``similarity``: how each registry part compares with each query part, for the parts similar
        # to any (the others align with nothing); scores below SCORING.min_aligned never align and are 0.
        classes: dict[tuple[str, bool, tuple[float, ...]], int] = {}
        representatives: list[NamePart] = []
        parts = frozen.name_parts[names]
        roles = frozen.name_roles[names]
        present = np.unique(parts[(parts != ABSENT) & (roles != ROLE_CODES["initial"])])
        class_of = np.full(len(present), -1, dtype=np.int64)
        for position, part_id in enumerate(present.tolist()):
            part = self._parts[part_id]
            part_scores = similarity.get(part_id)
            nasab = part.kind == "nasab"
            if part_scores is None:  # aligns with nothing
                class_of[position] = _NASAB_STAND_IN if nasab else -1 - ROLE_CODES[part.role]
                continue
            key = (part.role, nasab, tuple(part_scores))
            if key not in classes:
                classes[key] = len(representatives)
                representatives.append(part)
            class_of[position] = classes[key]
        slots = np.searchsorted(present, parts).clip(max=max(len(present) - 1, 0))
        known = (parts != ABSENT) & (roles != ROLE_CODES["initial"])
        # Initials stay themselves (after every class), padding stays ABSENT.
        signatures = np.where(
            known, class_of[slots], np.where(parts == ABSENT, ABSENT, len(classes) + parts)
        )
        first = frozen.name_ranks[names] >= bisect_left(frozen.sorted_texts, query.text)
        examples, inverse = _group_rows(np.column_stack((signatures, first)))
        distinct = np.empty(len(examples))
        for row, example in enumerate(examples.tolist()):
            name = self._names[int(names[example])]
            stand_ins = tuple(
                representatives[code]
                if 0 <= code < len(classes)
                else self._parts[code - len(classes)]
                if code >= len(classes)
                else _STAND_INS[-code - 2]
                for code in signatures[example].tolist()
                if code != ABSENT
            )
            distinct[row] = compare_parsed(query, ParsedName(name.text, stand_ins, name.implied_sex)).score
        return distinct[inverse.reshape(-1)]

    def candidates(self, query: PersonRecord, threshold: float = DEFAULT_THRESHOLD) -> list[int]:
        """Positions of the records scored for a query: those carrying a name that can still match."""
        return sorted(set(self._scored(query, threshold).records.tolist()))

    def _scored(self, query: PersonRecord, threshold: float) -> _Scored:
        """Every record carrying a candidate name, with its exact score (``compare`` would agree)."""
        frozen = self._freeze()
        evidence = Evidence.of(query)
        bonus = bool(evidence.nationalities)
        min_name_score = _min_name_score(threshold, _best_agreement(evidence.dob), bonus)
        queries = [parse_name(text) for text in dict.fromkeys(query.names)]
        pieces: list[tuple[IntArray, FloatArray, IntArray, IntArray]] = []
        found: list[_NameCandidates] = []
        for number, parsed in enumerate(queries if min_name_score <= 1.0 else ()):
            candidates = self._name_candidates(parsed, min_name_score)
            found.append(candidates)
            counts = frozen.name_counts[candidates.name_ids]
            owners = np.repeat(np.arange(len(counts)), counts)
            starts = frozen.name_starts[candidates.name_ids]
            records = frozen.entry_records[spans(starts, starts + counts)]
            numbers = np.full(len(owners), number, dtype=np.int32)
            pieces.append((records, candidates.scores[owners], candidates.name_ids[owners], numbers))
        records, name_scores, name_ids, numbers = (
            tuple(np.concatenate(column) for column in zip(*pieces)) if pieces else _Scored.EMPTY_COLUMNS
        )
        if len(queries) > 1 or frozen.has_aliases:
            # Like compare: a record's best-scoring pair of names speaks for it.
            order = np.lexsort((-name_scores, records))
            first = np.ones(len(order), dtype=np.bool_)
            first[1:] = records[order][1:] != records[order][:-1]
            keep = order[first]
            groups = np.cumsum(first) - 1  # the record of each sorted row, counted in order
            ordered_scores = name_scores[order]
            tied = np.flatnonzero(~first & (ordered_scores == ordered_scores[first][groups]))
            if len(tied):
                keep = self._break_ties_like_compare(keep, order, groups, tied, name_ids, numbers, queries)
            records, name_scores, name_ids, numbers = (
                records[keep],
                name_scores[keep],
                name_ids[keep],
                numbers[keep],
            )
        codes = _agreement_codes(
            evidence.dob, frozen.years[records], frozen.months[records], frozen.days[records]
        )
        scores = (name_scores + (1.0 - name_scores) * _CLOSES[codes]) * _FACTORS[codes]
        query_sexes = np.array([_sex_code(evidence.sex or parsed.implied_sex) for parsed in queries] or [0])
        query_sex = query_sexes[numbers]
        record_sex = frozen.sexes[records]
        record_sex = np.where(record_sex == 0, frozen.name_sexes[name_ids], record_sex)
        conflict = (query_sex != 0) & (record_sex != 0) & (query_sex != record_sex)
        scores = np.where(conflict, scores * SCORING.sex_conflict_penalty, scores)
        effect = np.zeros(len(records), dtype=np.int8)
        if evidence.nationalities:
            effect = self._nationality_effects(evidence.nationalities)[frozen.nationality_ids[records]]
            scores = np.where(effect == _AGREES, scores + (1.0 - scores) * SCORING.nationality_agreement_share, scores)
            scores = np.where(effect == _DIFFERS, scores * SCORING.nationality_conflict_penalty, scores)
        return _Scored(
            records,
            np.clip(scores, 0.0, 1.0),
            codes,
            conflict,
            effect,
            name_ids,
            numbers,
            tuple(queries),
            tuple(found),
        )

    def _break_ties_like_compare(
        self,
        keep: npt.NDArray[np.intp],
        order: npt.NDArray[np.intp],
        groups: npt.NDArray[np.intp],
        tied: npt.NDArray[np.intp],
        name_ids: IntArray,
        numbers: IntArray,
        queries: list[ParsedName],
    ) -> npt.NDArray[np.intp]:
        """Among pairs of names that score alike for one record, keep the one ``compare`` keeps: the pair
        whose texts, each pair sorted, sort last (its explanation, and its sex, are the ones that count)."""
        keep = keep.copy()
        for row in tied.tolist():
            group = int(groups[row])
            current, challenger = int(keep[group]), int(order[row])
            if self._pair_texts(challenger, name_ids, numbers, queries) > self._pair_texts(
                current, name_ids, numbers, queries
            ):
                keep[group] = challenger
        return keep

    def _pair_texts(
        self, row: int, name_ids: IntArray, numbers: IntArray, queries: list[ParsedName]
    ) -> tuple[str, str]:
        first, second = sorted((queries[int(numbers[row])].text, self._names[int(name_ids[row])].text))
        return first, second

    def _nationality_effects(self, nationalities: frozenset[str]) -> npt.NDArray[np.int8]:
        """For each distinct set of recorded nationalities: no effect, agrees or differs with these."""
        return np.array(
            [
                0 if not recorded else _AGREES if recorded & nationalities else _DIFFERS
                for recorded in self._nationality_sets
            ],
            dtype=np.int8,
        )

    def search(self, query: PersonRecord, threshold: float = DEFAULT_THRESHOLD, limit: int = 10) -> list[Hit]:
        """Records that score at least ``threshold`` against the query, best first.

        Records whose date of birth agrees with the query's come first, best score first, then the others
        by score; among equal scores, the stronger date agreement first. At most ``limit`` hits, unless
        more are tied with the last: a limit never picks between namesakes that nothing tells apart.
        """
        return [
            Hit(key, MatchResult(score, True, text), rank)
            for key, score, text, rank in self.search_rows(query, threshold, limit)
        ]

    def search_rows(
        self, query: PersonRecord, threshold: float = DEFAULT_THRESHOLD, limit: int = 10
    ) -> list[tuple[str, float, str, int]]:
        """``search``'s hits as (key, score, explanation, rank) tuples, for screening many queries."""
        frozen = self._freeze()
        scored = self._scored(query, threshold)
        hits = np.flatnonzero(scored.scores >= threshold)
        rounded = np.round(scored.scores[hits], 4)
        codes = scored.codes[hits]
        order = np.lexsort((frozen.key_ranks[scored.records[hits]], codes, -rounded, ~_DATE_SUPPORTS[codes]))
        order = hits[order[: _kept_with_ties(rounded[order], codes[order], limit)]]
        rows: list[tuple[str, float, str, int]] = []
        # The explanation is written only for the hits kept: most records scored fall short.
        for position, name_id, number, code, conflict, effect, score in zip(
            scored.records[order].tolist(),
            scored.name_ids[order].tolist(),
            scored.numbers[order].tolist(),
            scored.codes[order].tolist(),
            scored.sex_conflicts[order].tolist(),
            scored.nationality_effects[order].tolist(),
            scored.scores[order].tolist(),
        ):
            query_name = scored.queries[number]
            explained = self._explained.get(query_name.text)
            if explained is None:
                if len(self._explained) >= _QUERY_NAME_CACHE_SIZE:
                    self._explained.clear()
                explained = self._explained[query_name.text] = {}
            names = explained.get(name_id)
            if names is None:
                names = explained[name_id] = explain_names(compare_parsed(query_name, self._names[name_id]))
            evidence = explain_evidence(_AGREEMENTS[code], conflict, _NATIONALITY_WORDS[effect])
            rows.append((self._keys[position], round(score, 4), explanation(names, evidence), code))
        return rows

    def save(self, path: Path) -> None:
        """Write the index as it is searched: its arrays, its names and words as texts, where each word was
        first met, and the blocking tables; and the records, for iterating and adding to a loaded index."""
        if self._saved is not None:
            self._read_everything()
        frozen = self._freeze()
        origins = np.full((len(self._parts), 2), ABSENT, dtype=np.int32)
        for name_id, part_ids in reversed(list(enumerate(self._name_parts))):
            for position, part_id in enumerate(part_ids):
                origins[part_id] = (name_id, position)
        by_skeleton, by_long_skeleton, by_long_exact = self._blocking.tables()
        write_index(
            path,
            {"max_candidates": self.max_candidates, "pair_base": frozen.pair_base, "has_aliases": frozen.has_aliases},
            frozen,
            texts={
                "keys": self._keys,
                "names": list(self._name_ids),
                "dobs": [record.dob for record in self._records],
                "sexes": [record.sex for record in self._records],
                "nationality_sets": [sorted(recorded) for recorded in self._nationality_sets],
            },
            numbers={
                "part_origins": origins,
                "entry_records": np.array(self._entry_records, dtype=np.int32),
                "entry_names": np.array(self._entry_names, dtype=np.int32),
            },
            tables={"skeleton": by_skeleton, "long_skeleton": by_long_skeleton, "long_exact": by_long_exact},
        )

    @classmethod
    def load(cls, path: Path) -> ScreeningIndex:
        """Read an index written by ``save`` without parsing its names: a name or word is parsed when a query
        first meets it. Data only: nothing in the file is executed. Refused (``IndexFileError``) when the file
        was built under other name rules."""
        saved = SavedIndex(path)
        index = cls(max_candidates=int(saved.header["max_candidates"]))
        with _long_lived():
            index._frozen = saved.arrays()
            index._keys = saved.texts("keys")
            index._nationality_sets = [frozenset(recorded) for recorded in saved.texts("nationality_sets")]
            index._blocking = BlockingTables.of_tables(
                saved.table("skeleton"), saved.table("long_skeleton"), saved.table("long_exact")
            )
            texts: list[str] = saved.texts("names")
            origins = saved.numbers("part_origins").tolist()
            rows = index._frozen.name_parts
        names: _OnDemand[ParsedName] = _OnDemand(len(texts), lambda name_id: parse_name(texts[name_id]))
        index._names = names
        # A word is the one at its recorded place in the first name that carries it.
        index._parts = _OnDemand(len(origins), lambda part_id: names[origins[part_id][0]].parts[origins[part_id][1]])
        index._name_parts = _OnDemand(len(texts), lambda name_id: tuple(rows[name_id][rows[name_id] >= 0].tolist()))
        index._saved = saved
        return index

    def _saved_records(self, saved: SavedIndex) -> Iterator[PersonRecord]:
        """The records of a loaded index, as they were added (each name once)."""
        texts: list[str] = saved.texts("names")
        entry_records, entry_names = saved.numbers("entry_records"), saved.numbers("entry_names")
        starts = np.searchsorted(entry_records, np.arange(len(self._keys) + 1)).tolist()
        names = entry_names.tolist()
        nationality_ids = self._freeze().nationality_ids.tolist()
        for position, (dob, sex) in enumerate(zip(saved.texts("dobs"), saved.texts("sexes"))):
            yield PersonRecord(
                names=tuple(texts[name_id] for name_id in names[starts[position] : starts[position + 1]]),
                dob=dob,
                nationalities=tuple(sorted(self._nationality_sets[nationality_ids[position]])),
                sex=sex,
            )

    def _read_everything(self) -> None:
        """Turn a loaded index into a built one (every name parsed), so that records can be added to it."""
        built = ScreeningIndex.build(list(self), max_candidates=self.max_candidates)
        self.__dict__.update(built.__dict__)


def find_similar(
    query: PersonRecord,
    candidates: Iterable[tuple[str, PersonRecord]],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> list[Hit]:
    """Score a query against a small candidate list (duplicate suggestions), best first."""
    hits = [
        Hit(key, result)
        for key, record in candidates
        if (result := compare(query, record, threshold)).is_match
    ]
    hits.sort(key=lambda hit: (-hit.result.score, hit.key))
    return hits[:limit]
