"""Every browser library vendored from npm (scripts/vendor_npm.py) is unmodified and under a licence Shelter
may ship: each file's SHA-256 is the one recorded in its folder's VENDOR.json, beside the package's licence."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MANIFESTS = sorted([*(REPO / "src").rglob("VENDOR.json"), *(REPO / "tests").rglob("VENDOR.json")])


def test_the_vendored_libraries_are_found() -> None:
    names = {entry["name"] for manifest in MANIFESTS for entry in json.loads(manifest.read_text(encoding="utf-8"))}
    assert {"cytoscape", "tom-select", "axe-core"} <= names


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: str(path.parent.relative_to(REPO)))
def test_vendored_files_are_unmodified_and_licensed(manifest: Path) -> None:
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        assert entry["version"] and not entry["license"].upper().startswith(("GPL", "AGPL")), entry["name"]
        assert f"{entry['name']}.LICENSE" in entry["files"], entry["name"]
        for name, digest in entry["files"].items():
            assert hashlib.sha256((manifest.parent / name).read_bytes()).hexdigest() == digest, name
