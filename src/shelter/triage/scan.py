"""Batch triage of a folder of .eml files, an mbox file or a Maildir."""

from __future__ import annotations

import csv
import io
import json
import mailbox
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from shelter.triage.report import analyse_email
from shelter.triage.store import IndicatorStore


class ScanError(ValueError):
    """The path to scan is not a message, a folder of messages, an mbox or a Maildir."""


@dataclass(frozen=True)
class ScanRow:
    source: str
    verdict: str
    score: int
    subject: str
    sender: str
    indicators: str  # indicator ids, space-separated
    spyware: str
    sha256: str


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(5) == b"From "


def iter_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, raw bytes) of each message under ``path``; a label names the file or the mbox position."""
    if path.is_dir():
        if _is_maildir(path):
            box = mailbox.Maildir(path, create=False)
            for key in sorted(box.iterkeys()):
                yield f"{path.name}/{key}", box.get_bytes(key)
            return
        for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".eml", ".msg.eml"}):
            yield str(file.relative_to(path)), file.read_bytes()
        return
    if not path.is_file():
        raise ScanError(f"{path}: no such file or folder")
    if _looks_like_mbox(path):
        mbox = mailbox.mbox(path, create=False)
        for position, key in enumerate(mbox.iterkeys(), start=1):
            yield f"{path.name}#{position}", mbox.get_bytes(key)
        return
    yield path.name, path.read_bytes()


def count_messages(path: Path) -> int:
    if path.is_dir():
        if _is_maildir(path):
            return len(mailbox.Maildir(path, create=False))
        return sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".eml")
    if path.is_file() and _looks_like_mbox(path):
        return len(mailbox.mbox(path, create=False))
    return 1 if path.is_file() else 0


def scan(path: Path, store: IndicatorStore, on_message: Callable[[str], None] | None = None) -> list[ScanRow]:
    rows = []
    for label, raw in iter_messages(path):
        report = analyse_email(raw, store)
        rows.append(
            ScanRow(
                source=label,
                verdict=report.verdict.verdict,
                score=report.verdict.score,
                subject=report.subject,
                sender=report.sender,
                indicators=" ".join(sorted({f.id for f in report.verdict.findings})),
                spyware=" ".join(report.verdict.spyware),
                sha256=report.sha256,
            )
        )
        if on_message is not None:
            on_message(label)
    return rows


def rows_as_csv(rows: list[ScanRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ScanRow.__dataclass_fields__))
    writer.writeheader()
    for row in rows:
        # A subject starting with = + - @ would be read as a formula by spreadsheet programs.
        record = {k: ("'" + v if isinstance(v, str) and v and v[0] in "=+-@" else v) for k, v in asdict(row).items()}
        writer.writerow(record)
    return buffer.getvalue()


def rows_as_json(rows: list[ScanRow]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2)
