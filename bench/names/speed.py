"""Screening speed: notice-style queries against a large registry, through the real CLI.

Runs ``shelter names screen`` as a subprocess under /usr/bin/time (wall time, peak memory of
the largest process) while sampling the whole process tree's memory, checks how many planted
true matches were found, and times brute-force rapidfuzz (anyascii + token_sort_ratio, all
cores) on a subset of the queries against the whole registry.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
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

    @property
    def recall(self) -> float:
        return self.planted_found / self.planted if self.planted else 1.0

    @property
    def baseline_full_seconds(self) -> float:
        return self.baseline_seconds * self.query_count / self.baseline_queries


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


# Hits kept per query; the limit never splits a tie, so namesakes that nothing tells apart (common
# names without a date of birth) are all written.
HIT_LIMIT = 10


def run_screen(folder: Path, workers: int) -> tuple[float, float, int]:
    shelter = shutil.which("shelter")
    if shelter is None:
        raise SystemExit("the shelter command is not installed: pip install -e '.[test]'")
    command = [
        shelter,
        "names",
        "screen",
        "--queries",
        str(folder / "queries.csv"),
        "--registry",
        str(folder / "registry.csv"),
        "--workers",
        str(workers),
        "--limit",
        str(HIT_LIMIT),
        "-o",
        str(folder / "hits.csv"),
    ]
    peak = 0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with subprocess.Popen(command, stderr=subprocess.DEVNULL) as child:
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


def _hits(folder: Path) -> set[tuple[str, str]]:
    with (folder / "hits.csv").open(encoding="utf-8") as stream:
        return {(row["query_id"], row["registry_id"]) for row in csv.DictReader(stream)}


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
    registry_size: int, query_count: int, workers: int, baseline_queries: int, folder: Path
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
    hits = _hits(folder)
    found = sum(1 for query_id, registry_id in planted.items() if (query_id, registry_id) in hits)
    print(f"brute-force rapidfuzz on {baseline_queries} queries ...", flush=True)
    baseline_seconds, baseline_planted, baseline_found = brute_force(folder, baseline_queries, planted)
    return SpeedResult(
        registry_size,
        query_count,
        len(planted),
        found,
        len(hits),
        wall,
        cpu,
        peak / 2**30,
        workers,
        baseline_queries,
        baseline_seconds,
        baseline_planted,
        baseline_found,
    )
