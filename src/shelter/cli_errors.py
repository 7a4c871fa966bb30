"""What the ``shelter`` command says when a command fails: one line on standard error and exit status 2.

Failures the operator can act on (a bad input file, a full disk, a port in use, a database that is not there)
are explained in one line naming the file or setting at fault. Anything else is a fault in Shelter: its
traceback goes to a file under ``SHELTER_HOME/logs`` and the line names that file; ``shelter --debug COMMAND``
shows the traceback on the console instead. Imported only when a command has failed.
"""

from __future__ import annotations

import csv
import errno
import os
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import click

EXIT_ERROR = 2
SUMMARY_LIMIT = 160

# Errors raised by Shelter's readers and services with a message written for the person at the console
# ("module:class"; a class whose module was never imported cannot have been raised).
PROJECT_ERRORS = (
    "django.core.exceptions:ValidationError",
    "shelter.platform:NotReady",
    "shelter.intake:InputRefused",
    "shelter.connectors.base:ImportRefused",
    "shelter.connectors.backup:BackupError",
    "shelter.notices.intake.formats.records:NoticeFormatError",
    "shelter.notices.intake.connector:FetchError",
    "shelter.names.screening:InputError",
    "shelter.names.tables:TableError",
    "shelter.names.index:IndexFileError",
    "shelter.names.dates:PartialDateError",
    "shelter.partial_dates:PartialDateError",
    "shelter.triage.feed_formats:FeedError",
    "shelter.triage.scan:ScanError",
    "shelter.triage.check:UnrecognisedValue",
    "shelter.triage.catalogue:CatalogueError",
    "shelter.threats.services:TriageInputError",
    "shelter.access.services:AccessError",
    "shelter.countries:UnknownCountryError",
    "shelter.incidents.evidence:EvidenceTooLarge",
    "shelter.indicators.model:CaseFactsError",
    "shelter.indicators.catalogue:CatalogueError",
    "shelter.analytics.country_labels:CountryLabelsError",
    "shelter.analytics.recommendations:RecommendationError",
    "shelter.demo:DemoDataError",
)
# Errors from the standard library and the file readers Shelter uses that mean "this file is damaged or not
# what it claims to be".
UNREADABLE_FILE_ERRORS = (
    "zipfile:BadZipFile",
    "zlib:error",
    "xml.etree.ElementTree:ParseError",
    "xml.parsers.expat:ExpatError",
    "openpyxl.utils.exceptions:InvalidFileException",
    "defusedxml.common:DefusedXmlException",
    "email.errors:MessageError",
)
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


class Failure(click.ClickException):
    """A failed command, explained in one line."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """``text`` without line breaks or control characters: content read from a file must not drive the terminal."""
    flat = " ".join(str(text).split())
    return "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in flat)


def _loaded(names: tuple[str, ...]) -> tuple[type[BaseException], ...]:
    classes = []
    for target in names:
        module_name, class_name = target.split(":")
        module = sys.modules.get(module_name)
        found = getattr(module, class_name, None) if module is not None else None
        if isinstance(found, type) and issubclass(found, BaseException):
            classes.append(found)
    return tuple(classes)


def _innermost_context(error: BaseException) -> click.Context | None:
    """The context of the sub-command that was running (its frame is the deepest that holds one)."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        candidate = trace.tb_frame.f_locals.get("ctx")
        if isinstance(candidate, click.Context):
            found = candidate
        trace = trace.tb_next
    return found


def _input_files(ctx: click.Context | None) -> list[str]:
    """The files the command was given to read: arguments and options of type ``click.Path(exists=True)``
    or ``click.File`` opened for reading."""
    if ctx is None:
        return []
    names = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None:
            continue
        kind = param.type
        reads = (isinstance(kind, click.Path) and kind.exists) or (isinstance(kind, click.File) and "r" in kind.mode)
        if not reads:
            continue
        for item in value if isinstance(value, (tuple, list)) else (value,):
            names.append(os.fspath(item) if isinstance(item, (str, os.PathLike)) else str(getattr(item, "name", item)))
    return list(dict.fromkeys(names))


def _prefix(files: list[str]) -> str:
    return f"{' or '.join(files)}: " if files else ""


