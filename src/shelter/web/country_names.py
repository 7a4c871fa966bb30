"""Country names in the interface language (pycountry ships the ISO 3166 names in Russian and other
languages); codes stay ISO 3166-1 alpha-2 everywhere else."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from shelter.countries import country_choices, country_name


@lru_cache(maxsize=8)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language() -> str:
    return (get_language() or "en")[:2]


def localised_country_name(code: str) -> str:
    if not code:
        return ""
    name = country_name(code)
    language = _language()
    return name if language == "en" else _catalogue(language).gettext(name)


@lru_cache(maxsize=8)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    catalogue = _catalogue(language)
    named = ((code, name if language == "en" else catalogue.gettext(name)) for code, name in country_choices())
    return tuple(sorted(named, key=lambda pair: pair[1]))


def localised_country_choices() -> list[tuple[str, str]]:
    return list(_choices(_language()))
