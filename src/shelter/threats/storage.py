"""Stored messages: content-addressed by the SHA-256 of the raw message, kept gzip-compressed under
``SHELTER_HOME/messages`` so that no attachment ever lies on disk in a form a program would open."""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

from django.conf import settings


def messages_dir() -> Path:
    path = Path(settings.SHELTER_HOME) / "messages"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"'{sha256}' is not a SHA-256 digest")
    return messages_dir() / sha256[:2] / f"{sha256}.gz"


def store_message(raw: bytes, sha256: str) -> None:
    final = _path_for(sha256)
    if final.exists():
        return
    final.parent.mkdir(exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(gzip.compress(raw))
        os.chmod(temp_name, 0o440)
        os.replace(temp_name, final)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def load_message(sha256: str) -> bytes:
    return gzip.decompress(_path_for(sha256).read_bytes())