def _database_problem(error: BaseException) -> str | None:
    from django.db import DatabaseError

    if not isinstance(error, DatabaseError):
        return None
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "disk is full" in lowered or "no space left" in lowered:
        return ("no space left for the database; nothing was written. Free some space and run the command "
                "again (see docs/operations.md)")
    if "no such table" in lowered or "no such column" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return (f"the database does not have the tables this version of Shelter needs ({text}): run "
                "`shelter migrate`, and check that SHELTER_HOME or SHELTER_DATABASE_URL points at your installation")
    if "database is locked" in lowered:
        return "the database is busy with another command (database is locked); nothing was written, try again"
    if "unable to open database file" in lowered or "could not connect" in lowered or "connection" in lowered:
        return (f"cannot open the database ({text}); check SHELTER_HOME or SHELTER_DATABASE_URL and that the "
                "database server is running")
    return f"database error: {text}"


def _write_log(error: BaseException) -> Path | None:
    """Keep the traceback in ``SHELTER_HOME/logs`` (readable by the owner only); None when nothing can be written."""
    from shelter import config

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = (f"shelter {' '.join(sys.argv[1:])}\nat {datetime.now(UTC).isoformat()}, Python {sys.version.split()[0]}\n\n"
            + "".join(traceback.format_exception(error)))
    for directory in _log_directories(config):
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = directory / f"error-{stamp}-{os.getpid()}.log"
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return None


def _log_directories(config: object) -> Iterator[Path]:
    try:
        yield config.shelter_home() / "logs"  # type: ignore[attr-defined]
    except OSError:
        pass
    yield Path(tempfile.gettempdir()) / "shelter-logs"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and the exceptions it was raised from or while handling, innermost last."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def explain(error: Exception) -> Failure:
    """The one line (and exit status 2) for a command that raised ``error``."""
    files = _input_files(_innermost_context(error))
    if isinstance(error, _loaded(PROJECT_ERRORS)):
        validation = sys.modules.get("django.core.exceptions")
        if validation is not None and isinstance(error, validation.ValidationError):
            from shelter.access.writes import describe

            return Failure(describe(error))
        return Failure(str(error))
    if isinstance(error, RecursionError):
        return Failure(f"{_prefix(files)}nested too deeply to read (more than {sys.getrecursionlimit()} levels); "
                       "nothing was written")
    if isinstance(error, MemoryError):
        return Failure(f"{_prefix(files)}too large to read with the memory available; nothing was written")
    if isinstance(error, UnicodeDecodeError):
        byte = error.object[error.start:error.start + 1].hex() if isinstance(error.object, bytes) else "?"
        return Failure(f"{_prefix(files)}not UTF-8 text (byte 0x{byte}: {error.reason}); save it as UTF-8 and run "
                       "the command again")
    if isinstance(error, csv.Error):
        if "field larger than field limit" in str(error):
            return Failure(f"{_prefix(files)}a field is longer than the {csv.field_size_limit():,} characters "
                           "allowed; nothing was written")
        return Failure(f"{_prefix(files)}not readable as CSV ({error}); nothing was written")
    if isinstance(error, _loaded(UNREADABLE_FILE_ERRORS)):
        return Failure(f"{_prefix(files)}damaged or not a file of the expected kind ({type(error).__name__}: "
                       f"{error}); nothing was written")
    # A database or disk problem may come wrapped (e.g. Django's dumpdata raises CommandError from it).
    for cause in _causes(error):
        database = _database_problem(cause) if "django.db" in sys.modules else None
        if database:
            return Failure(database)
        if isinstance(cause, OSError) and cause.errno in NO_SPACE:
            where = f" (writing {cause.filename})" if cause.filename else ""
            return Failure(f"no space left on the device{where}; free some space and run the command again "
                           "(see docs/operations.md)")
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return Failure(f"{where}{error.strerror}")
    log = _write_log(error)
    where = f"the traceback is in {log}" if log else "no log file could be written"
    summary = one_line(f"{type(error).__name__}: {error}")[:SUMMARY_LIMIT]
    return Failure(f"unexpected error, {where} (run again with `shelter --debug ...` to see it here; please "
                   f"report it): {summary}")
