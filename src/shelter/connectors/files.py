"""Output files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A hidden ``.NAME.partial`` file beside ``target`` to write into; it replaces ``target`` when the block
    completes and is removed when the block fails (a full disk, a refused record), so no half-written file is
    ever left behind."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
