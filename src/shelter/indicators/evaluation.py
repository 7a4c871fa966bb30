"""Precision and recall of the charge classifier's offences on a labelled set of charge texts.

Pure: reads the labelled set (``tests/fixtures/indicators/charge_labels.yaml`` shape) and counts, for each
offence, the texts labelled with it and the texts the classifier named it for. A text may allege several
offences; each is counted on its own (multi-label precision and recall).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shelter.indicators.charges import classify_charge
from shelter.indicators.files import CatalogueError, read_yaml
from shelter.indicators.model import OFFENCES, Charge

SPLITS = ("tune", "test")


@dataclass(frozen=True)
class LabelledCharge:
    text: str
    offences: frozenset[str]
    split: str
    source: str
    state: str | None = None
    translation: str | None = None


@dataclass(frozen=True)
class OffenceScore:
    offence: str
    labelled: int  # texts labelled with the offence
    named: int  # texts the classifier named it for
    correct: int  # both

    @property
    def precision(self) -> float | None:
        return self.correct / self.named if self.named else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.labelled if self.labelled else None


@dataclass(frozen=True)
class Miss:
    text: str
    labelled: frozenset[str]
    named: frozenset[str]


def load_labelled(path: Path) -> list[LabelledCharge]:
    """The labelled set; raises CatalogueError naming the item at fault."""
    raw = read_yaml(path)
    items = []
    for number, entry in enumerate(raw.get("charges") or [], 1):
        where = f"{path.name}: item {number}"
        if not isinstance(entry, Mapping) or not entry.get("text") or not entry.get("source"):
            raise CatalogueError(f"{where}: needs a text and a source")
        offences = frozenset(entry.get("offences") or ())
        unknown = sorted(offences - set(OFFENCES))
        if unknown:
            raise CatalogueError(f"{where}: {', '.join(unknown)} not among {', '.join(OFFENCES)}")
        if entry.get("split") not in SPLITS:
            raise CatalogueError(f"{where}: split must be one of {', '.join(SPLITS)}")
        items.append(
            LabelledCharge(
                text=str(entry["text"]),
                offences=offences,
                split=str(entry["split"]),
                source=str(entry["source"]),
                state=entry.get("state"),
                translation=entry.get("translation"),
            )
        )
    return items


def named_offences(item: LabelledCharge) -> frozenset[str]:
    reading = classify_charge(Charge(item.text, translation=item.translation), item.state)
    return frozenset(reading.offences)


def score(items: Iterable[LabelledCharge]) -> tuple[dict[str, OffenceScore], list[Miss]]:
    """Per-offence counts over ``items`` (every offence that is labelled or named), and the texts where the
    classifier's offences differ from the labels."""
    labelled: dict[str, int] = {}
    named: dict[str, int] = {}
    correct: dict[str, int] = {}
    misses = []
    for item in items:
        found = named_offences(item)
        for offence in item.offences:
            labelled[offence] = labelled.get(offence, 0) + 1
        for offence in found:
            named[offence] = named.get(offence, 0) + 1
        for offence in item.offences & found:
            correct[offence] = correct.get(offence, 0) + 1
        if found != item.offences:
            misses.append(Miss(item.text, item.offences, found))
    scores = {
        offence: OffenceScore(offence, labelled.get(offence, 0), named.get(offence, 0), correct.get(offence, 0))
        for offence in OFFENCES
        if offence in labelled or offence in named
    }
    return scores, misses


def as_rows(scores: Mapping[str, OffenceScore]) -> list[dict[str, Any]]:
    return [
        {"offence": s.offence, "labelled": s.labelled, "named": s.named, "correct": s.correct,
         "precision": s.precision, "recall": s.recall}
        for s in scores.values()
    ]
