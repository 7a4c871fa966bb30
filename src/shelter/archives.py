"""What a ZIP container (an uploaded XLSX workbook, a backup) may unpack to, checked before it is read.

A 1 MB file can unpack to gigabytes: deflate shrinks repeated text a thousandfold, and a workbook's table of
shared strings is read into memory whole. Every reader that opens a ZIP container calls :func:`check_archive`
first. It reads only the archive's directory and, for a workbook, counts its shared strings while streaming
them, up to one more than the limit: nothing is held in memory.

The sizes checked are those the archive declares. Python's ``zipfile`` (which openpyxl uses) never unpacks a
member beyond its declared size: a member that lies about it fails its checksum instead.
"""

from __future__ import annotations

import datetime
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.parsers import expat

from django.conf import settings

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MiB = 1024 * 1024
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# Element names as expat reports them with namespace_separator="}": "namespace}name".
SHARED_STRING_TAG = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"
CONTENT_TYPES_LIMIT = MiB
CHUNK = MiB


class ArchiveRefused(ValueError):
    """The file is not a readable ZIP container, or unpacks to more than the limits; the message says which."""


@dataclass(frozen=True)
class ArchiveLimits:
    unpacked_bytes: int
    members: int | None = None
    shared_strings: int | None = None
    # What sets the unpacked limit, named in the refusal.
    unpacked_limit: str = "SHELTER_MAX_UNPACKED_MB"


def upload_limits() -> ArchiveLimits:
    """The limits for an uploaded or imported workbook (``SHELTER_MAX_UNPACKED_MB``, ``SHELTER_MAX_SHARED_STRINGS``)."""
    return ArchiveLimits(unpacked_bytes=settings.MAX_UNPACKED_BYTES, members=1000,
                         shared_strings=settings.MAX_SHARED_STRINGS)


def check_archive(path: Path | IO[bytes], limits: ArchiveLimits | None = None) -> None:
    """Refuse ``path`` (a file, or its bytes as a stream; ArchiveRefused) unless it is a ZIP container within
    ``limits`` (default: an upload's)."""
    limits = limits or upload_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(archive, limits)
            if limits.shared_strings is not None:
                _check_shared_strings(archive, limits.shared_strings)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, zlib.error) as error:
        raise ArchiveRefused(f"not a readable XLSX workbook or ZIP archive ({error})") from None
    except expat.ExpatError as error:
        raise ArchiveRefused(f"not a readable XLSX workbook: its XML is damaged ({expat.ErrorString(error.code)})") from None


def _check_members(archive: zipfile.ZipFile, limits: ArchiveLimits) -> None:
    members = archive.infolist()
    if limits.members is not None and len(members) > limits.members:
        raise ArchiveRefused(f"refused: it holds {len(members)} files, more than the {limits.members} allowed")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.unpacked_bytes:
        raise ArchiveRefused(f"refused: it unpacks to {_size(unpacked)}, more than the {_size(limits.unpacked_bytes)} "
                             f"allowed ({limits.unpacked_limit})")


def _check_shared_strings(archive: zipfile.ZipFile, limit: int) -> None:
    """Count the workbook's shared strings where openpyxl finds them: the part [Content_Types].xml names."""
    part = _shared_strings_part(archive)
    if part is None:
        return
    with archive.open(part) as stream:
        count = _count_shared_strings(stream, limit)
    if count > limit:
        raise ArchiveRefused(f"refused: the workbook holds more than {limit:,} distinct texts (shared strings), the most "
                             "allowed (SHELTER_MAX_SHARED_STRINGS)")


def _shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    try:
        info = archive.getinfo(CONTENT_TYPES)
    except KeyError:
        return None  # not a workbook: openpyxl refuses it on its own
    if info.file_size > CONTENT_TYPES_LIMIT:
        raise ArchiveRefused(f"refused: its {CONTENT_TYPES} is larger than {_size(CONTENT_TYPES_LIMIT)}")
    found: list[str] = []

    def override(name: str, attributes: dict[str, str]) -> None:
        if name.endswith("}Override") and attributes.get("ContentType") == SHARED_STRINGS_TYPE:
            found.append(attributes.get("PartName", "").lstrip("/"))

    with archive.open(info) as stream:
        _parse(stream, override, lambda: False)
    return next((name for name in found if name in archive.NameToInfo), None)


def _count_shared_strings(stream: IO[bytes], limit: int) -> int:
    count = 0

    def element(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        if name == SHARED_STRING_TAG:
            count += 1

    _parse(stream, element, lambda: count > limit)
    return count


def _parse(stream: IO[bytes], on_element: Callable[[str, dict[str, str]], None], enough: Callable[[], bool]) -> None:
    """Stream ``stream`` through expat, calling ``on_element`` for each element, until ``enough()``. A document
    type declaration (the way to define entities that expand a little text into a lot) is refused."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = on_element

    def refuse(*_args: object) -> None:
        raise ArchiveRefused("refused: the workbook's XML declares a document type, which workbooks never need")

    parser.StartDoctypeDeclHandler = refuse
    while (chunk := stream.read(CHUNK)) and not enough():
        parser.Parse(chunk, False)
    if not enough():
        parser.Parse(b"", True)


def _size(count: int) -> str:
    return f"{count / MiB:,.0f} MiB" if count >= MiB else f"{count:,} bytes"


def open_workbook(path: Path, *, data_only: bool = False) -> Workbook:
    """The XLSX workbook at ``path``, opened to be read row by row once :func:`check_archive` let it through; the
    caller closes it. ``data_only`` reads a formula cell's last computed value instead of its formula.
    ArchiveRefused, naming the file, when it is refused or cannot be read."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_archive(path)
    except ArchiveRefused as error:
        raise ArchiveRefused(f"{path.name}: {error}") from None
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ArchiveRefused(f"{path.name} is not a readable XLSX workbook ({error})") from None


def cell_text(value: Any) -> str:
    """A workbook cell's value as a CSV file would hold it: empty for none, a date as YYYY-MM-DD, a whole number
    without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
