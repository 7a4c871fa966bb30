"""The interface in English and Russian: every string translated, the compiled catalogue up to date."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src" / "shelter"
PO = SRC / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
UI_TEMPLATES = [*(SRC / "templates").glob("base.html"), *(SRC / "templates" / "web").rglob("*.html"),
                *(SRC / "templates" / "registry").rglob("*.html"), *(SRC / "templates" / "incidents").rglob("*.html"),
                *(SRC / "templates" / "registration").rglob("*.html"), *(SRC / "web" / "templates").rglob("*.html")]
TRANSLATE_TAG = re.compile(r'{%\s*translate\s+"([^"]+)"|{%\s*translate\s+\'([^\']+)\'')
BLOCK_TAG = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.DOTALL)


def catalogue() -> dict[str, str]:
    with MO.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def test_every_template_string_has_a_russian_translation() -> None:
    translated = catalogue()
    missing = []
    for template in UI_TEMPLATES:
        text = template.read_text(encoding="utf-8")
        found = [a or b for a, b in TRANSLATE_TAG.findall(text)]
        found += [re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body) for body in BLOCK_TAG.findall(text)]
        missing += [f"{template.name}: {msgid}" for msgid in found if not translated.get(msgid)]
    assert not missing, missing


def test_po_file_has_no_untranslated_or_fuzzy_entries() -> None:
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries, "empty catalogue"
    assert not [e for e in entries if "#, fuzzy" in e]
    untranslated = [e for e in entries if re.search(r'\nmsgstr ""$', e.strip())]
    assert not untranslated, untranslated[:5]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_compiled_catalogue_matches_the_po_file(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as handle:
        assert dict(gettext.GNUTranslations(handle)._catalog) == catalogue()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pages_switch_to_russian(records, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Инциденты" in page and "Государство-инициатор" in page and "Задержание за рубежом" in page
    page = client.get(records["internal"]["incident"].get_absolute_url()).content.decode()
    assert "История" in page and "Цели" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Origin state" in client.get(reverse("incidents:list")).content.decode()
