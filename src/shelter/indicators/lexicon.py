"""Charge-term lexicons (``catalogue/charge_terms.yaml``, ``catalogue/charge_kinds.yaml``) and the phrase matcher.

Text and patterns go through the same folding (lower case, combining marks removed), so that accents,
Cyrillic ё and typing variants do not decide a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from shelter.indicators.files import CATALOGUE_DIR, CatalogueError, read_yaml
from shelter.indicators.model import CATEGORIES, OFFENCES, Source

KINDS_FILE = CATALOGUE_DIR / "charge_kinds.yaml"
TERMS_FILE = CATALOGUE_DIR / "charge_terms.yaml"
MAX_GAP = 2  # other words allowed between two words of a pattern, stopwords not counted
_WORD_CACHE_LIMIT = 200_000  # per-word caches are emptied beyond this, so a long-running server stays bounded

# Uzbek Latin writes oʻ and gʻ with an apostrophe of some kind: it stays inside the word ("oʻldirish",
# "o'ldirish"), where other languages' apostrophes (French "l'organisation") separate words.
_APOSTROPHES = "'‘’ʻʼ`"
_WORD = re.compile(r"\w*[ogOG][" + _APOSTROPHES + r"]\w+|\w+")
# Letters typed interchangeably: Turkish and Azerbaijani dotless ı (upper-case I folds to i).
_SAME_LETTER = str.maketrans({"ı": "i", **{mark: None for mark in _APOSTROPHES}})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_SAME_LETTER)


@dataclass(frozen=True)
class Token:
    folded: str
    start: int
    end: int


@lru_cache(maxsize=16384)
def tokenise(text: str) -> tuple[Token, ...]:
    return tuple(Token(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))


@dataclass(frozen=True)
class WordMatcher:
    """One word of a pattern: exact words and word prefixes (``terror*``)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, word: str) -> bool:
        return word in self.exact or word.startswith(self.prefixes)

    @classmethod
    def parse(cls, spec: str) -> WordMatcher:
        exact, prefixes = [], []
        for alternative in spec.split("|"):
            if alternative.endswith("*"):
                prefixes.append(fold(alternative[:-1]))
            else:
                exact.append(fold(alternative))
        return cls(frozenset(exact), tuple(prefixes))


@dataclass(frozen=True)
class ChargeKind:
    name: str
    concrete_act: bool
    category: str | None
    indicators: tuple[str, ...]
    explains: bool
    description: str
    offence: str | None = None
    description_ru: str = ""
    label_ru: str = ""

    @property
    def descriptions(self) -> dict[str, str]:
        """The description in each language the catalogue gives."""
        return {"en": self.description, "ru": self.description_ru}

    @property
    def labels(self) -> dict[str, str]:
        """The kind's name in each language the catalogue gives (in English its name, with spaces)."""
        return {"en": self.name.replace("_", " "), "ru": self.label_ru}


@dataclass(frozen=True)
class TermPattern:
    text: str
    language: str
    kind: str
    words: tuple[WordMatcher, ...]
    verified: bool
    note: str | None
    connective: bool
    offence: str | None = None  # the offence the term names (its group's, else its kind's)


@dataclass(frozen=True)
class Provision:
    state: str
    article: str
    kind: str
    description: str
    verified: bool
    offence: str | None = None
    description_ru: str = ""

    @property
    def descriptions(self) -> dict[str, str]:
        return {"en": self.description, "ru": self.description_ru}


@dataclass(frozen=True)
class TermMatch:
    pattern: TermPattern
    first: int  # index into the count's content words
    last: int

    @property
    def width(self) -> int:
        return len(self.pattern.words)


