"""Rendered files kept on disk, so that a new process does not start a renderer for what an earlier process
already rendered: chart images under ``SHELTER_HOME/cache/charts``, briefing PDFs under
``SHELTER_HOME/cache/briefings``. The cache may be deleted at any time and need not be backed up.

A file is named by the SHA-256 digest of everything it is made from: the renderer's name and version, the output
format and the input the renderer reads (a chart's specification, which carries its data inline: the figures as
the reader who asked sees them, after the visibility filter and, for the public, the merging of small counts).
A kept file is therefore only ever returned for exactly the input it was rendered from: a reader who sees other
data has another specification and so another file, and a change of data gives a new name (the old file is no
longer asked for and is removed once the cache holds more than :data:`MAX_FILES`, least recently used first, or,
for a kind kept for a limited time, once it is older than that whenever a file of its kind is written).
Files are written whole (a temporary file renamed into place), readable by their owner only; when the cache
cannot be written the file is rendered as if there were none.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from django.conf import settings

__all__ = ["MAX_FILES", "cache_dir", "kept"]

MAX_FILES = 2000


def cache_dir(kind: str) -> Path:
    return Path(settings.SHELTER_HOME) / "cache" / kind


def _name(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        # Each part's length goes first, so no two different lists of parts give the same stream.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def kept(kind: str, suffix: str, parts: Iterable[str | bytes], render: Callable[[], bytes],
         max_age: float | None = None) -> bytes:
    """The file of ``kind`` made from ``parts``: read from the cache, or made by ``render()`` and kept (for at
    most ``max_age`` seconds after it was made, when given).

    ``parts`` must name everything the output depends on, the renderer's version included."""
    path = cache_dir(kind) / f"{_name(parts)}.{suffix}"
    try:
        with open(path, "rb") as handle:
            if max_age is not None and time.time() - os.fstat(handle.fileno()).st_mtime > max_age:
                raise FileNotFoundError(path)
            content = handle.read()
    except OSError:
        content = render()
        _keep(path, content, max_age)
        return content
    if max_age is None:
        with suppress(OSError):
            os.utime(path)  # recently used: kept longest
    return content


def _keep(path: Path, content: bytes, max_age: float | None) -> None:
    try:
        for directory in (path.parent.parent, path.parent):
            directory.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as output:
                output.write(content)
            os.replace(temporary, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(path.parent, max_age)
    except OSError:
        return


def _prune(directory: Path, max_age: float | None) -> None:
    entries = sorted((entry.stat().st_mtime, entry.path) for entry in os.scandir(directory)
                     if entry.is_file() and not entry.name.startswith("."))
    oldest_kept = time.time() - max_age if max_age is not None else float("-inf")
    excess = len(entries) - MAX_FILES * 9 // 10 if len(entries) > MAX_FILES else 0
    for index, (modified, name) in enumerate(entries):
        if index >= excess and modified >= oldest_kept:
            break
        with suppress(OSError):
            os.unlink(name)
