"""Tabular services behind the CLI: score a TSV of name pairs, screen a CSV of queries against a registry."""

from __future__ import annotations

import csv
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from shelter.names.dates import PartialDateError, parse_partial_date
from shelter.names.index import ScreeningIndex
from shelter.names.scoring import DEFAULT_THRESHOLD, PersonRecord, compare

__all__ = ["InputError", "ScreeningHit", "read_people", "score_pairs", "screen"]

_CHUNK = 500


class InputError(ValueError):
    """Bad input file or row; the message names the file, the row and what was expected."""


@dataclass(frozen=True)
class ScreeningHit:
    query_id: str
    registry_id: str
    score: float
    explanation: str


def _checked_dob(where: str, value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    try:
        parse_partial_date(value)
    except PartialDateError as error:
        raise InputError(f"{where}: {error}") from None
    return value.strip()


def score_pairs(source: TextIO, target: TextIO, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Read a TSV with columns left, right (optional left_dob, right_dob); write it back with score and match."""
    reader = csv.DictReader(source, delimiter="\t")
    columns = list(reader.fieldnames or [])
    missing = [column for column in ("left", "right") if column not in columns]
    if missing:
        raise InputError(f"header: missing column(s) {', '.join(missing)} (expected at least: left, right)")
    writer = csv.DictWriter(
        target, fieldnames=[*columns, "score", "match"], delimiter="\t", lineterminator="\n"
    )
    writer.writeheader()
    count = 0
    for row_number, row in enumerate(reader, start=2):
        where = f"row {row_number}"
        if not (row.get("left") or "").strip() or not (row.get("right") or "").strip():
            raise InputError(f"{where}: both 'left' and 'right' need a name")
        left = PersonRecord((row["left"],), dob=_checked_dob(where, row.get("left_dob")))
        right = PersonRecord((row["right"],), dob=_checked_dob(where, row.get("right_dob")))
        result = compare(left, right, threshold)
        writer.writerow(
            {**row, "score": f"{result.score:.4f}", "match": "true" if result.is_match else "false"}
        )
        count += 1
    return count


def read_people(path: Path) -> list[tuple[str, PersonRecord]]:
    """Read a CSV with columns id, name and optional dob, country (ISO alpha-2, several separated by ; or ,)."""
    people: list[tuple[str, PersonRecord]] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            columns = reader.fieldnames or []
            missing = [column for column in ("id", "name") if column not in columns]
            if missing:
                raise InputError(
                    f"{path}: missing column(s) {', '.join(missing)} (expected id, name and optional dob, country)"
                )
            for row_number, row in enumerate(reader, start=2):
                where = f"{path}: row {row_number}"
                name = (row.get("name") or "").strip()
                if not name:
                    raise InputError(f"{where}: the name is empty")
                countries = (row.get("country") or "").replace(";", ",")
                nationalities = tuple(code.strip().upper() for code in countries.split(",") if code.strip())
                record = PersonRecord(
                    (name,), dob=_checked_dob(where, row.get("dob")), nationalities=nationalities
                )
                people.append(((row.get("id") or "").strip(), record))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read ({error})") from error
    return people


# The index is handed to worker processes by fork, not pickled: a million records would take
# longer to pickle than to screen.
_WORKER_INDEX: ScreeningIndex | None = None


def _screen_chunk(
    task: tuple[list[tuple[str, PersonRecord]], float, int],
) -> list[ScreeningHit]:
    queries, threshold, limit = task
    assert _WORKER_INDEX is not None
    found: list[ScreeningHit] = []
    for query_id, query in queries:
        for hit in _WORKER_INDEX.search(query, threshold=threshold, limit=limit):
            found.append(ScreeningHit(query_id, hit.key, hit.result.score, hit.result.explanation))
    return found


def _chunks(items: list[tuple[str, PersonRecord]], size: int) -> Iterator[list[tuple[str, PersonRecord]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def screen(
    queries: list[tuple[str, PersonRecord]],
    index: ScreeningIndex,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[ScreeningHit]:
    """Screen every query against the index; yields hits query by query, in query order."""
    global _WORKER_INDEX
    _WORKER_INDEX = index
    tasks: Iterable[tuple[list[tuple[str, PersonRecord]], float, int]] = (
        (chunk, threshold, limit) for chunk in _chunks(queries, _CHUNK)
    )
    sizes = [len(chunk) for chunk in _chunks(queries, _CHUNK)]
    if workers <= 1 or len(queries) <= _CHUNK:
        results: Iterable[list[ScreeningHit]] = map(_screen_chunk, tasks)
        for size, hits in zip(sizes, results):
            yield from hits
            if on_progress:
                on_progress(size)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for size, hits in zip(sizes, pool.imap(_screen_chunk, tasks)):
            yield from hits
            if on_progress:
                on_progress(size)
