"""One command for every shelter.names benchmark; writes the names section of bench/RESULTS.md.

    python bench/names/run.py                    # full run: quality + 100,000 queries x 1,000,000 records
    python bench/names/run.py --registry 100000 --queries 10000   # a smaller, quicker speed run

The logic-v2 column needs nomenklatura, which is never a Shelter dependency:
    pip install nomenklatura
Without it that column is skipped with a message. Generated data goes to --workdir
(default: a folder in the system temporary directory), never into the repository.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from evalset import SHARED_DATA, build
from quality import SystemResult, evaluate
from results import read_section, write_section
from speed import run, speed_section

# Quality and speed are kept in blocks of their own, so that either can be re-run alone.
BLOCKS = ("quality", "speed")


def _row(name: str, result: SystemResult, key: str) -> str:
    counts = result.counts.get(key)
    if counts is None:
        return f"| {name} | – | – | – | – |"
    return (
        f"| {name} | {counts.precision:.3f} | {counts.recall:.3f} | {counts.f1:.3f} | "
        f"{counts.tp}/{counts.fp}/{counts.fn}/{counts.tn} |"
    )


def quality_section(results: list[SystemResult], pairs: int) -> list[str]:
    lines = [
        "### Quality (labelled name pairs)",
        "",
        f"{pairs} labelled pairs built by `bench/names/evalset.py` from `../shared/data` (80 spellings of one",
        "name, OpenSanctions persons with names in several scripts and the Zakharov family as different people,",
        "native/romanised names by country) and generated Uzbek, Tajik, Kazakh, Kyrgyz, Turkmen, Russian and",
        "Azerbaijani people spelled with ICAO 9303, GOST 52535, MVD 1997, BGN/PCGN, GOST 7.79, German, French,",
        "Polish, Czech and national Latin alphabets, with hard negatives (one-letter-apart surnames, siblings,",
        "relatives of the other sex, another father, same name with another date of birth).",
        (
            "Split by person: rules were tuned on `dev`; `test` was held out. Thresholds: Shelter "
            f"{results[0].threshold}, logic-v2 0.70, rapidfuzz the best F1 on dev core."
        ),
        "",
    ]
    for split in ("test", "dev"):
        for scope, title in (
            ("core", "Latin and Cyrillic"),
            ("other-scripts", "other scripts (Arabic, Greek, CJK ...)"),
        ):
            key = f"{split}/{scope}/all"
            lines += [
                f"**{split} split, {title}** (TP/FP/FN/TN)",
                "",
                "| system | precision | recall | F1 | TP/FP/FN/TN |",
                "|---|---|---|---|---|",
            ]
            lines += [_row(result.name, result, key) for result in results]
            lines.append("")
    sources = sorted(
        {key.split("/", 2)[2] for result in results for key in result.counts if key.startswith("test/core/")}
    )
    lines += [
        "**test split, core, by source and kind of pair** (F1; for negative-only rows: false positives)",
        "",
        "| slice | " + " | ".join(result.name for result in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for slice_key in sources:
        if slice_key == "all":
            continue
        cells = []
        for result in results:
            counts = result.counts.get(f"test/core/{slice_key}")
            if counts is None:
                cells.append("–")
            elif counts.tp + counts.fn == 0:
                cells.append(f"{counts.fp} FP of {counts.fp + counts.tn}")
            else:
                cells.append(f"{counts.f1:.3f}")
        lines.append(f"| {slice_key} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Scoring time for all pairs (single core): "
        + ", ".join(f"{result.name} {result.seconds:.1f} s" for result in results)
        + ".",
        "",
    ]
    return lines


def _block(name: str, lines: list[str]) -> list[str]:
    return [f"<!-- names-{name} -->", *lines, f"<!-- /names-{name} -->"]


def _previous_block(name: str) -> list[str]:
    text = read_section("names") or ""
    opening, closing = f"<!-- names-{name} -->", f"<!-- /names-{name} -->"
    if opening not in text or closing not in text:
        return []
    return text.split(opening, 1)[1].split(closing, 1)[0].strip("\n").splitlines()


def write_names_section(header: list[str], blocks: dict[str, list[str]]) -> None:
    body_lines = ["## shelter.names", "", *header]
    for name in BLOCKS:
        lines = blocks.get(name) or _previous_block(name)
        if lines:
            body_lines += _block(name, lines)
    write_section("names", "\n".join(body_lines))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=int, default=1_000_000, help="registry size for the speed run")
    parser.add_argument("--queries", type=int, default=100_000, help="number of queries for the speed run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--baseline-queries", type=int, default=200, help="queries for the brute-force baseline"
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "shelter-bench-names")
    arguments = parser.parse_args()
    if not SHARED_DATA.exists():
        raise SystemExit(f"needs the shared data at {SHARED_DATA}")
    header = [
        (
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; reproduce with `python bench/names/run.py`."
        ),
        "",
    ]
    blocks: dict[str, list[str]] = {}
    if not arguments.skip_quality:
        load_before = os.getloadavg()[0]
        pairs = build()
        results, _ = evaluate(pairs)
        blocks["quality"] = [
            *quality_section(results, len(pairs)),
            f"Load average (1 min) on this shared machine: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
            "",
        ]
    if not arguments.skip_speed:
        load_before = os.getloadavg()[0]
        result = run(
            arguments.registry,
            arguments.queries,
            arguments.workers,
            arguments.baseline_queries,
            arguments.workdir,
        )
        blocks["speed"] = [
            *speed_section(result),
            f"Load average (1 min) on this shared machine: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
            "",
        ]
    write_names_section(header, blocks)
    print("\n".join(line for lines in blocks.values() for line in lines))


if __name__ == "__main__":
    main()
