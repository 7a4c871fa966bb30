"""Helpers for connector tests: fixture paths, the CLI runner, and a silent progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from shelter.connectors.base import no_progress

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connectors"
SILENT = no_progress


def fixture(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture
def shelter_cli() -> Any:
    """``shelter_cli("import", path, ...)`` runs the real ``shelter`` command in-process."""
    from shelter.cli import main

    def run(*args: object, input: str | None = None) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
