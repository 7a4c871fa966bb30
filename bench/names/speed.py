"""Screening speed: notice-style queries against a large registry, through the real CLI.

    python bench/names/speed.py                                   # 100,000 queries x 1,000,000 people
    python bench/names/speed.py --baseline-commit 33e1d74         # and that commit's screening, same run
    python bench/names/speed.py --registry 100000 --queries 10000 # a smaller, quicker run

Runs ``shelter names screen`` as a subprocess (wall time, CPU time of all its processes) while
sampling the whole process tree's proportional memory (PSS: pages the forked workers share with
the parent count once), checks how many planted true matches were found and ranked first (per
script when the generator says which scripts meet), and times brute-force rapidfuzz (anyascii +
token_sort_ratio, all cores) on a subset of the queries against the whole registry. With
``--baseline-commit`` the screening of that commit (its ``src`` from ``git archive``) and of the
working tree are both run on the first ``--baseline-subset`` queries, one after the other, in the
same run. Writes the speed block of the names section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process

from registry import generate, people_rows


@dataclass(frozen=True)
class SpeedResult:
    registry_size: int
    query_count: int
    planted: int
    planted_found: int
    hits: int
    wall_seconds: float
    cpu_seconds: float
    peak_tree_rss_gib: float
    workers: int
    baseline_queries: int
    baseline_seconds: float
    baseline_planted: int
    baseline_planted_found: int
    planted_first: int = 0
    # script -> (planted, found, ranked first), when planted.csv has a script column
    by_script: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    planted_tied_first: int = 0  # the planted match scores as high as the first hit
    # earlier source against the working tree on the same subset of queries: (label, SubsetRun)
    subset_runs: list[tuple[str, SubsetRun]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.planted_found / self.planted if self.planted else 1.0

    @property
    def baseline_full_seconds(self) -> float:
        return self.baseline_seconds * self.query_count / self.baseline_queries


@dataclass(frozen=True)
class SubsetRun:
    queries: int
    wall_seconds: float
    cpu_seconds: float
    peak_tree_gib: float
    planted: int
    planted_found: int


def _memory_bytes(pid: int) -> int:
    """Proportional set size of a process (shared pages divided among their sharers); resident size
    where the kernel does not give it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, PermissionError):
        pass
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _tree_rss_bytes(root: int) -> int:
    """Memory of a process and all its descendants, from /proc (see _memory_bytes)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += _memory_bytes(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


# Hits kept per query; the limit never splits a tie, so namesakes that nothing tells apart (common
# names without a date of birth) are all written.
HIT_LIMIT = 10


def run_screen(
    folder: Path, workers: int, queries: str = "queries.csv", hits: str = "hits.csv", source: Path | None = None
) -> tuple[float, float, int]:
    """Run ``shelter names screen`` (from the source folder ``source`` when given); wall seconds, CPU
    seconds of all its processes, peak memory of its process tree."""
    shelter = shutil.which("shelter")
    if shelter is None:
        raise SystemExit("the shelter command is not installed: pip install -e '.[test]'")
    program = (
        [sys.executable, "-c", "import sys; from shelter.cli import main; sys.argv[0] = 'shelter'; main()"]
        if source is not None
        else [shelter]
    )
    command = [
        *program,
        "names",
        "screen",
        "--queries",
        str(folder / queries),
        "--registry",
        str(folder / "registry.csv"),
        "--workers",
        str(workers),
        "--limit",
        str(HIT_LIMIT),
        "-o",
        str(folder / hits),
    ]
    environment = dict(os.environ, PYTHONPATH=str(source)) if source is not None else None
    peak = 0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with subprocess.Popen(command, stderr=subprocess.DEVNULL, env=environment) as child:
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_bytes(child.pid))
                done.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = child.wait()
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    if returncode != 0:
        raise SystemExit(f"shelter names screen failed with exit code {returncode}: {' '.join(command)}")
    return wall, cpu, peak


def _planted(folder: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in people_rows(folder / "planted.csv")}


def _scripts(folder: Path) -> dict[str, str]:
    """Which scripts meet in each planted query ("Arabic/Latin" ...), when the generator says."""
    return {row[0]: row[2] for row in people_rows(folder / "planted.csv") if len(row) > 2 and row[2]}


def _hits(folder: Path, name: str = "hits.csv") -> tuple[dict[tuple[str, str], str], dict[str, tuple[str, str]]]:
    """The (query, registry) pairs written with their scores, and each query's first hit and its score."""
    pairs: dict[tuple[str, str], str] = {}
    first: dict[str, tuple[str, str]] = {}
    with (folder / name).open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            pairs[row["query_id"], row["registry_id"]] = row["score"]
            first.setdefault(row["query_id"], (row["registry_id"], row["score"]))
    return pairs, first


