"""The app's pure modules (the assessment rules, the taxonomy, the file and dataset readers) run without Django
and are typed strictly, like the other pure cores."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ("shelter.surveillance.assess", "shelter.surveillance.taxonomy", "shelter.surveillance.rows")


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_django(module: str) -> None:
    probe = f"import sys, {module}; sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr or f"{module} imports Django"


def test_pure_modules_are_on_the_strict_mypy_list() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    strict = {module for override in config["tool"]["mypy"]["overrides"] if override.get("strict")
              for module in override["module"]}
    assert set(PURE) <= strict, sorted(set(PURE) - strict)
