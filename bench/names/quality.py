"""Precision, recall and F1 of Shelter, nomenklatura logic-v2 and anyascii + rapidfuzz on the evaluation set.

nomenklatura is a benchmark-only tool, never a Shelter dependency:  pip install nomenklatura
Without it the logic-v2 column is skipped with a message.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anyascii import anyascii
from evalset import Pair
from rapidfuzz import fuzz

from shelter.names import DEFAULT_THRESHOLD, PersonRecord, compare

LOGIC_V2_THRESHOLD = 0.70


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def count(labels: Sequence[bool], decisions: Sequence[bool]) -> Counts:
    tp = sum(1 for label, decision in zip(labels, decisions) if label and decision)
    fp = sum(1 for label, decision in zip(labels, decisions) if not label and decision)
    fn = sum(1 for label, decision in zip(labels, decisions) if label and not decision)
    return Counts(tp, fp, fn, len(labels) - tp - fp - fn)


def shelter_scores(pairs: Sequence[Pair]) -> list[float]:
    return [
        compare(
            PersonRecord((p.left,), dob=p.left_dob or None), PersonRecord((p.right,), dob=p.right_dob or None)
        ).score
        for p in pairs
    ]


def _plain(text: str) -> str:
    return anyascii(text).lower()


def rapidfuzz_scores(pairs: Sequence[Pair]) -> list[float]:
    """The plain baseline: anyascii, lower case, token_sort_ratio; names only."""
    return [fuzz.token_sort_ratio(_plain(p.left), _plain(p.right)) / 100 for p in pairs]


def logic_v2_scores(pairs: Sequence[Pair]) -> list[float] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import ScoringConfig, get_algorithm
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig.defaults()
    ids = itertools.count()

    def entity(name: str, dob: str):  # type: ignore[no-untyped-def]
        made = model.make_entity("Person")
        # A fresh id per entity: nomenklatura caches name analysis by entity id.
        made.id = f"eval-{next(ids)}"
        made.add("name", name)
        if dob:
            made.add("birthDate", dob)
        return made

    return [
        algorithm.compare(entity(p.left, p.left_dob), entity(p.right, p.right_dob), config).score
        for p in pairs
    ]


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The threshold with the best F1 (used only on the dev split, for the baseline that has no threshold)."""
    candidates = sorted({round(score, 2) for score in scores})
    return max(candidates, key=lambda t: count(labels, [s >= t for s in scores]).f1)


@dataclass(frozen=True)
class SystemResult:
    name: str
    threshold: float
    counts: dict[str, Counts]  # by report key
    seconds: float
    pairs: int


def evaluate(pairs: Sequence[Pair]) -> tuple[list[SystemResult], dict[str, list[float]]]:
    systems: list[tuple[str, Callable[[Sequence[Pair]], list[float] | None], float | None]] = [
        ("Shelter", shelter_scores, DEFAULT_THRESHOLD),
        ("nomenklatura logic-v2", logic_v2_scores, LOGIC_V2_THRESHOLD),
        ("anyascii + rapidfuzz token_sort_ratio", rapidfuzz_scores, None),
    ]
    results: list[SystemResult] = []
    all_scores: dict[str, list[float]] = {}
    for name, scorer, threshold in systems:
        started = time.perf_counter()
        scores = scorer(pairs)
        seconds = time.perf_counter() - started
        if scores is None:
            print(f"{name}: not installed, column skipped (pip install nomenklatura)")
            continue
        all_scores[name] = scores
        if threshold is None:
            dev = [(p.label, s) for p, s in zip(pairs, scores) if p.split == "dev" and p.scope == "core"]
            threshold = best_threshold([label for label, _ in dev], [s for _, s in dev])
        groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for pair, score in zip(pairs, scores):
            decision = score >= threshold
            for key in report_keys(pair):
                groups[key].append((pair.label, decision))
        counts = {key: count([label for label, _ in items], [d for _, d in items]) for key, items in groups.items()}
        results.append(SystemResult(name, threshold, counts, seconds, len(pairs)))
    return results, all_scores


def report_keys(pair: Pair) -> list[str]:
    keys = [
        f"{pair.split}/{pair.scope}/all",
        f"{pair.split}/{pair.scope}/source:{pair.source}",
        f"{pair.split}/{pair.scope}/kind:{pair.kind}",
    ]
    return keys
