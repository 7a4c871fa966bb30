"""Index storage: the registry as compact arrays, and the index file.

Arrays are in compressed-sparse-row form: the entries of item ``i`` are ``values[starts[i]:starts[i + 1]]``.
The index file keeps those arrays and the tables derived from the names (numpy's ``.npz``, read without pickle:
data only, nothing in it is executed), so loading it parses no name. It says which name rules built it (a digest
of this package's code and tables): a file built under other rules is refused, and the caller rebuilds.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "ABSENT",
    "ROLE_CODES",
    "IndexArrays",
    "IndexFileError",
    "SavedIndex",
    "rules_version",
    "spans",
    "write_index",
]

SAVED_FORMAT = "shelter.names.index/2"
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


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A digest of the name rules: this package's code and tables, which every derived key depends on."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _encoded(value: Any) -> npt.NDArray[np.uint8]:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _table_arrays(name: str, table: Mapping[str, Sequence[int]]) -> dict[str, npt.NDArray[Any]]:
    """A table of id lists by text key, as its keys (JSON) and the lists in compressed-sparse-row form."""
    lists = list(table.values())
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int32, count=sum(map(len, lists)))
    return {f"{name}.keys": _encoded(list(table)), f"{name}.starts": _starts(map(len, lists)), f"{name}.ids": flat}


def write_index(
    path: Path,
    header: Mapping[str, Any],
    arrays: IndexArrays,
    texts: Mapping[str, Any],
    numbers: Mapping[str, npt.NDArray[Any]],
    tables: Mapping[str, Mapping[str, Sequence[int]]],
) -> None:
    """Write the index file: ``header`` (with the format and the rules version), the index's arrays, lists of
    ``texts`` (as JSON), further arrays of ``numbers`` and ``tables`` of id lists by text key. Written beside
    ``path`` and moved into place, so a reader never sees half a file."""
    members: dict[str, npt.NDArray[Any]] = {
        "header": _encoded({**header, "format": SAVED_FORMAT, "rules": rules_version()}),
        "sorted_texts": _encoded(arrays.sorted_texts),
    }
    for field in fields(IndexArrays):
        value = getattr(arrays, field.name)
        if isinstance(value, np.ndarray) and field.name not in ("part_lookup", "part_marks"):
            members[f"arrays.{field.name}"] = value
    members.update({f"texts.{name}": _encoded(value) for name, value in texts.items()})
    members.update({f"numbers.{name}": value for name, value in numbers.items()})
    for name, table in tables.items():
        members.update(_table_arrays(f"tables.{name}", table))
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as stream:
        np.savez(stream, **members)  # type: ignore[arg-type]
    os.replace(partial, path)


class SavedIndex:
    """An index file written by ``write_index``, opened for reading; members are read when asked for (the
    records only if needed). An ``IndexFileError`` says why a file cannot be used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._members = np.load(path, allow_pickle=False)
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
            raise IndexFileError(f"{path}: cannot read the index ({error})") from error
        if not isinstance(self._members, np.lib.npyio.NpzFile) or "header" not in self._members.files:
            raise IndexFileError(f"{path}: not a Shelter name index (expected format {SAVED_FORMAT})")
        self.header: dict[str, Any] = self.text("header")
        if not isinstance(self.header, dict) or self.header.get("format") != SAVED_FORMAT:
            raise IndexFileError(f"{path}: not a Shelter name index (expected format {SAVED_FORMAT})")
        if self.header.get("rules") != rules_version():
            raise IndexFileError(f"{path}: built by other name rules; the index is rebuilt")

    def _member(self, name: str) -> npt.NDArray[Any]:
        try:
            return self._members[name]  # type: ignore[no-any-return]
        except (KeyError, OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
            raise IndexFileError(f"{self.path}: cannot read the index ({name}: {error})") from error

    def text(self, name: str) -> Any:
        try:
            return json.loads(self._member(name).tobytes().decode())
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise IndexFileError(f"{self.path}: cannot read the index ({name}: {error})") from error

    def texts(self, name: str) -> Any:
        return self.text(f"texts.{name}")

    def numbers(self, name: str) -> npt.NDArray[Any]:
        return self._member(f"numbers.{name}")

    def table(self, name: str) -> dict[str, list[int]]:
        keys = self.text(f"tables.{name}.keys")
        starts = self._member(f"tables.{name}.starts").tolist()
        ids = self._member(f"tables.{name}.ids").tolist()
        return {key: ids[start:end] for key, start, end in zip(keys, starts, starts[1:])}

    def arrays(self) -> IndexArrays:
        """The index's arrays as saved (the per-query scratch arrays made anew)."""
        values: dict[str, Any] = {}
        for field in fields(IndexArrays):
            if f"arrays.{field.name}" in self._members.files:
                values[field.name] = self._member(f"arrays.{field.name}")
        parts = len(values["posting_lengths"]) + 1
        return IndexArrays(
            **values,
            pair_base=int(self.header["pair_base"]),
            has_aliases=bool(self.header["has_aliases"]),
            sorted_texts=self.text("sorted_texts"),
            part_lookup=np.zeros(parts),
            part_marks=np.zeros(parts, dtype=np.bool_),
        )
