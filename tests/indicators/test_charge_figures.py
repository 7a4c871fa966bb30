"""The charge classifier's precision and recall on the held-out part of the labelled set do not fall.

The floors are the figures in bench/RESULTS.md (section "charges"), rounded down to the next 0.05: a
change to the lexicons or the rules that reads fewer held-out charges right fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shelter.indicators.evaluation import LabelledCharge, load_labelled, score

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "indicators" / "charge_labels.yaml"
ITEMS = load_labelled(LABELS)
HELD_OUT = [item for item in ITEMS if item.split == "test"]
SCORES, MISSES = score(HELD_OUT)

# offence: (precision floor, recall floor) on the held-out part
FLOORS = {
    "banned_group_membership": (0.95, 0.90),
    "extremism": (0.90, 0.90),
    "constitutional_order": (0.90, 0.85),
    "insult_head_of_state": (0.95, 0.95),
    "false_information": (0.95, 0.95),
    "mass_riots": (0.95, 0.95),
    "armed_formation": (0.95, 0.90),
    "economic": (0.95, 0.90),
    "ordinary": (0.95, 0.95),
}
LANGUAGES = {"ru", "uk", "uz", "kk", "tg", "ky", "az", "tr", "en", "fr", "de", "es"}


def test_the_labelled_set_is_large_split_and_covers_every_offence_and_language() -> None:
    assert len(ITEMS) >= 300
    assert len({item.text for item in ITEMS}) == len(ITEMS)  # no text in both parts
    parts = Counter(item.split for item in ITEMS)
    assert parts["tune"] >= 100 and parts["test"] >= 100
    for offence in FLOORS:
        for part in ("tune", "test"):
            assert any(offence in item.offences for item in ITEMS if item.split == part), (offence, part)
    assert sum(item.source.startswith("INTERPOL public Red Notice") for item in ITEMS) >= 100
    raw = LABELS.read_text(encoding="utf-8")
    assert {f"language: {code}" in raw for code in LANGUAGES} == {True}


@pytest.mark.parametrize("offence", sorted(FLOORS))
def test_precision_and_recall_on_the_held_out_part_stay_above_their_floors(offence: str) -> None:
    figures = SCORES[offence]
    precision_floor, recall_floor = FLOORS[offence]
    missed = [m.text for m in MISSES if offence in m.labelled ^ m.named]
    assert figures.precision is not None and figures.precision >= precision_floor, missed
    assert figures.recall is not None and figures.recall >= recall_floor, missed


def test_scoring_counts_each_offence_of_a_text() -> None:
    items = [
        LabelledCharge("Участие в незаконном вооружённом формировании; убийство", frozenset({"armed_formation"}),
                       "test", "written for this test"),
        LabelledCharge("Мошенничество", frozenset({"economic"}), "test", "written for this test"),
    ]
    scores, misses = score(items)
    assert (scores["armed_formation"].precision, scores["armed_formation"].recall) == (1.0, 1.0)
    assert (scores["ordinary"].labelled, scores["ordinary"].named, scores["ordinary"].precision) == (0, 1, 0.0)
    assert [m.text for m in misses] == ["Участие в незаконном вооружённом формировании; убийство"]
