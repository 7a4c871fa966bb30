"""Index storage: the registry as compact arrays, and the index file.

Arrays are in compressed-sparse-row form: the entries of item ``i`` are ``values[starts[i]:starts[i + 1]]``.
The file keeps the records (not the derived keys, which are rebuilt on load) as gzip JSON lines.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shelter.names.scoring import PersonRecord

__all__ = [
    "ABSENT",
    "ROLE_CODES",
    "IndexArrays",
    "IndexFileError",
    "read_header",
    "read_records",
    "spans",
    "write_records",
]

FORMAT = "shelter.names.index/1"
ROLE_CODES = {"name": 1, "patronymic": 2, "initial": 3}
ABSENT = -1  # no part in this slot of the name

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


class IndexFileError(ValueError):
    """An index file that cannot be read; the message says why."""


def spans(starts: IntArray, ends: IntArray) -> npt.NDArray[np.intp]:
    """The positions ``starts[0]:ends[0], starts[1]:ends[1], ...`` as one array."""
    counts = ends - starts
    offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return offsets + np.arange(int(counts.sum()))


def _starts(lengths: Iterable[int]) -> IntArray:
    return np.concatenate(([0], np.cumsum(list(lengths), dtype=np.int64))).astype(np.int32)


@dataclass(frozen=True)
class IndexArrays:
    """The index as arrays, built on the first search after records were added."""

    # By part, the names carrying it: posting_names[posting_starts[part]:posting_starts[part + 1]].
    posting_starts: IntArray
    posting_names: IntArray
    posting_lengths: IntArray
    few_parts: npt.NDArray[np.bool_]
    # By pair of different parts (key: lower part id * pair_base + higher), the names carrying both,
    # among names with two different given names or surnames: pair_names[pair_starts[k]:pair_starts[k + 1]].
    pair_base: int
    pair_keys: npt.NDArray[np.int64]
    pair_starts: IntArray
    pair_names: IntArray
    # By part, the names carrying it that lack two different given names or surnames.
    few_starts: IntArray
    few_names: IntArray
    name_starts: IntArray  # entries sorted by name: where each name's records begin
    name_counts: IntArray
    entry_records: IntArray
    name_parts: IntArray  # one row per name: its part ids in order, padded with ABSENT
    name_roles: IntArray  # the parts' ROLE_CODES, 0 for padding
    name_ranks: IntArray  # each name's position in sorted_texts
    sorted_texts: list[str]
    years: IntArray
    months: IntArray
    days: IntArray
    sexes: IntArray  # recorded sex, as a character code (0: not recorded)
    name_sexes: IntArray  # the sex a name's endings imply, the same way
    nationality_ids: IntArray
    key_ranks: IntArray  # each record's key in sorted order, to break ties as sorting by key would
    has_aliases: bool
    part_lookup: FloatArray  # one slot per part id + 1 (slot 0 for padding); all zero between queries
    part_marks: npt.NDArray[np.bool_]  # the same slots; all False between queries

    @classmethod
    def of(
        cls,
        *,
        keys: list[str],
        entry_records: list[int],
        entry_names: list[int],
        name_parts: list[tuple[int, ...]],
        name_texts: list[str],
        name_sexes: list[int],
        few_parts: list[bool],
        part_roles: list[int],
        postings: list[list[int]],
        birth_dates: list[tuple[int, int, int]],
        sexes: list[int],
        nationality_of: list[int],
    ) -> IndexArrays:
        """Arrays of the index's lists: records (keys, dates, sexes, nationality ids), entries linking
        records to names, names (their parts, texts, implied sexes) and parts (roles, names carrying them)."""
        name_count = len(name_texts)
        names_of_entries = np.array(entry_names, dtype=np.int32)
        order = np.argsort(names_of_entries, kind="stable")
        counts = np.bincount(names_of_entries, minlength=name_count).astype(np.int32)
        dates = np.array(birth_dates, dtype=np.int32).reshape(-1, 3)
        width = max((len(parts) for parts in name_parts), default=1)
        parts_array = np.full((name_count, width), ABSENT, dtype=np.int32)
        roles_array = np.zeros((name_count, width), dtype=np.int32)
        for row, parts in enumerate(name_parts):
            parts_array[row, : len(parts)] = parts
            roles_array[row, : len(parts)] = [part_roles[part] for part in parts]
        key_ranks = np.empty(len(keys), dtype=np.int32)
        key_ranks[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys), dtype=np.int32)
        by_text = sorted(range(name_count), key=name_texts.__getitem__)
        ranks = np.empty(name_count, dtype=np.int32)
        ranks[by_text] = np.arange(name_count, dtype=np.int32)
        posting_arrays = [np.array(names, dtype=np.int32) for names in postings]
        few = np.array(few_parts, dtype=np.bool_)
        few_postings = [names[few[names]] for names in posting_arrays]
        pair_base = len(part_roles) + 1
        pair_keys, pair_starts, pair_names = _pair_postings(parts_array, roles_array, few, pair_base)
        lengths = np.array([len(names) for names in posting_arrays], dtype=np.int32)
        return cls(
            posting_starts=_starts(lengths.tolist()),
            posting_names=np.concatenate(posting_arrays) if posting_arrays else np.zeros(0, dtype=np.int32),
            posting_lengths=lengths,
            few_parts=few,
            pair_base=pair_base,
            pair_keys=pair_keys,
            pair_starts=pair_starts,
            pair_names=pair_names,
            few_starts=_starts(len(names) for names in few_postings),
            few_names=np.concatenate(few_postings) if few_postings else np.zeros(0, dtype=np.int32),
            name_starts=(np.cumsum(counts) - counts).astype(np.int32),
            name_counts=counts,
            entry_records=np.array(entry_records, dtype=np.int32)[order],
            name_parts=parts_array,
            name_roles=roles_array,
            name_ranks=ranks,
            sorted_texts=[name_texts[position] for position in by_text],
            years=dates[:, 0].copy(),
            months=dates[:, 1].copy(),
            days=dates[:, 2].copy(),
            sexes=np.array(sexes, dtype=np.int32),
            name_sexes=np.array(name_sexes, dtype=np.int32),
            nationality_ids=np.array(nationality_of, dtype=np.int32),
            key_ranks=key_ranks,
            has_aliases=len(entry_records) > len(keys),
            part_lookup=np.zeros(len(part_roles) + 1),
            part_marks=np.zeros(len(part_roles) + 1, dtype=np.bool_),
        )


def _pair_postings(
    name_parts: IntArray, name_roles: IntArray, few_parts: npt.NDArray[np.bool_], base: int
) -> tuple[npt.NDArray[np.int64], IntArray, IntArray]:
    """Every pair of different parts (initials aside) of every name with two different given names or
    surnames: the distinct pair keys, sorted, where each key's names start, and the names."""
    usable = (name_parts != ABSENT) & (name_roles != ROLE_CODES["initial"]) & ~few_parts[:, None]
    keys: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    owners: list[npt.NDArray[np.intp]] = [np.zeros(0, dtype=np.intp)]
    for first, second in itertools.combinations(range(name_parts.shape[1]), 2):
        low = np.minimum(name_parts[:, first], name_parts[:, second]).astype(np.int64)
        high = np.maximum(name_parts[:, first], name_parts[:, second]).astype(np.int64)
        rows = np.flatnonzero(usable[:, first] & usable[:, second] & (low != high))
        keys.append(low[rows] * base + high[rows])
        owners.append(rows)
    all_keys, all_owners = np.concatenate(keys), np.concatenate(owners)
    order = np.lexsort((all_owners, all_keys))
    all_keys, all_owners = all_keys[order], all_owners[order]
    distinct = np.ones(len(all_keys), dtype=np.bool_)  # a name repeating a word repeats its pairs
    distinct[1:] = (all_keys[1:] != all_keys[:-1]) | (all_owners[1:] != all_owners[:-1])
    all_keys, all_owners = all_keys[distinct], all_owners[distinct]
    unique_keys, starts = np.unique(all_keys, return_index=True)
    return (
        unique_keys,
        np.append(starts, len(all_keys)).astype(np.int32),
        all_owners.astype(np.int32),
    )


def write_records(path: Path, max_candidates: int, records: Iterable[tuple[str, PersonRecord]]) -> None:
    """Write records as gzip JSON lines, after a header line with the format and ``max_candidates``."""
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps({"format": FORMAT, "max_candidates": max_candidates}) + "\n")
        for key, record in records:
            row = {
                "key": key,
                "names": list(record.names),
                "dob": record.dob,
                "nationalities": list(record.nationalities),
                "sex": record.sex,
            }
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_header(path: Path, stream: Iterator[str], default_max_candidates: int) -> int:
    """The ``max_candidates`` of a file written by ``write_records``, from its first line."""
    header = json.loads(next(stream, "null"))
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise IndexFileError(f"{path}: not a Shelter name index (expected format {FORMAT})")
    return int(header.get("max_candidates", default_max_candidates))


def read_records(path: Path, stream: Iterator[str]) -> Iterator[tuple[str, PersonRecord]]:
    """The records of a file written by ``write_records``, after its header line. Data only: nothing in
    the file is executed."""
    for line_number, line in enumerate(stream, start=2):
        yield _record_from_json(path, line_number, line)


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
