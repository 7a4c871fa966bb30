"""Load and validate the indicator catalogue and the state facts from ``catalogue/*.yaml``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shelter.indicators.files import CATALOGUE_DIR, CatalogueError, read_yaml
from shelter.indicators.model import (
    EVALUATIONS,
    KINDS,
    STATE_CODE,
    EchrMembership,
    Indicator,
    Source,
    StateFact,
    StateFacts,
)
from shelter.indicators.rules import RULES

INDICATORS_FILE = CATALOGUE_DIR / "indicators.yaml"
STATE_FACTS_FILE = CATALOGUE_DIR / "state_facts.yaml"

_INDICATOR_ID = re.compile(r"^(RN|NR)-\d{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATE_FACT_TOPICS = ("interpol_misuse", "transnational_repression", "group_at_risk", "torture_reports")


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    _by_kind: dict[str, tuple[Indicator, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for kind in KINDS:
            self._by_kind[kind] = tuple(i for i in self.indicators if kind in i.applies_to)

    def for_kind(self, kind: str) -> list[Indicator]:
        if kind not in KINDS:
            raise CatalogueError(f"kind '{kind}' is not known (expected one of {', '.join(KINDS)})")
        return list(self._by_kind[kind])

    def get(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"indicator {indicator_id} is not in the catalogue")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(indicator.id for indicator in self.indicators)


def _require(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] is None:
        raise CatalogueError(f"{where}: '{key}' is missing")
    return entry[key]


def parse_source(raw: Any, where: str) -> Source:
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{where}: a source must be a mapping with title, pinpoint, url and verified")
    title = _require(raw, "title", where)
    verified = _require(raw, "verified", where)
    if not isinstance(verified, bool):
        raise CatalogueError(f"{where}: verified must be true or false, not {verified!r}")
    url = raw.get("url")
    if url is not None and not str(url).startswith("https://"):
        raise CatalogueError(f"{where}: url '{url}' must be an https:// address (or null when none is known)")
    return Source(title=str(title), url=url, verified=verified, pinpoint=raw.get("pinpoint"))


def _parse_indicator(raw: Mapping[str, Any], rules: frozenset[str], file: str) -> Indicator:
    indicator_id = str(raw.get("id", ""))
    where = f"{file}: indicator {indicator_id or '(no id)'}"
    if not _INDICATOR_ID.match(indicator_id):
        raise CatalogueError(f"{where}: id must look like RN-01 or NR-01")
    applies_to = tuple(_require(raw, "applies_to", where))
    unknown_kinds = [kind for kind in applies_to if kind not in KINDS]
    if not applies_to or unknown_kinds:
        raise CatalogueError(
            f"{where}: applies_to {list(applies_to)} must list one or more of {', '.join(KINDS)}"
        )
    evaluation = _require(raw, "evaluation", where)
    if evaluation not in EVALUATIONS:
        raise CatalogueError(f"{where}: evaluation '{evaluation}' must be automatic or manual")
    rule = raw.get("rule")
    if evaluation == "automatic" and rule not in rules:
        raise CatalogueError(
            f"{where}: automatic indicators need a rule; '{rule}' is not one of {', '.join(sorted(rules))}"
        )
    if evaluation == "manual" and rule is not None:
        raise CatalogueError(f"{where}: manual indicators take no rule (found '{rule}')")
    raw_sources = _require(raw, "sources", where)
    sources = tuple(parse_source(item, f"{where}, source {n}") for n, item in enumerate(raw_sources, 1))
    if not sources:
        raise CatalogueError(f"{where}: at least one source is needed")
    verified = _require(raw, "verified", where)
    if verified is True and not any(source.verified for source in sources):
        raise CatalogueError(f"{where}: verified is true but none of its sources is verified")
    params = raw.get("rule_params") or {}
    return Indicator(
        id=indicator_id,
        applies_to=applies_to,
        question=" ".join(str(_require(raw, "question", where)).split()),
        evaluation=evaluation,
        rule=rule,
        sources=sources,
        verified=bool(verified),
        evidence_hint=" ".join(str(raw.get("evidence", "")).split()),
        rule_params=MappingProxyType(dict(params)),
    )


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The indicator catalogue, validated. Raises CatalogueError naming the entry at fault."""
    return _load_catalogue_cached(path.resolve() if path is not None else INDICATORS_FILE)


