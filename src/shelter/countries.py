"""Countries as ISO 3166-1 alpha-2 codes, with names from pycountry."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pycountry
import yaml
from anyascii import anyascii

OTHER_NAMES_FILE = Path(__file__).with_name("data") / "country_names.yaml"


class UnknownCountryError(ValueError):
    pass


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (code, country.alpha_3, country.name, getattr(country, "common_name", None),
                     getattr(country, "official_name", None)):
            if name:
                index[name.casefold()] = code
    # Kosovo has a user-assigned code in common use, including by Interpol.
    index.update({"xk": "XK", "kosovo": "XK"})
    for code, names in yaml.safe_load(OTHER_NAMES_FILE.read_text(encoding="utf-8")).items():
        for name in names:
            index[name.casefold()] = code
    # Also accept names typed without their diacritics ("Turkiye", "Cote d'Ivoire").
    for name, code in list(index.items()):
        index.setdefault(anyascii(name).casefold(), code)
    return index


def country_code(value: str) -> str:
    """An ISO alpha-2 code for a code (alpha-2 or alpha-3), an English name or a common Russian name."""
    code = _index().get(value.strip().casefold())
    if code is None:
        raise UnknownCountryError(f"'{value}' is not a known country (expected an ISO 3166-1 code such as UZ, RU, DE)")
    return code


def country_name(code: str) -> str:
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    return sorted(((c, country_name(c)) for c in codes), key=lambda pair: pair[1])
