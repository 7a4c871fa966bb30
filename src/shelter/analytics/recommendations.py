"""Briefing recommendations, kept as editable data (``data/recommendations.yaml``) with a loader that
checks every entry. Pure: no Django."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from shelter.analytics.stats import SMALL_COUNT_LIMIT

__all__ = ["DEFAULT_FILE", "Recommendation", "RecommendationError", "load_recommendations", "select_recommendations"]

DEFAULT_FILE = Path(__file__).with_name("data") / "recommendations.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TRIGGERS = {"tactics", "outcomes", "open_agreement", "always"}
LANGUAGES = ("en", "ru")


class RecommendationError(ValueError):
    pass


@dataclass(frozen=True)
class Recommendation:
    id: str
    texts: Mapping[str, str]
    basis: str
    tactics: frozenset[str]
    outcomes: frozenset[str]
    open_agreement: bool
    always: bool

    def text(self, language: str = "en") -> str:
        return self.texts.get(language[:2], self.texts["en"])

    def applies(
        self, tactic_counts: Mapping[str, int], outcome_counts: Mapping[str, int], has_open_agreement: bool,
        public: bool,
    ) -> bool:
        # A public briefing must not reveal, through a recommendation, a count below 3 it withholds.
        least = SMALL_COUNT_LIMIT if public else 1
        return (
            self.always
            or (self.open_agreement and has_open_agreement)
            or any(tactic_counts.get(code, 0) >= least for code in self.tactics)
            or any(outcome_counts.get(code, 0) >= least for code in self.outcomes)
        )


def load_recommendations(
    path: Path, tactic_codes: Collection[str], outcome_codes: Collection[str]
) -> tuple[Recommendation, ...]:
    """Read and check ``path``; errors name the entry and what to fix."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RecommendationError(f"{path}: cannot read recommendations: {error}") from error
    entries = raw.get("recommendations") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise RecommendationError(f"{path}: expected a top-level 'recommendations:' list")
    loaded: list[Recommendation] = []
    for number, entry in enumerate(entries, start=1):
        loaded.append(_parse_entry(path, number, entry, set(tactic_codes), set(outcome_codes)))
    ids = [r.id for r in loaded]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RecommendationError(f"{path}: duplicate recommendation ids: {', '.join(duplicates)}")
    return tuple(loaded)


def _parse_entry(path: Path, number: int, entry: object, tactics: set[str], outcomes: set[str]) -> Recommendation:
    where = f"{path}: recommendation {number}"
    if not isinstance(entry, dict):
        raise RecommendationError(f"{where}: expected a mapping with id, when, en, ru, basis")
    ident = entry.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise RecommendationError(f"{where}: 'id' must be lowercase letters, digits and underscores")
    where = f"{path}: recommendation '{ident}'"
    for language in LANGUAGES:
        if not isinstance(entry.get(language), str) or not entry[language].strip():
            raise RecommendationError(f"{where}: missing text in '{language}'")
    when = entry.get("when")
    if not isinstance(when, dict) or not when:
        raise RecommendationError(f"{where}: 'when' needs at least one of {', '.join(sorted(_TRIGGERS))}")
    unknown = set(when) - _TRIGGERS
    if unknown:
        raise RecommendationError(f"{where}: unknown trigger(s) {', '.join(sorted(unknown))} "
                                  f"(expected {', '.join(sorted(_TRIGGERS))})")
    wanted_tactics = _codes(where, "tactics", when.get("tactics", []), tactics)
    wanted_outcomes = _codes(where, "outcomes", when.get("outcomes", []), outcomes)
    return Recommendation(
        id=ident,
        texts={language: " ".join(entry[language].split()) for language in LANGUAGES},
        basis=str(entry.get("basis", "")).strip(),
        tactics=wanted_tactics,
        outcomes=wanted_outcomes,
        open_agreement=bool(when.get("open_agreement", False)),
        always=bool(when.get("always", False)),
    )


def _codes(where: str, trigger: str, values: object, known: set[str]) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RecommendationError(f"{where}: '{trigger}' must be a list of codes")
    unknown = sorted(set(values) - known)
    if unknown:
        raise RecommendationError(f"{where}: unknown {trigger} code(s) {', '.join(unknown)}")
    return frozenset(values)


def select_recommendations(
    recommendations: tuple[Recommendation, ...], tactic_counts: Mapping[str, int],
    outcome_counts: Mapping[str, int], has_open_agreement: bool, public: bool,
) -> tuple[Recommendation, ...]:
    return tuple(r for r in recommendations
                 if r.applies(tactic_counts, outcome_counts, has_open_agreement, public))
