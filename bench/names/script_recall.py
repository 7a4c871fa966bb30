"""Screening recall per script: which planted true matches of the screening benchmark were found.

Reads ``planted.csv`` (written by ``registry.generate``: query, registry record, the scripts that meet
and the name's language), ``queries.csv``, ``registry.csv`` and the ``hits.csv`` that
``shelter names screen`` wrote in the same folder (``speed.py``), and prints for each script pair and
each language the planted pairs, those ``compare`` itself matches, and those the screening found.

    python bench/names/script_recall.py --workdir DIR                 # read a finished run
    python bench/names/script_recall.py --workdir DIR --run --registry 50000 --queries 2000 --write-results

``--run`` generates the data and runs the screening through ``speed.run`` first (a folder that already
holds data of that size is reused); ``--write-results`` writes the ``names-script-recall`` section of
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from shelter.names import PersonRecord, compare

HERE = Path(__file__).resolve().parent
# Names written in another script than Latin and Cyrillic in the registry (registry.SCRIPT_SHARES).
SCRIPT_LANGUAGES = ("arabic", "persian", "uyghur", "kurdish", "pashto", "dari", "chinese", "taiwanese")
OTHER_SCRIPTS = "Arabic-script (Arabic, Persian, Uyghur, Kurdish, Pashto, Dari) and Chinese people, all pairs"
TARGET_RECALL = 0.95


@dataclass
class Tally:
    planted: int = 0
    matched: int = 0  # compare's score reaches the threshold
    found: int = 0  # the screening wrote the pair

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def tally(
    folder: Path,
) -> tuple[dict[str, Tally], dict[str, Tally], list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Per script pair and per language; the planted pairs compare matches but the screening missed, and
    those compare does not match."""
    planted = _rows(folder / "planted.csv")
    if "script" not in planted[0]:
        raise SystemExit(f"{folder / 'planted.csv'} has no script column: generate the data again")
    queries = {row["id"]: row for row in _rows(folder / "queries.csv")}
    registry = {row["id"]: row for row in _rows(folder / "registry.csv")}
    with (folder / "hits.csv").open(encoding="utf-8", newline="") as stream:
        hits = {(row["query_id"], row["registry_id"]) for row in csv.DictReader(stream)}
    by_script: dict[str, Tally] = defaultdict(Tally)
    by_language: dict[str, Tally] = defaultdict(Tally)
    missed: list[tuple[str, str, str]] = []
    unmatched: list[tuple[str, str, str]] = []
    for row in planted:
        query, record = queries[row["query_id"]], registry[row["registry_id"]]
        matched = compare(
            PersonRecord((query["name"],), dob=query["dob"] or None),
            PersonRecord((record["name"],), dob=record["dob"] or None),
        ).is_match
        found = (row["query_id"], row["registry_id"]) in hits
        if matched and not found:
            missed.append((row["script"], query["name"], record["name"]))
        if not matched:
            unmatched.append((row["script"], query["name"], record["name"]))
        keys: tuple[tuple[str, dict[str, Tally]], ...] = (
            (row["script"], by_script),
            (row["language"], by_language),
            ("all", by_script),
        )
        if row["language"] in SCRIPT_LANGUAGES:
            keys += ((f"{row['language']}: {row['script']}", by_language), (OTHER_SCRIPTS, by_language))
        for key, table in keys:
            table[key].planted += 1
            table[key].matched += matched
            table[key].found += found
    return dict(sorted(by_script.items())), dict(sorted(by_language.items())), missed, unmatched


def table(title: str, rows: dict[str, Tally]) -> list[str]:
    lines = [f"| {title} | planted | compare matches | screening found | recall |", "|---|---|---|---|---|"]
    for key, counts in rows.items():
        lines.append(f"| {key} | {counts.planted:,} | {counts.matched:,} | {counts.found:,} | {counts.recall:.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--run", action="store_true", help="generate and screen first (speed.run)")
    parser.add_argument("--registry", type=int, default=50_000, help="with --run; otherwise the size the folder holds")
    parser.add_argument("--queries", type=int, default=2_000, help="with --run; otherwise the number the folder holds")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write-results", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print this many pairs compare matches but screening missed")
    args = parser.parse_args()
    load_before = os.getloadavg()
    wall = ""
    if args.run:
        from speed import run

        result = run(args.registry, args.queries, args.workers, 20, args.workdir)
        wall = f"; screening {result.wall_seconds:.1f} s wall with {result.workers} worker(s)"
    by_script, by_language, missed, unmatched = tally(args.workdir)
    load_after = os.getloadavg()
    lines = [
        *table("registry script / notice script", by_script),
        "",
        *table("language of the name (and scripts of its pairs)", by_language),
    ]
    other = by_language.get(OTHER_SCRIPTS)
    if other is not None:
        verdict = "met" if other.recall >= TARGET_RECALL else "not met"
        lines += [
            "",
            f"Screening recall for the Arabic-script and Chinese people: {other.recall:.3f} "
            f"({other.found:,} of {other.planted:,}; target ≥ {TARGET_RECALL}: {verdict}).",
        ]
    print("\n".join(lines))
    for script, query, record in missed[: args.misses]:
        print(f"screening missed ({script}): {query} | {record}")
    for script, query, record in unmatched[: args.misses]:
        print(f"compare below the threshold ({script}): {query} | {record}")
    if args.write_results:
        sys.path.insert(0, str(HERE.parent))
        from results import write_section

        command = "python bench/names/script_recall.py --workdir DIR" + (
            f" --run --registry {args.registry} --queries {args.queries} --workers {args.workers}" if args.run else ""
        )
        body = [
            f"## names: screening recall per script — `{command} --write-results`",
            "",
            "The screening benchmark's data (`bench/names/registry.py`) with Arabic, Persian, Uyghur, Kurdish,",
            "Pashto and Dari people (Arabic script, the Uyghur names' Chinese characters with the interpunct, or",
            "Latin), Chinese people (characters or pinyin) and Taiwanese people (characters or Wade-Giles) among",
            "the Cyrillic and Latin ones, 16 % of the registry; notices spell them in Latin, pinyin or Wade-Giles.",
            "Half the queries",
            "are planted; `shelter names screen` at the default threshold, `--limit 10` (more when tied).",
            f"Registry {args.registry:,} people, {args.queries:,} queries"
            + (" (a small run of the 1,000,000 x 100,000" if args.registry < 1_000_000 else " (the")
            + f" benchmark's data){wall}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()},",
            f"{os.cpu_count()} cores shared with other work, Python {platform.python_version()}, load average",
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min).",
            "",
            *lines,
            "",
            f"Planted pairs that `compare` matches but the screening did not write: {len(missed)}.",
        ]
        write_section("names-script-recall", "\n".join(body))


if __name__ == "__main__":
    main()
