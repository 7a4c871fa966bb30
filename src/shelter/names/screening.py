"""Tabular services behind the CLI: score a TSV of name pairs, screen a CSV of queries against a registry."""

from __future__ import annotations

import csv
import multiprocessing
import zlib
from collections.abc import Callable, Iterator
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple, TextIO

from shelter.names.dates import PartialDateError, parse_partial_date
from shelter.names.index import ScreeningIndex
from shelter.names.scoring import DEFAULT_THRESHOLD, PersonRecord, compare

__all__ = ["InputError", "ScreeningHit", "read_people", "score_pairs", "screen"]

_CHUNK = 500


class InputError(ValueError):
    """Bad input file or row; the message names the file, the row and what was expected."""


class ScreeningHit(NamedTuple):
    """One hit; a named tuple, since a screening run passes millions of them between processes."""

    query_id: str
    registry_id: str
    score: float
    explanation: str
    rank: int = 0  # among equal scores, lower ranks first (see Hit.rank)


@lru_cache(maxsize=1 << 16)
def _date_problem(value: str) -> str | None:
    try:
        parse_partial_date(value)
    except PartialDateError as error:
        return str(error)
    return None


def _checked_dob(where: str, value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    stripped = value.strip()
    problem = _date_problem(stripped)  # a registry repeats the same dates many times over
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    return stripped


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
            reader = csv.reader(stream)
            columns = [column.strip() for column in next(reader, [])]
            missing = [column for column in ("id", "name") if column not in columns]
            if missing:
                raise InputError(
                    f"{path}: missing column(s) {', '.join(missing)} (expected id, name and optional dob, country)"
                )
            id_at, name_at = columns.index("id"), columns.index("name")
            dob_at = columns.index("dob") if "dob" in columns else None
            country_at = columns.index("country") if "country" in columns else None
            first_row: dict[str, int] = {}
            for row_number, row in enumerate(reader, start=2):
                if not row:
                    continue
                row += [""] * (len(columns) - len(row))
                identifier = row[id_at].strip()
                if not identifier:
                    raise InputError(f"{path}: row {row_number}: the id is empty")
                if identifier in first_row:
                    raise InputError(
                        f"{path}: row {row_number}: id {identifier!r} already used on row {first_row[identifier]}"
                    )
                first_row[identifier] = row_number
                name = row[name_at].strip()
                if not name:
                    raise InputError(f"{path}: row {row_number}: the name is empty")
                dob = _checked_dob(f"{path}: row {row_number}", row[dob_at]) if dob_at is not None else None
                countries = row[country_at] if country_at is not None else ""
                nationalities = (
                    tuple(
                        code.strip().upper()
                        for code in countries.replace(";", ",").split(",")
                        if code.strip()
                    )
                    if countries
                    else ()
                )
                people.append((identifier, PersonRecord((name,), dob=dob, nationalities=nationalities)))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read ({error})") from error
    return people


def _build_index(registry: list[tuple[str, PersonRecord]]) -> ScreeningIndex:
    return ScreeningIndex.build(registry)


def _worker_of(query: PersonRecord, workers: int) -> int:
    # Queries of one name go to one worker, which finds that name's candidates once.
    return zlib.crc32(query.names[0].encode()) % workers if query.names else 0


def _chunks(items: list[tuple[str, PersonRecord]], size: int) -> Iterator[list[tuple[str, PersonRecord]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _screen_chunk(
    index: ScreeningIndex, queries: list[tuple[str, PersonRecord]], threshold: float, limit: int
) -> list[ScreeningHit]:
    return [
        ScreeningHit(query_id, key, score, text, rank)
        for query_id, query in queries
        for key, score, text, rank in index.search_rows(query, threshold=threshold, limit=limit)
    ]


def _screening_worker(
    connection: Connection,
    index: ScreeningIndex,
    queries: list[tuple[str, PersonRecord]],
    number: int,
    workers: int,
    threshold: float,
    limit: int,
) -> None:
    """Screen this worker's share of each chunk of queries; one message per chunk, in order."""
    try:
        for chunk in _chunks(queries, _CHUNK):
            mine = [item for item in chunk if _worker_of(item[1], workers) == number]
            connection.send(_screen_chunk(index, mine, threshold, limit))
    except Exception as error:
        connection.send(error)
    finally:
        connection.close()


def _in_query_order(query_ids: list[str], parts: list[list[ScreeningHit]]) -> list[ScreeningHit]:
    """Hits of queries screened by different workers (each query by one), in the queries' order."""
    by_query: dict[str, list[ScreeningHit]] = {query_id: [] for query_id in query_ids}
    for hits in parts:
        for hit in hits:
            by_query[hit.query_id].append(hit)
    return [hit for hits in by_query.values() for hit in hits]


def screen(
    queries: list[tuple[str, PersonRecord]],
    registry: list[tuple[str, PersonRecord]],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[ScreeningHit]:
    """Screen every query against the registry; yields hits chunk by chunk, in query order.

    The registry is indexed once. With several workers the index is shared by forked processes
    (copy-on-write; its objects are exempt from garbage collection, which would otherwise touch
    them), each screening the queries whose first name falls to it, so that a name repeated in
    a list is looked up by one process only.
    """
    index = _build_index(registry)
    if workers <= 1:
        for chunk in _chunks(queries, _CHUNK):
            yield from _screen_chunk(index, chunk, threshold, limit)
            if on_progress:
                on_progress(len(chunk))
        return
    context = multiprocessing.get_context("fork")
    connections: list[Connection] = []
    processes = []
    for number in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_screening_worker,
            args=(sender, index, queries, number, workers, threshold, limit),
            daemon=True,
        )
        process.start()
        sender.close()
        connections.append(receiver)
        processes.append(process)
    try:
        for chunk in _chunks(queries, _CHUNK):
            parts: list[list[ScreeningHit]] = []
            for connection in connections:
                received = connection.recv()
                if isinstance(received, Exception):
                    raise received
                parts.append(received)
            yield from _in_query_order([query_id for query_id, _ in chunk], parts)
            if on_progress:
                on_progress(len(chunk))
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
