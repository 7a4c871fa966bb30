"""Country names in the reader's language, for statistics, charts and briefings.

Names come from the ISO 3166-1 translations that ship with pycountry (offline), preferring a country's
common name (Iran, Syria, Bolivia) to its official one; the short forms in common use where those read as
treaty texts are data (``data/country_labels.yaml``).
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml

from shelter.countries import country_name

__all__ = ["LABELS_FILE", "country_choices_in", "country_label"]

LABELS_FILE = Path(__file__).with_name("data") / "country_labels.yaml"


class CountryLabelsError(ValueError):
    pass


@lru_cache(maxsize=1)
def _own_labels() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise CountryLabelsError(f"{LABELS_FILE}: expected a mapping of languages to code: name mappings")
    labels: dict[str, dict[str, str]] = {}
    for language, names in raw.items():
        if not isinstance(names, dict):
            raise CountryLabelsError(f"{LABELS_FILE}: '{language}' must map ISO codes to names")
        for code, name in names.items():
            if not (isinstance(code, str) and (pycountry.countries.get(alpha_2=code) or code == "XK")):
                raise CountryLabelsError(f"{LABELS_FILE}: '{language}': '{code}' is not an ISO 3166-1 alpha-2 code")
            if not isinstance(name, str) or not name.strip():
                raise CountryLabelsError(f"{LABELS_FILE}: '{language}': '{code}' needs a name")
        labels[str(language)] = {str(code): str(name) for code, name in names.items()}
    return labels


@lru_cache(maxsize=8)
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


@lru_cache(maxsize=4096)
def country_label(code: str, language: str = "en") -> str:
    """``code``'s name in ``language`` (``en`` or ``ru``; the English name when there is no translation)."""
    language = (language or "en")[:2]
    own = _own_labels().get(language, {}).get(code)
    if own:
        return own
    english = country_name(code)
    return english if language == "en" else _translation(language).gettext(english)


@lru_cache(maxsize=8)
def country_choices_in(language: str) -> list[tuple[str, str]]:
    """Every country as (code, name in ``language``), sorted by name."""
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    return sorted(((code, country_label(code, language)) for code in codes), key=lambda pair: pair[1])