@dataclass
class LanguageLexicon:
    code: str
    name: str
    stopwords: frozenset[str]
    filler: WordMatcher
    patterns: tuple[TermPattern, ...]
    sources: tuple[Source, ...] = ()
    _by_exact: dict[str, list[TermPattern]] = field(default_factory=dict)
    _by_prefix: dict[str, list[TermPattern]] = field(default_factory=dict)
    _longest_prefix: int = 0
    _candidate_cache: dict[str, tuple[TermPattern, ...]] = field(default_factory=dict)
    _filler_cache: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Index patterns by their first word so that matching a count costs a few dictionary look-ups
        # per word instead of a pass over every pattern.
        for pattern in self.patterns:
            first = pattern.words[0]
            for word in first.exact:
                self._by_exact.setdefault(word, []).append(pattern)
            for prefix in first.prefixes:
                self._by_prefix.setdefault(prefix, []).append(pattern)
                self._longest_prefix = max(self._longest_prefix, len(prefix))

    def content_words(self, tokens: Sequence[Token]) -> list[Token]:
        return [token for token in tokens if token.folded not in self.stopwords]

    def is_filler(self, word: str) -> bool:
        known = self._filler_cache.get(word)
        if known is None:
            if len(self._filler_cache) >= _WORD_CACHE_LIMIT:
                self._filler_cache.clear()
            known = self._filler_cache[word] = word.isdigit() or len(word) < 2 or self.filler.matches(word)
        return known

    def own_word_count(self, words: Sequence[str]) -> int:
        """Words that are this language's stopwords or fillers (not digits or single letters)."""
        return sum(
            w in self.stopwords or (len(w) > 1 and not w.isdigit() and self.is_filler(w)) for w in words
        )

    def _candidates(self, word: str) -> tuple[TermPattern, ...]:
        cached = self._candidate_cache.get(word)
        if cached is None:
            found = list(self._by_exact.get(word, ()))
            for length in range(1, min(len(word), self._longest_prefix) + 1):
                found.extend(self._by_prefix.get(word[:length], ()))
            if len(self._candidate_cache) >= _WORD_CACHE_LIMIT:
                self._candidate_cache.clear()
            cached = self._candidate_cache[word] = tuple(found)
        return cached

    def find(self, words: Sequence[str]) -> list[TermMatch]:
        """All pattern matches in a count, longest first, without overlaps."""
        matches = []
        for start, word in enumerate(words):
            for pattern in self._candidates(word):
                last = _match_rest(pattern.words, words, start)
                if last is not None:
                    matches.append(TermMatch(pattern, start, last))
        if len(matches) < 2:
            return matches
        # Offence terms first, longest first; connecting words only fill what is left.
        matches.sort(key=lambda m: (m.pattern.connective, -m.width, -(m.last - m.first), m.first))
        taken = [False] * len(words)
        kept = []
        for match in matches:
            if any(taken[match.first : match.last + 1]):
                continue
            taken[match.first : match.last + 1] = [True] * (match.last - match.first + 1)
            kept.append(match)
        kept.sort(key=lambda m: m.first)
        return kept


def _match_rest(pattern: Sequence[WordMatcher], words: Sequence[str], start: int) -> int | None:
    position = start
    end = len(words)
    for matcher in pattern[1:]:
        found = -1
        for i in range(position + 1, min(end, position + 2 + MAX_GAP)):
            if matcher.matches(words[i]):
                found = i
                break
        if found < 0:
            return None
        position = found
    return position


@dataclass(frozen=True)
class Lexicon:
    kinds: Mapping[str, ChargeKind]
    languages: Mapping[str, LanguageLexicon]
    provisions: tuple[Provision, ...]

    _supporting: dict[str, frozenset[str]] = field(default_factory=dict)

    def provisions_for(self, state: str) -> list[Provision]:
        return [provision for provision in self.provisions if provision.state == state]

    def kinds_supporting(self, indicator_id: str) -> frozenset[str]:
        """Names of the kinds of charge term that support an indicator (RN-10: the membership kinds)."""
        kinds = self._supporting.get(indicator_id)
        if kinds is None:
            kinds = frozenset(name for name, kind in self.kinds.items() if indicator_id in kind.indicators)
            self._supporting[indicator_id] = kinds
        return kinds


def _parse_kinds(raw: Mapping[str, Any]) -> dict[str, ChargeKind]:
    kinds = {}
    for name, entry in (raw.get("kinds") or {}).items():
        where = f"{KINDS_FILE.name}: kind {name}"
        category = entry.get("category")
        if category is not None and category not in CATEGORIES:
            raise CatalogueError(f"{where}: category '{category}' must be one of {', '.join(CATEGORIES)}")
        offence = entry.get("offence")
        if offence is not None and offence not in OFFENCES:
            raise CatalogueError(f"{where}: offence '{offence}' must be one of {', '.join(OFFENCES)}")
        for key in ("concrete_act", "indicators", "description", "description_ru", "label_ru"):
            if key not in entry:
                raise CatalogueError(f"{where}: '{key}' is missing")
        kinds[name] = ChargeKind(
            name=name,
            concrete_act=bool(entry["concrete_act"]),
            category=category,
            indicators=tuple(entry["indicators"]),
            explains=bool(entry.get("explains", True)),
            description=str(entry["description"]),
            offence=offence,
            description_ru=" ".join(str(entry["description_ru"]).split()),
            label_ru=str(entry["label_ru"]),
        )
    return kinds


