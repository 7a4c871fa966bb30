"""Every write goes through ``shelter.access.writes``: no other module sets the history user by hand, and role
refusals are Django's ``PermissionDenied`` raised there, not ``PermissionError`` or a hand-made HTTP 403."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "shelter"
WRITE_PATH = SOURCE / "access" / "writes.py"
FORBIDDEN = {
    "sets the history user by hand (use access.writes.save_record / save_audited)": re.compile(r"\._history_user\s*="),
    "writes history rows by hand (use access.writes.create_in_bulk)":
        re.compile(r"bulk_history_create|bulk_create_with_history|[\"']history_user_id[\"']"),
    "refuses with PermissionError (use access.writes.require_editor / require_curator)":
        re.compile(r"raise PermissionError\b"),
    "refuses with a hand-made 403 (raise PermissionDenied through access.writes)": re.compile(r"HttpError\(\s*403"),
}


@pytest.mark.parametrize("rule", sorted(FORBIDDEN))
def test_no_write_bypasses_the_audited_path(rule: str) -> None:
    offenders = [f"{path.relative_to(SOURCE)}:{number}"
                 for path in sorted(SOURCE.rglob("*.py")) if path != WRITE_PATH and "migrations" not in path.parts
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if FORBIDDEN[rule].search(line)]
    assert not offenders, f"{rule}: {', '.join(offenders)}"
