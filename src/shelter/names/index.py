"""Blocking index for screening many queries against a large registry.

Every name is indexed under pairs of its parts' blocking keys: consonant skeletons, which drop
the vowels and fold every consonant pair that scoring treats as cheap, of each comparison key
and surname stem (so Karimov / Karimzoda and Qosimov / Kasimov meet). A match needs at least
two agreeing parts (one part alone scores at most 0.7), so a true match shares a pair key unless
a part differs by an expensive consonant and still scores high, which only very long words can;
a query with a single full part falls back to single-part keys. Each query scores at most
``max_candidates`` records, best-supported first.
"""

from __future__ import annotations

import gzip
import json
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, combinations
from pathlib import Path

from shelter.names.dates import DateAgreement
from shelter.names.scoring import (
    DEFAULT_THRESHOLD,
    Evidence,
    MatchResult,
    PersonRecord,
    best_possible_score,
    combine_evidence,
    compare,
    compare_parsed,
    quick_score,
)
from shelter.names.structure import NamePart, ParsedName, parse_name

__all__ = [
    "DEFAULT_MAX_CANDIDATES",
    "Hit",
    "IndexFileError",
    "ScreeningIndex",
    "blocking_keys",
    "find_similar",
]

DEFAULT_MAX_CANDIDATES = 2000
_FORMAT = "shelter.names.index/1"
_VOWELS = str.maketrans("", "", "aeiou")
# Blocking keys fold every consonant pair that scoring treats as cheap (similarity._CONFUSABLES),
# so that no pair the scorer would accept is kept apart by blocking.
_CONFUSABLE_CLASSES = str.maketrans("gkzJ", "hhsS")