def _words(entry: Mapping[str, Any], key: str, code: str) -> list[str]:
    words = entry.get(key) or []
    odd = [word for word in words if not isinstance(word, str)]
    if odd:
        raise CatalogueError(
            f'{TERMS_FILE.name}: {code}, {key}: {odd} are not words (quote words YAML reads as booleans, e.g. "no")'
        )
    return list(words)


def _parse_language(code: str, entry: Mapping[str, Any], kinds: Mapping[str, ChargeKind]) -> LanguageLexicon:
    patterns = []
    for number, group in enumerate(entry.get("terms") or [], 1):
        where = f"{TERMS_FILE.name}: {code}, term group {number}"
        kind = group.get("kind")
        if kind not in kinds:
            raise CatalogueError(f"{where}: kind '{kind}' is not defined in {KINDS_FILE.name}")
        offence = group.get("offence", kinds[kind].offence)
        if offence is not None and offence not in OFFENCES:
            raise CatalogueError(f"{where}: offence '{offence}' must be one of {', '.join(OFFENCES)}")
        for text in _words(group, "patterns", code):
            words = tuple(WordMatcher.parse(spec) for spec in str(text).split())
            if not words or any(not (m.exact or m.prefixes) or "" in m.prefixes for m in words):
                raise CatalogueError(f"{where}: pattern '{text}' is empty or has a bare '*'")
            patterns.append(
                TermPattern(
                    text=str(text),
                    language=code,
                    kind=kind,
                    words=words,
                    verified=bool(group.get("verified", entry.get("verified", True))),
                    note=group.get("note"),
                    connective=not kinds[kind].explains,
                    offence=offence,
                )
            )
    return LanguageLexicon(
        code=code,
        name=str(entry.get("name", code)),
        stopwords=frozenset(fold(word) for word in _words(entry, "stopwords", code)),
        filler=WordMatcher.parse("|".join(_words(entry, "fillers", code) or ["-"])),
        patterns=tuple(patterns),
        sources=tuple(_source(code, raw) for raw in entry.get("sources") or ()),
    )


def _source(code: str, raw: Any) -> Source:
    if not isinstance(raw, Mapping) or not raw.get("title") or "url" not in raw:
        raise CatalogueError(f"{TERMS_FILE.name}: {code}, sources: {raw!r} needs a title and a url (null when none)")
    url = raw["url"]
    if url is not None and not str(url).startswith("https://") and not str(url).startswith("http://"):
        raise CatalogueError(f"{TERMS_FILE.name}: {code}, sources: '{url}' is not a web address")
    return Source(title=str(raw["title"]), url=url, verified=bool(raw.get("verified", False)))


@lru_cache(maxsize=2)
def load_lexicon(terms_file: Path = TERMS_FILE, kinds_file: Path = KINDS_FILE) -> Lexicon:
    """The charge lexicons, validated. Raises CatalogueError naming the entry at fault."""
    kinds = _parse_kinds(read_yaml(kinds_file))
    raw = read_yaml(terms_file)
    languages = {
        code: _parse_language(code, entry, kinds) for code, entry in (raw.get("languages") or {}).items()
    }
    for code, language in languages.items():
        if not language.sources:
            raise CatalogueError(f"{terms_file.name}: {code} names no sources for its wordings")
    provisions = []
    for number, entry in enumerate(raw.get("provisions") or [], 1):
        where = f"{terms_file.name}: provision {number}"
        if entry.get("kind") not in kinds:
            raise CatalogueError(f"{where}: kind '{entry.get('kind')}' is not defined in {kinds_file.name}")
        if not entry.get("description_ru"):
            raise CatalogueError(f"{where}: 'description_ru' is missing")
        provisions.append(
            Provision(
                state=str(entry["state"]),
                article=str(entry["article"]),
                kind=str(entry["kind"]),
                description=str(entry["description"]),
                verified=bool(entry["verified"]),
                offence=entry.get("offence", kinds[str(entry["kind"])].offence),
                description_ru=str(entry["description_ru"]),
            )
        )
    return Lexicon(kinds=kinds, languages=languages, provisions=tuple(provisions))
