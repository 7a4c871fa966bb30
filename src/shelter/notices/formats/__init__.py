"""Readers for the notice formats Shelter imports. Each turns a file into plain :class:`NoticeData`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shelter.notices.formats import ftm, interpol_api, interpol_list
from shelter.notices.formats.records import ChargeData, NoticeData, NoticeFormatError

__all__ = ["ChargeData", "NoticeData", "NoticeFormatError", "ParsedFile", "read_notice_file", "read_notice_path"]


@dataclass(frozen=True)
class ParsedFile:
    format: str
    notices: list[NoticeData]
    skipped: int = 0


def read_notice_file(path: Path) -> ParsedFile:
    """Read ``path`` by its content: Interpol API JSON, FollowTheMoney JSON lines, list CSV or XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return ParsedFile("interpol-list-xlsx", interpol_list.read_xlsx(path))
    if suffix == ".csv":
        return ParsedFile("interpol-list-csv", interpol_list.read_csv(path))
    text = path.read_text(encoding="utf-8-sig")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        if text.lstrip().startswith("{"):
            notices, skipped = ftm.read_lines(text.splitlines())
            return ParsedFile("ftm", notices, skipped)
        raise NoticeFormatError(
            f"{path.name}: not JSON, JSON lines, CSV or XLSX (expected an Interpol API response, "
            "FollowTheMoney entities, or the list-level table)"
        ) from None
    if isinstance(document, dict) and "schema" in document:
        notices, skipped = ftm.read_lines([text])
        return ParsedFile("ftm", notices, skipped)
    return ParsedFile("interpol-api", interpol_api.read_document(document))


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
    skipped = 0
    for file in files:
        try:
            parsed = read_notice_file(file)
        except NoticeFormatError as error:
            raise NoticeFormatError(f"{file.relative_to(path)}: {error}") from None
        notices.extend(parsed.notices)
        skipped += parsed.skipped
    return ParsedFile("interpol-api-directory", notices, skipped)
