"""Start-up work done once: static files are collected and compressed for a version, not on every start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shelter.platform import STATIC_STAMP, collect_static_files


def test_static_files_are_collected_once_per_version(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    assert collect_static_files() is True
    stamp = tmp_path / "static" / STATIC_STAMP
    collected = tmp_path / "static" / "admin" / "css" / "base.css"
    assert stamp.exists() and collected.exists()
    assert collect_static_files() is False
    # What an earlier version of Shelter (or other static sources) left behind is collected again.
    stamp.write_text("0" * 64 + "\n")
    collected.unlink()
    assert collect_static_files() is True and collected.exists()
    assert stamp.read_text() != "0" * 64 + "\n"
    # A changed storage (e.g. compressed and hashed names in production) needs its own collection.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    assert collect_static_files() is True and (tmp_path / "static" / "staticfiles.json").exists()
    assert collect_static_files() is False
