"""Readers for the notice formats Shelter imports. Each turns a file into plain :class:`NoticeData`."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from shelter.intake import MAX_DEPTH, MAX_DOCUMENT_BYTES, json_depth_problem
from shelter.notices.intake.formats import interpol_api, interpol_list
from shelter.notices.intake.formats.records import ChargeData, NoticeData, NoticeFormatError

__all__ = ["UPLOAD_SUFFIXES", "ChargeData", "NoticeData", "NoticeFormatError", "ParsedFile", "read_notice_file",
           "read_notice_path", "read_notice_upload"]

UPLOAD_SUFFIXES = (".json", ".jsonl", ".csv", ".xlsx")


@dataclass(frozen=True)
class ParsedFile:
    format: str
    notices: list[NoticeData]
    skipped: int = 0
    # Values left out, each with its record (e.g. a nationality that names no country).
    notes: tuple[str, ...] = ()


def read_notice_file(path: Path) -> ParsedFile:
    """Read ``path`` (see :func:`_read_file`); a NoticeFormatError names the file."""
    try:
        return _read_file(path)
    except NoticeFormatError as error:
        message = str(error)
        raise NoticeFormatError(message if message.startswith(path.name) else f"{path.name}: {message}") from None


def _ftm() -> ModuleType:
    """The FollowTheMoney reader, imported when a file needs it: the library loads its whole schema (about a second)
    on import, which every command that only reads notices would otherwise pay at start-up."""
    from shelter.notices.intake.formats import ftm

    return ftm


def _read_file(path: Path) -> ParsedFile:
    """Read ``path`` by its content: Interpol API JSON, FollowTheMoney JSON lines, list CSV or XLSX. Text, nesting
    and size are checked as every importer checks them (``shelter.intake``); a value left out (a nationality
    that names no country) is said in the file's ``notes``."""
    suffix = path.suffix.lower()
    notes: list[str] = []
    if suffix == ".xlsx":
        return ParsedFile("interpol-list-xlsx", interpol_list.read_xlsx(path, notes), notes=tuple(notes))
    if suffix == ".csv":
        return ParsedFile("interpol-list-csv", interpol_list.read_csv(path, notes), notes=tuple(notes))
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise NoticeFormatError(f"{path.name} is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB, the most a JSON "
                                "document may be (split it, or use JSON lines)")
    text = path.read_text(encoding="utf-8-sig")
    try:
        document = json.loads(text)
    except RecursionError:
        raise NoticeFormatError(f"{path.name} is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError:
        if text.lstrip().startswith("{"):
            notices, skipped = _ftm().read_lines(text.splitlines(), notes)
            return ParsedFile("ftm", notices, skipped, tuple(notes))
        raise NoticeFormatError(
            f"{path.name}: not JSON, JSON lines, CSV or XLSX (expected an Interpol API response, "
            "FollowTheMoney entities, or the list-level table)"
        ) from None
    if isinstance(document, dict) and "schema" in document:
        notices, skipped = _ftm().read_lines([text], notes)
        return ParsedFile("ftm", notices, skipped, tuple(notes))
    too_deep = json_depth_problem(document)
    if too_deep:
        raise NoticeFormatError(f"{path.name} {too_deep}")
    return ParsedFile("interpol-api", interpol_api.read_document(document, notes), notes=tuple(notes))


def read_notice_path(path: Path) -> ParsedFile:
    """A file, or a directory saved by ``shelter notices fetch`` (every ``*.json`` under it)."""
    if not path.exists():
        raise NoticeFormatError(f"{path}: no such file or directory")
    if not path.is_dir():
        return read_notice_file(path)
    files = sorted(p for p in path.rglob("*.json") if p.name != "query.json")
    if not files:
        raise NoticeFormatError(f"{path}: the directory holds no .json files")
    notices: list[NoticeData] = []
    notes: list[str] = []
    skipped = 0
    for file in files:
        try:
            parsed = _read_file(file)
        except NoticeFormatError as error:
            raise NoticeFormatError(f"{file.relative_to(path)}: {error}") from None
        notices.extend(parsed.notices)
        skipped += parsed.skipped
        notes.extend(f"{file.relative_to(path)}: {note}" for note in parsed.notes)
    return ParsedFile("interpol-api-directory", notices, skipped, tuple(notes))


def read_notice_upload(chunks: Iterable[bytes], suffix: str) -> ParsedFile:
    """Read an uploaded file (a web form's or an API body) of the kind its ``suffix`` names. The bytes are data
    only: written under a neutral name in a private temporary directory and removed once read."""
    suffix = suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise NoticeFormatError(f"expected a {', '.join(UPLOAD_SUFFIXES)} file, not '{suffix or 'no suffix'}'")
    from django.conf import settings

    limit = settings.MAX_UPLOAD_BYTES
    with tempfile.TemporaryDirectory() as directory:
        # JSON lines are recognised by content, so both JSON kinds are read from a .json file.
        path = Path(directory) / f"upload{'.json' if suffix == '.jsonl' else suffix}"
        written = 0
        with path.open("wb") as handle:
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise NoticeFormatError(f"the file is larger than the {limit // 2**20} MiB limit "
                                            "(SHELTER_MAX_UPLOAD_MB)")
                handle.write(chunk)
        try:
            return _read_file(path)
        except UnicodeDecodeError:
            raise NoticeFormatError(f"the {suffix} file is not UTF-8 text") from None