@lru_cache(maxsize=8)
def _load_catalogue_cached(path: Path) -> Catalogue:
    raw = read_yaml(path)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("indicators"), list):
        raise CatalogueError(f"{path.name}: expected a mapping with an 'indicators' list")
    indicators = tuple(_parse_indicator(entry, frozenset(RULES), path.name) for entry in raw["indicators"])
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            raise CatalogueError(f"{path.name}: indicator {indicator.id} appears twice")
        seen.add(indicator.id)
    return Catalogue(indicators=indicators)


def _parse_state_code(value: Any, where: str) -> str:
    code = str(value)
    if not STATE_CODE.match(code):
        raise CatalogueError(f"{where}: state '{code}' is not an ISO 3166-1 alpha-2 code such as RU or UZ")
    return code


def _parse_date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = str(value)
    if not _ISO_DATE.match(text):
        raise CatalogueError(f"{where}: date '{text}' is not a date (expected YYYY-MM-DD)")
    return text


@lru_cache(maxsize=4)
def load_state_facts(path: Path = STATE_FACTS_FILE) -> StateFacts:
    """Facts about requesting states, validated. Raises CatalogueError naming the entry at fault."""
    raw = read_yaml(path)
    facts = []
    for number, entry in enumerate(raw.get("facts") or [], 1):
        where = f"{path.name}: fact {number}"
        topic = _require(entry, "topic", where)
        if topic not in STATE_FACT_TOPICS:
            raise CatalogueError(f"{where}: topic '{topic}' must be one of {', '.join(STATE_FACT_TOPICS)}")
        sources = tuple(parse_source(item, f"{where}, source") for item in _require(entry, "sources", where))
        verified = bool(_require(entry, "verified", where))
        if verified and not any(source.verified for source in sources):
            raise CatalogueError(f"{where}: verified is true but none of its sources is verified")
        facts.append(
            StateFact(
                state=_parse_state_code(_require(entry, "state", where), where),
                topic=topic,
                text=" ".join(str(_require(entry, "text", where)).split()),
                since=_parse_date(entry.get("since"), where),
                sources=sources,
                verified=verified,
                translations=MappingProxyType({"ru": " ".join(str(_require(entry, "text_ru", where)).split())}),
            )
        )
    echr_raw = _require(raw, "echr_parties", path.name)
    where = f"{path.name}: echr_parties"
    parties = frozenset(_parse_state_code(code, where) for code in _require(echr_raw, "states", where))
    former = {
        _parse_state_code(item["state"], where): str(_parse_date(item.get("until"), where))
        for item in echr_raw.get("former") or []
    }
    echr = EchrMembership(
        parties=parties,
        former=MappingProxyType(former),
        source=parse_source(_require(echr_raw, "source", where), where),
        verified=bool(_require(echr_raw, "verified", where)),
    )
    return StateFacts(facts=tuple(facts), echr=echr)


QUESTIONS_FILES = {"ru": CATALOGUE_DIR / "indicators_ru.yaml"}


@lru_cache(maxsize=4)
def translated_questions(language: str) -> Mapping[str, str]:
    """Each indicator's question in ``language`` (English has the catalogue's own); empty when none exists.
    Raises CatalogueError when the file misses an indicator or names one the catalogue does not have."""
    path = QUESTIONS_FILES.get(language)
    if path is None:
        return MappingProxyType({})
    questions = read_yaml(path).get("questions") or {}
    ids = set(load_catalogue().ids)
    missing, extra = sorted(ids - set(questions)), sorted(set(questions) - ids)
    if missing or extra:
        raise CatalogueError(f"{path.name}: missing {', '.join(missing) or 'none'}; not in the catalogue: "
                             f"{', '.join(extra) or 'none'}")
    return MappingProxyType({key: " ".join(str(value).split()) for key, value in questions.items()})
