"""Every Russian catalogue of Shelter (the project's and each app's) is complete: no entry left untranslated or
fuzzy, and the compiled file is the one its .po file gives. Rendered pages are checked in the browser journeys
(tests/e2e: no interface string shown in English on a Russian page)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "shelter"
CATALOGUES = sorted(SRC.rglob("locale/ru/LC_MESSAGES/django.po"))


def test_the_catalogues_are_found() -> None:
    assert {po.parents[3].name for po in CATALOGUES} >= {"shelter", "notices", "threats", "analytics"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parents[3].name)
def test_every_entry_is_translated(po: Path) -> None:
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]
    assert entries, "empty catalogue"
    assert not [e for e in entries if "#, fuzzy" in e]
    untranslated = [e for e in entries if re.search(r'\nmsgstr ""$', e.strip())]
    assert not untranslated, untranslated[:5]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parents[3].name)
def test_the_compiled_catalogue_is_up_to_date(po: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)
    with fresh.open("rb") as new, po.with_suffix(".mo").open("rb") as kept:
        assert gettext.GNUTranslations(new)._catalog == gettext.GNUTranslations(kept)._catalog  # type: ignore[attr-defined]
