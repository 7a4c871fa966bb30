"""The tactic taxonomy, loaded from ``data/tactics.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("data") / "tactics.yaml"


@dataclass(frozen=True)
class Tactic:
    code: str
    category: str
    freedom_house: str | None
    labels: dict[str, str]
    returns: bool = False  # sends (or tries to send) a person back to the origin state

    def label(self, language: str = "en") -> str:
        return self.labels.get(language[:2], self.labels["en"])


@dataclass(frozen=True)
class TacticTaxonomy:
    tactics: tuple[Tactic, ...]
    categories: dict[str, dict[str, str]]
    freedom_house_categories: dict[str, dict[str, str]]

    def get(self, code: str) -> Tactic | None:
        return next((t for t in self.tactics if t.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tactics)

    @property
    def return_tactics(self) -> tuple[str, ...]:
        """Tactics whose incidents' outcome is what happened to a returnee, in the taxonomy's order."""
        return tuple(t.code for t in self.tactics if t.returns)

    def resolve(self, value: str) -> Tactic | None:
        """A tactic by code or by its English or Russian label (case-insensitive)."""
        needle = value.strip().casefold()
        for tactic in self.tactics:
            if needle == tactic.code or needle in (label.casefold() for label in tactic.labels.values()):
                return tactic
        return None

    def choices(self, language: str = "en") -> list[tuple[str, str]]:
        return [(t.code, t.label(language)) for t in self.tactics]


def load_taxonomy(path: Path = TAXONOMY_FILE) -> TacticTaxonomy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = raw["categories"]
    fh = raw["freedom_house_categories"]
    tactics = []
    for entry in raw["tactics"]:
        if entry["category"] not in categories:
            raise ValueError(f"tactic {entry['code']}: unknown category {entry['category']!r}")
        if entry["freedom_house"] is not None and entry["freedom_house"] not in fh:
            raise ValueError(f"tactic {entry['code']}: unknown Freedom House category {entry['freedom_house']!r}")
        tactics.append(
            Tactic(entry["code"], entry["category"], entry["freedom_house"], {"en": entry["en"], "ru": entry["ru"]},
                   returns=bool(entry.get("returns", False)))
        )
    codes = [t.code for t in tactics]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate tactic codes in taxonomy")
    return TacticTaxonomy(tuple(tactics), categories, fh)


@lru_cache(maxsize=1)
def taxonomy() -> TacticTaxonomy:
    return load_taxonomy()
