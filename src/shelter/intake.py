"""The one validation path for everything Shelter reads from a file: every importer (incident CSV and XLSX, JSON
records, FollowTheMoney entities, notice files, indicator feeds, and any new one) reads through these functions,
so that the same limits, the same refusals and the same report apply whatever the format.

- **Text values** (:func:`text_problem`): at most the limit of their kind (:data:`KINDS`: free text 100,000
  characters, a name 1,000, a case team name 100, a domain 253, ...); no control characters (NUL and the other
  C0 controls, DEL), tab and line breaks only where the kind allows them. NUL in particular cannot be stored by
  PostgreSQL, so a workspace that accepted one could not be restored there.
- **Problems** (:class:`Problem`): where (``row 3``, ``persons[2] (id 7)``, ``line 12``), which field, and why.
  Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2, and a quoted
  cell holding line breaks is still one row (:func:`csv_rows`).
- **Nested formats** (:func:`parse_json`, :func:`json_lines`): at most :data:`MAX_DEPTH` levels of nesting, a
  document at most :data:`MAX_DOCUMENT_BYTES`, one JSON line at most :data:`MAX_LINE_BYTES`; JSON values of the
  wrong type are problems (:func:`json_type_problem`), never a ``TypeError``.
- **Streaming**: :func:`csv_rows` and :func:`json_lines` read one row or line at a time, so memory stays flat as
  files grow; an importer validates in one pass and writes in batches inside one transaction.

A file that cannot be read at all raises :class:`InputRefused`, whose message names the file and the reason.
Pure Python, no Django: every layer may use it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Control characters other than tab, line feed and carriage return: never meaningful in a record.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


@dataclass(frozen=True)
class TextKind:
    """What a text value is, which decides its length limit and whether it may hold tabs and line breaks."""

    name: str
    limit: int
    line_breaks: bool = False


TEXT = TextKind("text", 100_000, line_breaks=True)
NAME = TextKind("name", 1_000)
TEAM_NAME = TextKind("case team name", 100)
DOMAIN = TextKind("domain", 253)
URL = TextKind("URL", 8_192)
IDENTIFIER = TextKind("identifier", 200)
KINDS = (TEXT, NAME, TEAM_NAME, DOMAIN, URL, IDENTIFIER)

# The longest text value any importer or form accepts, whatever the format (a field's own limit may be lower).
MAX_FIELD_CHARS = TEXT.limit
# The largest cell the CSV reader will hold before a cell can be checked (and refused by its kind's limit).
MAX_CELL_CHARS = 4 * MAX_FIELD_CHARS
# Nested formats: levels of arrays and objects, bytes of a whole JSON document, bytes of one JSON line.
MAX_DEPTH = 32
MAX_DOCUMENT_BYTES = 256 * 2**20
MAX_LINE_BYTES = 16 * 2**20


class InputRefused(ValueError):
    """A file that cannot be read at all; the message names the file and says why."""


@dataclass(frozen=True)
class Problem:
    """One reason an import was refused: where (row or record), which field, and why."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"


def text_problem(value: str, kind: TextKind | int = TEXT) -> str | None:
    """Why ``value`` cannot be stored as a text of ``kind`` (or of at most ``kind`` characters), in words a person
    can act on; None when it can."""
    if isinstance(kind, int):
        kind = TextKind("text", kind, line_breaks=True)
    if len(value) > kind.limit:
        return f"is {len(value):,} characters long; the limit is {kind.limit:,}"
    control = _CONTROL.search(value) or (None if kind.line_breaks else _LINE_BREAKS.search(value))
    if control:
        allowed = "only tabs and line breaks are kept" if kind.line_breaks else f"a {kind.name} is one line"
        return (f"holds the control character U+{ord(control.group()):04X} at character {control.start() + 1}: "
                f"remove it ({allowed})")
    return None


