"""Capabilities and control-list entries of surveillance products, read from data files (no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Capability:
    code: str
    label: str
    label_ru: str = ""

    def label_in(self, language: str) -> str:
        return self.label_ru if language.startswith("ru") and self.label_ru else self.label


@dataclass(frozen=True)
class ControlEntry:
    code: str
    list: str
    title: str
    source_title: str
    source_url: str
    verified: bool
    equivalent: str  # the same entry on the other list (EU Annex I code for a Wassenaar entry and back)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("shelter.surveillance").joinpath("data", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data


@cache
def capabilities() -> tuple[Capability, ...]:
    return tuple(Capability(str(c["code"]), str(c["label"]), str(c.get("ru") or ""))
                 for c in _load("capabilities.yaml")["capabilities"])


@cache
def control_entries() -> tuple[ControlEntry, ...]:
    return tuple(
        ControlEntry(str(e["code"]), str(e["list"]), str(e["title"]), str(e["source"]["title"]),
                     str(e["source"].get("url") or ""), bool(e["source"].get("verified", False)),
                     str(e.get("eu") or e.get("wassenaar") or ""))
        for e in _load("control_entries.yaml")["entries"]
    )


def capability_codes() -> tuple[str, ...]:
    return tuple(c.code for c in capabilities())


def capability_label(code: str, language: str = "en") -> str:
    return next((c.label_in(language) for c in capabilities() if c.code == code), code)


def control_entry(code: str) -> ControlEntry | None:
    key = code.strip().casefold()
    return next((e for e in control_entries() if e.code.casefold() == key), None)


def same_entry(a: str, b: str) -> bool:
    """Whether two codes name the same control entry (``4.A.5`` and ``4A005`` do)."""
    first, second = control_entry(a), control_entry(b)
    if first is None or second is None:
        return a.strip().casefold() == b.strip().casefold()
    return first.code == second.code or first.equivalent == second.code
