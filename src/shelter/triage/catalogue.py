"""Loaders for the triage data files in ``data/``: indicator catalogue, advice, brands and word lists.

The lists are data so that a digital-security helper can extend them without touching code;
every loader validates its file and fails with a message naming the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

SEVERITIES = ("critical", "high", "medium", "low", "info")


class CatalogueError(ValueError):
    """A data file in ``shelter/triage/data`` is malformed."""


def data_text(name: str) -> str:
    return resources.files("shelter.triage").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _load_yaml(name: str) -> Any:
    try:
        return yaml.safe_load(data_text(name))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{name}: not valid YAML ({error})") from error


def _load_lines(name: str) -> frozenset[str]:
    """A plain list: one entry per line, '#' starts a comment, compared lower-case."""
    entries = set()
    for line in data_text(name).splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            entries.add(entry)
    return frozenset(entries)


@dataclass(frozen=True)
class IndicatorDefinition:
    id: str
    severity: str
    title: str
    reference: str
    title_ru: str = ""


@dataclass(frozen=True)
class IndicatorCatalogue:
    indicators: dict[str, IndicatorDefinition]
    weights: dict[str, int]


@cache
def indicator_catalogue() -> IndicatorCatalogue:
    raw = _load_yaml("indicators.yaml")
    weights = raw.get("severities")
    if not isinstance(weights, dict) or set(weights) != set(SEVERITIES):
        raise CatalogueError(f"indicators.yaml: 'severities' must give a weight for each of {SEVERITIES}")
    indicators = {}
    for indicator_id, entry in (raw.get("indicators") or {}).items():
        if not isinstance(entry, dict) or not {"severity", "title", "reference"} <= set(entry):
            raise CatalogueError(f"indicators.yaml: {indicator_id} needs severity, title and reference")
        if entry["severity"] not in SEVERITIES:
            raise CatalogueError(
                f"indicators.yaml: {indicator_id} has severity {entry['severity']!r} (expected one of {SEVERITIES})"
            )
        if not str(entry.get("title_ru") or "").strip():
            raise CatalogueError(f"indicators.yaml: {indicator_id} needs title_ru, its title on Russian pages")
        indicators[indicator_id] = IndicatorDefinition(
            indicator_id, entry["severity"], entry["title"], entry["reference"], str(entry["title_ru"])
        )
    return IndicatorCatalogue(indicators, {name: int(weight) for name, weight in weights.items()})


ADVICE_LANGUAGES = ("en", "ru")


@cache
def advice_catalogue() -> dict[str, dict[str, list[str]]]:
    raw = _load_yaml("advice.yaml")
    for situation, texts in raw.items():
        if not isinstance(texts, dict) or set(texts) != set(ADVICE_LANGUAGES):
            raise CatalogueError(f"advice.yaml: {situation} must have exactly the languages {ADVICE_LANGUAGES}")
        if len(texts["en"]) != len(texts["ru"]):
            raise CatalogueError(f"advice.yaml: {situation} has a different number of English and Russian lines")
    return {situation: {lang: list(lines) for lang, lines in texts.items()} for situation, texts in raw.items()}


@dataclass(frozen=True)
class Brand:
    name: str
    kind: str  # "provider" | "state" | "company"
    domains: tuple[str, ...]  # registered domains that legitimately belong to the brand
    tokens: tuple[str, ...]  # words that, inside another domain, imitate the brand
    display_names: tuple[str, ...]  # lower-case phrases that, in a display name, claim to be the brand


@cache
def brands() -> tuple[Brand, ...]:
    raw = _load_yaml("brands.yaml")
    result = []
    for position, entry in enumerate(raw.get("brands") or [], start=1):
        missing = {"name", "kind", "domains"} - set(entry)
        if missing:
            raise CatalogueError(f"brands.yaml: brand #{position} lacks {sorted(missing)}")
        domains = tuple(d.lower() for d in entry["domains"])
        tokens = tuple(t.lower() for t in entry.get("tokens", []))
        if any(len(token) < 2 for token in tokens):
            raise CatalogueError(f"brands.yaml: {entry['name']}: tokens must have at least 2 letters")
        result.append(
            Brand(
                name=entry["name"],
                kind=entry["kind"],
                domains=domains,
                tokens=tokens,
                display_names=tuple(n.lower() for n in entry.get("display_names", [])),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class WordLists:
    credential_words: tuple[str, ...]
    cheap_tlds: frozenset[str]
    authority_lure_words: tuple[str, ...]
    dangerous_extensions: frozenset[str]
    macro_extensions: frozenset[str]
    form_hosts: tuple[str, ...]


@cache
def word_lists() -> WordLists:
    raw = _load_yaml("word_lists.yaml")
    keys = {
        "credential_words", "cheap_tlds", "authority_lure_words", "dangerous_extensions", "macro_extensions", "form_hosts"
    }
    missing = keys - set(raw)
    if missing:
        raise CatalogueError(f"word_lists.yaml: missing lists {sorted(missing)}")
    return WordLists(
        credential_words=tuple(w.lower() for w in raw["credential_words"]),
        cheap_tlds=frozenset(t.lower().lstrip(".") for t in raw["cheap_tlds"]),
        authority_lure_words=tuple(w.lower() for w in raw["authority_lure_words"]),
        dangerous_extensions=frozenset(e.lower().lstrip(".") for e in raw["dangerous_extensions"]),
        macro_extensions=frozenset(e.lower().lstrip(".") for e in raw["macro_extensions"]),
        form_hosts=tuple(h.lower() for h in raw["form_hosts"]),
    )


@cache
def shortener_domains() -> frozenset[str]:
    return _load_lines("shorteners.txt")


@cache
def freemail_domains() -> frozenset[str]:
    return _load_lines("freemail.txt")


@cache
def homoglyphs() -> dict[str, str]:
    """Characters that imitate Latin letters, mapped to the letter they imitate."""
    raw = _load_yaml("homoglyphs.yaml")
    table: dict[str, str] = {}
    for latin, lookalikes in raw.items():
        if not isinstance(latin, str) or not latin.isascii():
            raise CatalogueError(f"homoglyphs.yaml: key {latin!r} must be ASCII")
        for lookalike in lookalikes:
            table[str(lookalike)] = latin
    return table
