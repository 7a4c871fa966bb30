"""The data files are well formed, and every indicator id the code reports is catalogued."""

from __future__ import annotations

import re
from pathlib import Path

from shelter.triage.catalogue import (
    advice_catalogue,
    brands,
    freemail_domains,
    homoglyphs,
    indicator_catalogue,
    shortener_domains,
    word_lists,
)
from shelter.triage.domains import skeleton

SOURCE = Path(__file__).resolve().parents[2] / "src" / "shelter" / "triage"


def test_every_reported_id_is_catalogued() -> None:
    used = set()
    for path in SOURCE.glob("*.py"):
        used |= set(re.findall(r'(?:finding|said)\(\s*"([A-Z]+-\d\d)"', path.read_text()))
        used |= set(re.findall(r'_record_matches\(\s*"([A-Z]+-\d\d)"', path.read_text()))
    catalogue = indicator_catalogue().indicators
    assert used <= set(catalogue)
    expected = {f"EM-{n:02}" for n in range(1, 12)} | {f"URL-{n:02}" for n in range(1, 10)} | {
        f"ATT-{n:02}" for n in range(1, 7)}
    assert set(catalogue) == expected
    assert expected - {"EM-11"} <= used | {"EM-11"}  # EM-11 is reported from sender.py and check.py


def test_advice_has_both_languages_for_every_situation() -> None:
    advice = advice_catalogue()
    assert {"general", "credentials", "malware", "spyware", "help", "no_indicators"} <= set(advice)
    for texts in advice.values():
        assert len(texts["en"]) == len(texts["ru"]) > 0


def test_brands_cover_the_region_and_domains_are_lower_case() -> None:
    names = " ".join(b.name for b in brands())
    for required in ["Google", "Mail.ru", "Yandex", "VK", "Microsoft", "Apple", "Telegram", "WhatsApp", "Gosuslugi"]:
        assert required in names
    for brand in brands():
        assert brand.domains and all(d == d.lower() and "." in d for d in brand.domains)


def test_word_lists_and_plain_lists() -> None:
    words = word_lists()
    assert "site" in words.cheap_tlds and "login" in words.credential_words and "exe" in words.dangerous_extensions
    assert {"bit.ly", "t.co", "clck.ru"} <= shortener_domains()
    assert {"gmail.com", "mail.ru", "yandex.ru"} <= freemail_domains()


def test_homoglyph_table_folds_known_lookalikes() -> None:
    assert all(len(latin) == 1 and latin.isascii() for latin in homoglyphs().values())
    assert skeleton("аррӏе") == "apple" and skeleton("goog1e") == "google" and skeleton("PayPaI") == "paypal"