def escape_controls(value: object) -> object:
    """``value`` with every control character written out as ``\\xNN``: for evidence that must be kept as it was
    said (a suspicious message's subject and headers) but stored as plain text."""
    if isinstance(value, str):
        return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
    if isinstance(value, dict):
        return {escape_controls(key): escape_controls(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [escape_controls(item) for item in value]
    return value


def csv_rows(handle: IO[str], delimiter: str = ",", source: str = "the file") -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file, read one at a time, each with its number as a spreadsheet shows it (the header is
    row 1; a cell with line breaks does not add rows). A cell longer than :data:`MAX_CELL_CHARS` or broken
    quoting raises :class:`InputRefused` naming the row."""
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = (f"a cell is longer than {MAX_CELL_CHARS:,} characters"
                      if "field larger than field limit" in str(error) else f"malformed CSV ({error})")
            raise InputRefused(f"{source}, row {number + 1}: {reason}") from None
        number += 1
        yield number, cells


def json_depth_problem(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """Why ``value`` (parsed JSON) is nested too deeply; None when it is within ``limit`` levels."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return f"is nested more than {limit} levels deep"
        stack.extend((child, depth + 1) for child in children)
    return None


def parse_json(text: str | bytes, source: str) -> Any:
    """One JSON document, refused (:class:`InputRefused`) when it is not JSON, larger than
    :data:`MAX_DOCUMENT_BYTES` or nested more than :data:`MAX_DEPTH` levels."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputRefused(f"{source} is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB, the most a JSON document "
                           "may be (split it, or use JSON lines)")
    try:
        value = json.loads(text)
    except RecursionError:
        raise InputRefused(f"{source} is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        raise InputRefused(f"{source} is not valid JSON: {error.msg} at line {error.lineno}, "
                           f"column {error.colno}") from None
    problem = json_depth_problem(value)
    if problem:
        raise InputRefused(f"{source} {problem}")
    return value


def read_json_file(path: Path, encoding: str = "utf-8") -> Any:
    """The JSON document in ``path`` (see :func:`parse_json`); not UTF-8 text is refused too."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InputRefused(f"{path.name} is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB, the most a JSON "
                           "document may be (split it, or use JSON lines)")
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as error:
        raise InputRefused(f"{path.name} is not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    return parse_json(text, path.name)


@dataclass(frozen=True)
class JsonLine:
    """One line of a JSON lines file: its number and its value, or the problem that keeps it from being read."""

    number: int
    value: Any = None
    problem: str = ""

    @property
    def where(self) -> str:
        return f"line {self.number}"


def json_lines(handle: IO[str]) -> Iterator[JsonLine]:
    """Each non-blank line of a JSON lines file, read one at a time. A line that is not JSON, longer than
    :data:`MAX_LINE_BYTES` characters or nested more than :data:`MAX_DEPTH` levels comes back with its problem
    (the rest of an over-long line is skipped without being held in memory)."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith("\n"):
            while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith("\n"):
                pass
            yield JsonLine(number, problem=f"longer than {MAX_LINE_BYTES // 2**20} MiB, the most one line may be")
            continue
        if line.strip():
            yield parse_json_line(number, line)


def parse_json_line(number: int, line: str) -> JsonLine:
    """Line ``number`` of a JSON lines file, parsed, or with the problem that keeps it from being read."""
    if len(line) > MAX_LINE_BYTES:
        return JsonLine(number, problem=f"longer than {MAX_LINE_BYTES // 2**20} MiB, the most one line may be")
    try:
        value = json.loads(line)
    except RecursionError:
        return JsonLine(number, problem=f"nested more than {MAX_DEPTH} levels deep")
    except json.JSONDecodeError as error:
        return JsonLine(number, problem=f"not a JSON object ({error.msg})")
    problem = json_depth_problem(value)
    return JsonLine(number, problem=problem.removeprefix("is ")) if problem else JsonLine(number, value)


_TYPE_NAMES = {str: "a text", int: "a number", float: "a number", bool: "true or false", list: "a list",
               dict: "an object", type(None): "null"}


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def json_type_problem(value: object, *expected: type) -> str | None:
    """Why ``value`` (from a JSON document) is not of one of the ``expected`` types; None when it is. A boolean
    is not a number here, though Python counts it as one."""
    if isinstance(value, bool) and bool not in expected:
        matches = False
    else:
        matches = isinstance(value, expected)
    if matches:
        return None
    wanted = " or ".join(dict.fromkeys(_TYPE_NAMES.get(kind, kind.__name__) for kind in expected))
    return f"must be {wanted}, not {type_name(value)}"