class IndexFileError(ValueError):
    """An index file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Hit:
    key: str
    result: MatchResult


@lru_cache(maxsize=1 << 20)
def _skeleton(key: str) -> str:
    consonants = key.replace("ts", "s").translate(_VOWELS).translate(_CONFUSABLE_CLASSES)
    collapsed = "".join(
        char for position, char in enumerate(consonants) if position == 0 or consonants[position - 1] != char
    )
    # A name of vowels only (Ai, Oyu) keeps its first letter so it still has a key.
    return collapsed or key[:1]


@lru_cache(maxsize=1 << 20)
def _part_keys(part: NamePart) -> frozenset[str]:
    return frozenset(_skeleton(key) for key in part.form.keys + part.stems)


def blocking_keys(name: ParsedName) -> set[str]:
    """The index keys of one name: pairs of part skeletons, or single skeletons for one-part names."""
    parts = [_part_keys(part) for part in name.parts if part.role != "initial"]
    if len(parts) < 2:
        return {key for keys in parts for key in keys}
    return {f"{min(a, b)}|{max(a, b)}" for left, right in combinations(parts, 2) for a in left for b in right}


def _single_keys(name: ParsedName) -> set[str]:
    return {key for part in name.parts if part.role != "initial" for key in _part_keys(part)}


class ScreeningIndex:
    """In-memory blocking index of person records; persisted as gzip JSON lines."""

    def __init__(self, max_candidates: int = DEFAULT_MAX_CANDIDATES) -> None:
        self.max_candidates = max_candidates
        self._keys: list[str] = []
        self._records: list[PersonRecord] = []
        self._parsed: list[tuple[ParsedName, ...]] = []
        self._evidence: list[Evidence] = []
        self._pairs: dict[str, array[int]] = {}
        self._singles: dict[str, array[int]] = {}
        # Posting lists are kept sorted by birth year (0 = unknown, first), so that a query with a
        # date of birth reads only the records whose year can still give a match.
        self._birth_years = array("h")
        self._posting_years: dict[str, array[int]] = {}
        self._unsorted: set[str] = set()

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[tuple[str, PersonRecord]]:
        return iter(zip(self._keys, self._records))

    def add(self, key: str, record: PersonRecord) -> None:
        position = len(self._records)
        parsed = tuple(parse_name(name) for name in record.names)
        evidence = Evidence.of(record)
        self._evidence.append(evidence)
        self._birth_years.append(evidence.dob.year if evidence.dob else 0)
        self._keys.append(key)
        self._records.append(record)
        self._parsed.append(parsed)
        pair_keys: set[str] = set()
        single_keys: set[str] = set()
        for name in parsed:
            pair_keys |= blocking_keys(name)
            single_keys |= _single_keys(name)
        year = self._birth_years[-1]
        for block in pair_keys:
            self._post(self._pairs, block, position, year)
        for block in single_keys:
            self._post(self._singles, "1" + block, position, year)

    def _post(self, table: dict[str, array[int]], block: str, position: int, year: int) -> None:
        positions = table.get(block)
        if positions is None:
            table[block] = array("i", (position,))
            self._posting_years[block] = array("h", (year,))
            return
        years = self._posting_years[block]
        if year < years[-1]:
            self._unsorted.add(block)  # sorted again before the next search
        positions.append(position)
        years.append(year)

    def _sort_postings(self) -> None:
        # Adding records in birth-year order (as ``screen`` does) leaves nothing to sort here.
        birth_years = self._birth_years
        for block in self._unsorted:
            table = self._singles if block.startswith("1") else self._pairs
            positions = array("i", sorted(table[block], key=birth_years.__getitem__))
            table[block] = positions
            self._posting_years[block] = array("h", (birth_years[position] for position in positions))
        self._unsorted.clear()

    def _postings(self, block: str, table: dict[str, array[int]], year: int | None) -> Iterable[int]:
        positions = table.get(block)
        if positions is None or year is None:
            return positions or ()
        years = self._posting_years[block]
        unknown_end = bisect_right(years, 0)
        start, end = bisect_left(years, year - 1), bisect_right(years, year + 1)
        return chain(positions[:unknown_end], positions[max(start, unknown_end) : end])

    def candidates(self, query: PersonRecord, threshold: float = DEFAULT_THRESHOLD) -> list[int]:
        """Positions of the records worth scoring for a query, at most ``max_candidates``.

        Records born two or more years apart from the query are skipped only when no such pair can
        reach ``threshold`` (see ``best_possible_score``): this bound loses no match.
        """
        if self._unsorted:
            self._sort_postings()
        evidence = Evidence.of(query)
        prune = evidence.dob is not None and threshold > best_possible_score(DateAgreement.YEAR_DIFFERS)
        year = evidence.dob.year if prune and evidence.dob else None
        support: Counter[int] = Counter()
        for name in query.names:
            parsed = parse_name(name)
            full_parts = [part for part in parsed.parts if part.role != "initial"]
            if len(full_parts) >= 2:
                blocks, table = blocking_keys(parsed), self._pairs
            else:
                blocks, table = {"1" + block for block in blocking_keys(parsed)}, self._singles
            for block in blocks:
                support.update(self._postings(block, table, year))
        if len(support) <= self.max_candidates:
            return list(support)
        return [position for position, _ in support.most_common(self.max_candidates)]

    def search(self, query: PersonRecord, threshold: float = DEFAULT_THRESHOLD, limit: int = 10) -> list[Hit]:
        """Records that score at least ``threshold`` against the query, best first."""
        query_names = [parse_name(name) for name in query.names]
        query_evidence = Evidence.of(query)
        hits: list[Hit] = []
        for position in self.candidates(query, threshold):
            best = max(
                (compare_parsed(left, right) for left in query_names for right in self._parsed[position]),
                key=lambda result: result.score,
            )
            evidence = self._evidence[position]
            # The explanation is written only for hits: most candidates are rejected.
            if quick_score(best, query_evidence, evidence) >= threshold:
                hits.append(
                    Hit(self._keys[position], combine_evidence(best, query_evidence, evidence, threshold))
                )
        hits.sort(key=lambda hit: (-hit.result.score, hit.key))
        return hits[:limit]

    def save(self, path: Path) -> None:
        """Write the records (not the derived keys, which are rebuilt on load) as gzip JSON lines."""
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write(json.dumps({"format": _FORMAT, "max_candidates": self.max_candidates}) + "\n")
            for key, record in zip(self._keys, self._records):
                row = {
                    "key": key,
                    "names": list(record.names),
                    "dob": record.dob,
                    "nationalities": list(record.nationalities),
                    "sex": record.sex,
                }
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> ScreeningIndex:
        """Read an index written by ``save``. Data only: nothing in the file is executed."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                header = json.loads(stream.readline() or "null")
                if not isinstance(header, dict) or header.get("format") != _FORMAT:
                    raise IndexFileError(f"{path}: not a Shelter name index (expected format {_FORMAT})")
                index = cls(max_candidates=int(header.get("max_candidates", DEFAULT_MAX_CANDIDATES)))
                for line_number, line in enumerate(stream, start=2):
                    index.add(*_record_from_json(path, line_number, line))
        except (OSError, EOFError, json.JSONDecodeError) as error:
            raise IndexFileError(f"{path}: cannot read the index ({error})") from error
        return index


def _record_from_json(path: Path, line_number: int, line: str) -> tuple[str, PersonRecord]:
    row = json.loads(line)
    try:
        return str(row["key"]), PersonRecord(
            names=tuple(str(name) for name in row["names"]),
            dob=row.get("dob"),
            nationalities=tuple(row.get("nationalities") or ()),
            sex=row.get("sex"),
        )
    except (KeyError, TypeError) as error:
        raise IndexFileError(f"{path}: line {line_number} is not a person record ({error})") from error


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