def _subset(folder: Path, count: int) -> str:
    """The first ``count`` queries, as a file of their own in ``folder``; its name."""
    name = f"queries-first-{count}.csv"
    with (folder / "queries.csv").open(encoding="utf-8") as source, (folder / name).open("w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number > count:
                break
            target.write(line)
    return name


def _source_of(commit: str, folder: Path) -> Path:
    """The ``src`` folder of a commit, from ``git archive``, under ``folder``."""
    target = folder / f"source-{commit}"
    if not (target / "src").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit, "src"], cwd=Path(__file__).resolve().parents[2], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def compare_on_subset(
    folder: Path, workers: int, commit: str, count: int, planted: dict[str, str]
) -> list[tuple[str, SubsetRun]]:
    """The screening of ``commit`` and of the working tree on the first ``count`` queries, in turn."""
    queries = _subset(folder, count)
    runs: list[tuple[str, SubsetRun]] = []
    for label, source in ((f"commit {commit}", _source_of(commit, folder)), ("this tree", None)):
        print(f"screening the first {count} queries with {label} ...", flush=True)
        wall, cpu, peak = run_screen(folder, workers, queries, f"hits-first-{count}.csv", source)
        pairs, _ = _hits(folder, f"hits-first-{count}.csv")
        mine = {query: target for query, target in planted.items() if int(query[1:]) < count}
        found = sum(1 for pair in mine.items() if pair in pairs)
        runs.append((label, SubsetRun(count, wall, cpu, peak / 2**30, len(mine), found)))
    return runs


def brute_force(
    folder: Path, query_count: int, planted: dict[str, str], cutoff: int = 80
) -> tuple[float, int, int]:
    """rapidfuzz cdist over the whole registry for the first query_count queries (all cores)."""
    registry = list(people_rows(folder / "registry.csv"))
    queries = list(people_rows(folder / "queries.csv"))[:query_count]
    choices = [anyascii(row[1]).lower() for row in registry]
    started = time.perf_counter()
    found = 0
    planted_here = 0
    for start in range(0, len(queries), 50):
        batch = queries[start : start + 50]
        matrix = process.cdist(
            [anyascii(row[1]).lower() for row in batch],
            choices,
            scorer=fuzz.token_sort_ratio,
            workers=-1,
            dtype="uint8",
            score_cutoff=cutoff,
        )
        for offset, row in enumerate(batch):
            target = planted.get(row[0])
            if target is not None:
                planted_here += 1
                found += int(matrix[offset, int(target[1:])] >= cutoff)
    return time.perf_counter() - started, planted_here, found


def run(
    registry_size: int,
    query_count: int,
    workers: int,
    baseline_queries: int,
    folder: Path,
    baseline_commit: str | None = None,
    baseline_subset: int = 10_000,
) -> SpeedResult:
    marker = folder / f"generated-{registry_size}-{query_count}"
    if not marker.exists():
        print(
            f"generating {registry_size} registry records and {query_count} queries in {folder} ...",
            flush=True,
        )
        generate(registry_size, query_count, planted_share=0.5, seed=20261127, folder=folder)
        marker.touch()
    print(f"screening with {workers} worker(s) ...", flush=True)
    wall, cpu, peak = run_screen(folder, workers)
    planted = _planted(folder)
    hits, first = _hits(folder)
    found = {query_id for query_id, registry_id in planted.items() if (query_id, registry_id) in hits}
    ranked_first = {query_id for query_id, registry_id in planted.items() if first.get(query_id, ("", ""))[0] == registry_id}
    tied_first = sum(
        1 for query_id in found if hits[query_id, planted[query_id]] == first[query_id][1]
    )
    scripts = _scripts(folder)
    counts = Counter(scripts.values())
    by_script = {
        script: (
            total,
            sum(1 for query_id in found if scripts.get(query_id) == script),
            sum(1 for query_id in ranked_first if scripts.get(query_id) == script),
        )
        for script, total in counts.most_common()
    }
    subset_runs = (
        compare_on_subset(folder, workers, baseline_commit, min(baseline_subset, query_count), planted)
        if baseline_commit
        else []
    )
    print(f"brute-force rapidfuzz on {baseline_queries} queries ...", flush=True)
    baseline_seconds, baseline_planted, baseline_found = brute_force(folder, baseline_queries, planted)
    return SpeedResult(
        registry_size,
        query_count,
        len(planted),
        len(found),
        len(hits),
        wall,
        cpu,
        peak / 2**30,
        workers,
        baseline_queries,
        baseline_seconds,
        baseline_planted,
        baseline_found,
        len(ranked_first),
        by_script,
        tied_first,
        subset_runs,
    )


