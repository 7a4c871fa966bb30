"""Content-addressed storage of archived evidence files under ``SHELTER_HOME/evidence``.

Files are stored by SHA-256, never executed, and never served inline unless their type is known safe.
The stored name is the digest, so an uploaded file's own name never touches the filesystem.

A file belongs to the source it was uploaded to: the digest is computed here from the uploaded bytes (a
caller can never name one), and a file is downloaded through its source (:func:`download`), so only a caller
who may see that source can fetch it. Holding a digest gives no way in, and confirms nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import FileResponse, Http404

if TYPE_CHECKING:
    from shelter.incidents.models import Source

# A source's fields describing its archived file: set from the uploaded bytes only, never from a caller.
FILE_FIELDS = ("file_sha256", "file_name", "file_size", "file_type")
# Types a browser may show inline; everything else is offered as a download with a neutral type.
INLINE_SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"})
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


class EvidenceTooLarge(ValueError):
    pass


@dataclass(frozen=True)
class StoredEvidence:
    sha256: str
    size: int
    media_type: str


def evidence_dir() -> Path:
    path = Path(settings.EVIDENCE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"'{sha256}' is not a SHA-256 digest")
    return evidence_dir() / sha256[:2] / sha256


def sniff_media_type(head: bytes) -> str:
    """The type from the file's first bytes, never from its name or the uploader's claim."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def store_evidence(chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredEvidence:
    """Stream ``chunks`` into the store; return digest, size and sniffed type. Idempotent per content."""
    limit = max_bytes if max_bytes is not None else settings.MAX_UPLOAD_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    directory = evidence_dir()
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise EvidenceTooLarge(f"the file is larger than the {limit // (1024 * 1024)} MiB limit")
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                digest.update(chunk)
                handle.write(chunk)
        sha = digest.hexdigest()
        final = path_for(sha)
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            os.unlink(temp_name)
        else:
            os.chmod(temp_name, 0o440)
            os.replace(temp_name, final)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
    return StoredEvidence(sha, size, sniff_media_type(head))


def read_evidence(sha256: str) -> bytes:
    return path_for(sha256).read_bytes()


def attach_file(source: Source, chunks: Iterable[bytes], file_name: str) -> StoredEvidence:
    """Store uploaded bytes and make them ``source``'s archived file (saved with the source by the caller).
    The uploader's file name is kept as text only; the stored file is named by its digest."""
    stored = store_evidence(chunks)
    source.file_sha256, source.file_size, source.file_type = stored.sha256, stored.size, stored.media_type
    source.file_name = file_name[:255]
    return stored


def download(source: Source) -> FileResponse:
    """The archived file of ``source`` (already found through the visibility filter) as an attachment; a source
    without a file, or whose file is not in the store, answers 404 like a hidden or missing source."""
    if not source.file_sha256:
        raise Http404
    try:
        path = path_for(source.file_sha256)
    except ValueError:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    media_type = source.file_type if source.file_type in INLINE_SAFE_TYPES else "application/octet-stream"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=source.file_name or source.file_sha256,
                            content_type=media_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
