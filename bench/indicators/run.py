"""Indicator benchmarks, written to the `indicators` section of bench/RESULTS.md.

    python bench/indicators/run.py            # 204 real notices + 10,000 synthetic cases
    python bench/indicators/run.py --cases 2000 --no-write

1. Real notices: how many of the 204 Interpol Red Notice detail records in ../shared/data get each
   indicator (present / absent / unknown), from the notice alone (no registry facts).
2. Speed: assess N synthetic cases (charges in English, Russian, Spanish, French, Turkish and Arabic,
   registry facts, incidents, refusals, manual answers) with the engine, cold caches, against a baseline
   in the same run: the same engine with a matcher that tries every lexicon pattern at every word and
   no classification cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from shelter.indicators import (
    CaseFacts,
    Charge,
    IncidentFact,
    ManualAnswer,
    RefusalFact,
    case_facts_from_interpol_notice,
    classify_charge,
    evaluate,
    load_catalogue,
)
from shelter.indicators import charges as charge_module
from shelter.indicators.lexicon import LanguageLexicon, TermPattern, load_lexicon, tokenise
from shelter.progress import track

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import RESULTS, write_section

DETAILS = REPO.parent / "shared" / "data" / "interpol_red_notices_antontsiklop" / "red_notices_details.json"

# Offence fragments the synthetic charges are built from, several per language and category.
FRAGMENTS = {
    "en": [
        "murder",
        "aggravated robbery",
        "rape",
        "drug trafficking",
        "participation in a terrorist organization",
        "participation in an illegal armed formation",
        "large-scale fraud",
        "embezzlement of public funds",
        "public calls for extremist activity",
        "insulting the president",
        "defamation",
        "tax evasion",
        "illegal storage of firearms",
        "financing of terrorism",
        "membership of Hizb ut-Tahrir",
        "hooliganism",
    ],
    "ru": [
        "убийство",
        "разбой",
        "участие в деятельности террористической организации",
        ("мошенничество в особо крупном размере"),
        "публичные призывы к экстремистской деятельности",
        "участие в незаконном вооружённом формировании",
        "незаконное хранение оружия",
        "клевета",
        "присвоение или растрата",
        "организация экстремистского сообщества",
    ],
    "es": [
        "homicidio agravado",
        "robo con arma",
        "estafa",
        "lavado de dinero",
        "organizaciones terroristas",
        "rebelión",
        "tráfico de estupefacientes",
        "calumnias e injurias",
        "secuestro extorsivo",
    ],
    "fr": [
        "meurtre",
        "vol à main armée",
        "escroquerie",
        "participation à une organisation terroriste",
        "apologie du terrorisme",
        "trafic de stupéfiants",
        "diffamation",
        "blanchiment",
    ],
    "tr": ["silahlı terör örgütü üyeliği", "nitelikli dolandırıcılık", "kasten öldürme"],
    "ar": ["ارهابي", "قتل عمد", "احتيال"],
}
QUALIFIERS = {
    "en": ["", "attempted ", "aggravated "],
    "ru": ["", "покушение на "],
    "es": ["", "tentativa de "],
    "fr": ["", "tentative de "],
    "tr": [""],
    "ar": [""],
}
STATES = ["RU", "TJ", "UZ", "KZ", "BY", "TR", "AZ", "CN", "IR", "SV", "AR", "US", "IN", "FR", "DE"]
PROFILES = [
    "opposition",
    "journalist",
    "religious_figure",
    "former_insider",
    "relative",
    "businessman",
    "engineer",
]
TACTICS = [
    "detention_of_relatives",
    "threats_to_relatives",
    "phishing",
    "spyware",
    "trial_in_absentia",
    "rendition",
    "asset_seizure",
    "red_notice",
    "assault",
    "detention",
]


def synthetic_cases(count: int, seed: int = 4) -> list[CaseFacts]:
    rng = random.Random(seed)
    kinds = ["red_notice", "red_notice", "diffusion", "extradition", "deportation"]
    cases = []
    for number in track(range(count), "generating cases"):
        language = rng.choice(list(FRAGMENTS))
        parts = [
            rng.choice(QUALIFIERS[language]) + rng.choice(FRAGMENTS[language])
            for _ in range(rng.randint(1, 3))
        ]
        separator = rng.choice(["; ", ", ", ". ", "\n"])
        numbered = rng.random() < 0.3
        text = separator.join(f"{i}) {p}" if numbered else p for i, p in enumerate(parts, 1))
        text += rng.choice(["", f" ({rng.randint(2, 9)} counts)", f" — case {number}"])
        translation = (
            "membership of a terrorist organisation"
            if language in ("tr", "ar") and rng.random() < 0.5
            else None
        )
        state = rng.choice(STATES)
        incidents = tuple(
            IncidentFact(
                f"inc-{number}-{i}",
                "incident",
                rng.choice(TACTICS),
                rng.choice([state, state, "XX"]),
                None,
                rng.choice(["subject", "relative", "associate"]),
            )
            for i in range(rng.randint(0, 4))
        )
        kind = rng.choice(kinds)
        manual_ids = ["RN-02", "RN-08"] if kind in ("red_notice", "diffusion") else ["NR-06", "NR-11"]
        cases.append(
            CaseFacts(
                kind=kind,
                issuing_state=state,
                charges=(Charge(text, translation=translation),),
                subject_nationalities=(state,),
                subject_status_abroad=rng.choice([None, "refugee", "asylum_seeker", "citizen_of_host"]),
                subject_profile=tuple(rng.sample(PROFILES, rng.randint(0, 2))),
                incidents=incidents,
                refusals=(RefusalFact("DE", "2020", "extradition refused", None),)
                if rng.random() < 0.2
                else (),
                state_record={t: rng.randint(0, 5) for t in rng.sample(TACTICS, 3)},
                returnee_outcomes={"sentenced": rng.randint(0, 3)} if rng.random() < 0.5 else {},
                manual_answers=(ManualAnswer(rng.choice(manual_ids), "present", "reviewed"),)
                if rng.random() < 0.3
                else (),
            )
        )
    return cases


def assess_all(cases: Sequence[CaseFacts]) -> tuple[float, float, int]:
    """Wall and CPU seconds to evaluate every case and serialise its results, and the number of results."""
    start, cpu_start = time.perf_counter(), time.process_time()
    rows = [[result.to_dict() for result in evaluate(case)] for case in cases]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return elapsed, cpu, sum(len(r) for r in rows)


def linear_scan_candidates(self: LanguageLexicon, word: str) -> list[TermPattern]:
    return list(self.patterns)


def clear_caches() -> None:
    """Empty every classification cache, so that a run starts cold."""
    charge_module._classify_cached.cache_clear()
    charge_module.read_count.cache_clear()
    tokenise.cache_clear()
    for language in load_lexicon().languages.values():
        language._candidate_cache.clear()
        language._filler_cache.clear()


def timed_baseline(cases: Sequence[CaseFacts]) -> tuple[float, float]:
    """The same assessment with every pattern tried at every word and no cache of charge readings."""
    original_candidates: Callable[..., Any] = LanguageLexicon._candidates
    original_classify, original_read = charge_module._classify_cached, charge_module.read_count
    LanguageLexicon._candidates = linear_scan_candidates  # type: ignore[method-assign]
    charge_module._classify_cached = original_classify.__wrapped__  # type: ignore[assignment]
    charge_module.read_count = original_read.__wrapped__  # type: ignore[assignment]
    try:
        elapsed, cpu, _ = assess_all(cases)
    finally:
        LanguageLexicon._candidates = original_candidates  # type: ignore[method-assign]
        charge_module._classify_cached = original_classify
        charge_module.read_count = original_read
    return elapsed, cpu


def real_notice_table(details: Sequence[Mapping[str, Any]]) -> tuple[list[str], Counter[str], Counter[str]]:
    counts: dict[str, Counter[str]] = {i.id: Counter() for i in load_catalogue().for_kind("red_notice")}
    categories: Counter[str] = Counter()
    states: Counter[str] = Counter()
    for notice in details:
        facts = case_facts_from_interpol_notice(notice)
        states[facts.issuing_state] += 1
        for charge in facts.charges:
            categories[classify_charge(charge, facts.issuing_state).category] += 1
        for result in evaluate(facts):
            counts[result.id][result.answer] += 1
    catalogue = load_catalogue()
    lines = ["| indicator | question | present | absent | unknown |", "|---|---|---:|---:|---:|"]
    for indicator_id, tally in counts.items():
        question = catalogue.get(indicator_id).question
        short = question if len(question) <= 70 else question[:67].rsplit(" ", 1)[0] + " …"
        lines.append(
            f"| {indicator_id} | {short} | {tally['present']} | {tally['absent']} | {tally['unknown']} |"
        )
    return lines, categories, states




def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cases", type=int, default=10_000, help="synthetic cases to assess (default 10,000)"
    )
    parser.add_argument(
        "--baseline-cases",
        type=int,
        default=2_000,
        help="cases for the slower baseline (default 2,000; its time is also given per case)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the section instead of writing RESULTS.md"
    )
    args = parser.parse_args(argv)

    out = ["## Legal indicators (`shelter.indicators`)", ""]
    out.append(
        f"Command: `python bench/indicators/run.py --cases {args.cases} --baseline-cases {args.baseline_cases}`  "
    )
    out.append(
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, 1 process."
    )
    out.append("")
    if DETAILS.exists():
        details = json.loads(DETAILS.read_text(encoding="utf-8"))
        distinct = len({d["entity_id"] for d in details})
        lines, categories, states = real_notice_table(details)
        out += [
            f"### Real notices: {len(details)} Interpol Red Notice detail records ({distinct} distinct entity ids)",
            "",
            "From the notice alone: no registry facts (status, profile, incidents, refusals) are attached, so the "
            "indicators that read them stay unknown. Issuing states: "
            + ", ".join(f"{s} {n}" for s, n in states.most_common())
            + ".",
            "",
            *lines,
            "",
            "Charge categories (per warrant): "
            + ", ".join(f"{c} {n}" for c, n in categories.most_common())
            + ".",
            "",
        ]
    else:
        out += [f"Real notices: skipped, {DETAILS} is not available.", ""]

    cases = synthetic_cases(args.cases)
    distinct_texts = len({c.charges[0].text for c in cases})
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    clear_caches()
    elapsed, cpu, results = assess_all(cases)
    baseline_cases = cases[: args.baseline_cases]
    clear_caches()
    baseline, baseline_cpu = timed_baseline(baseline_cases)
    per_case = cpu / len(cases) * 1000
    baseline_per_case = baseline_cpu / len(baseline_cases) * 1000
    out += [
        f"### Speed: assess {len(cases):,} synthetic cases",
        "",
        "| run | cases | CPU seconds | wall seconds | CPU ms per case |",
        "|---|---:|---:|---:|---:|",
        (
            f"| engine (first-word index, classification cache, cold start) | {len(cases):,} | {cpu:.2f} | {elapsed:.2f} | "
            f"{per_case:.3f} |"
        ),
        (
            f"| baseline (every pattern at every word, no cache) | {len(baseline_cases):,} | {baseline_cpu:.2f} | "
            f"{baseline:.2f} | {baseline_per_case:.3f} |"
        ),
        "",
        (
            f"{results:,} indicator results serialised to dicts; {distinct_texts:,} distinct charge texts. "
            f"Target: 10,000 cases in ≤ 10 s. Speed-up over the baseline (CPU per case): "
            f"{baseline_per_case / per_case:.1f}×. Load average when the run started: {load:.1f} on "
            f"{os.cpu_count()} cores; wall time counts the waits for a core on a shared machine, CPU time does not."
        ),
    ]
    body = "\n".join(out)
    if args.no_write:
        print(body)
    else:
        write_section("indicators", body)
        print(body)
        print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