def speed_section(result: SpeedResult) -> list[str]:
    lines = [
        "### Speed (screening)",
        "",
        f'`shelter names screen` with {result.query_count:,} notice-style queries ("SURNAME GIVEN" in Latin letters or',
        f"pinyin) against a registry of {result.registry_size:,} people (Cyrillic and Latin with patronymics; Arabic,",
        "Persian and Uyghur people in Arabic script, Chinese characters or Latin; Chinese people in characters or pinyin;",
        "dates of birth, Zipf-distributed common names), generated by `bench/names/registry.py`; half the queries are",
        "planted: a registry person written as a notice would write them. The registry is indexed once and",
        f"{result.workers} worker processes share the index; `--limit {HIT_LIMIT}` hits per query (more when tied).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| wall time, whole command (read CSVs, index, screen, write) | {result.wall_seconds:.1f} s |",
        f"| CPU time, all processes | {result.cpu_seconds:.1f} s |",
        f"| peak memory, all processes (PSS: shared pages counted once) | {result.peak_tree_rss_gib:.2f} GiB |",
        f"| planted true matches found | {result.planted_found:,} / {result.planted:,} = {result.recall:.3f} |",
        (
            f"| planted true match is the first hit | {result.planted_first:,} / {result.planted:,} = "
            f"{result.planted_first / result.planted if result.planted else 1.0:.3f} |"
        ),
        (
            f"| planted true match scores as high as the first hit (ties: namesakes nothing tells apart) | "
            f"{result.planted_tied_first:,} / {result.planted:,} = "
            f"{result.planted_tied_first / result.planted if result.planted else 1.0:.3f} |"
        ),
        f"| hits written | {result.hits:,} |",
    ]
    for label, subset in result.subset_runs:
        lines.append(
            f"| first {subset.queries:,} queries, {label}: wall / CPU / peak memory / planted found | "
            f"{subset.wall_seconds:.1f} s / {subset.cpu_seconds:.1f} s / {subset.peak_tree_gib:.2f} GiB / "
            f"{subset.planted_found:,} of {subset.planted:,} |"
        )
    lines += [
        (
            f"| brute-force rapidfuzz (anyascii + token_sort_ratio, cdist, all cores), {result.baseline_queries} queries x "
            f"{result.registry_size:,} | {result.baseline_seconds:.1f} s -> {result.baseline_full_seconds / 60:.1f} min "
            f"extrapolated to {result.query_count:,} queries; planted found at cutoff 80: "
            f"{result.baseline_planted_found}/{result.baseline_planted} |"
        ),
        "",
    ]
    if result.by_script:
        lines += [
            "Planted true matches by the scripts that meet (registry / notice):",
            "",
            "| scripts | planted | found | recall | first hit |",
            "|---|---:|---:|---:|---:|",
        ]
        for script, (total, found, first) in result.by_script.items():
            lines.append(f"| {script} | {total:,} | {found:,} | {found / total:.3f} | {first / total:.3f} |")
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", type=int, default=1_000_000, help="registry size")
    parser.add_argument("--queries", type=int, default=100_000, help="number of queries")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-queries", type=int, default=200, help="queries for the brute-force baseline")
    parser.add_argument("--baseline-commit", help="also screen with this commit's source, on a subset of the queries")
    parser.add_argument("--baseline-subset", type=int, default=10_000, help="queries for --baseline-commit")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "shelter-bench-names")
    parser.add_argument("--no-write", action="store_true", help="print the figures without writing RESULTS.md")
    arguments = parser.parse_args()
    load_before = os.getloadavg()[0]
    result = run(
        arguments.registry,
        arguments.queries,
        arguments.workers,
        arguments.baseline_queries,
        arguments.workdir,
        arguments.baseline_commit,
        arguments.baseline_subset,
    )
    command = " ".join(["python bench/names/speed.py", *sys.argv[1:]])
    lines = [
        *speed_section(result),
        f"Command: `{command}`. Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"Load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
        "",
    ]
    print("\n".join(lines))
    if not arguments.no_write:
        from run import write_names_section

        write_names_section(
            [
                f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
                f"{platform.python_version()}; reproduce with `python bench/names/run.py`.",
                "",
            ],
            {"speed": lines},
        )


if __name__ == "__main__":
    main()
