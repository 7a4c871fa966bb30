"""Notices at full scale: `shelter notices import` of the 6,400-row Interpol list, screening included, in a new
process, against a registry of 1,000,000 people whose names index is already on disk (the platform's normal
state: the index is rebuilt only when people change).

    python bench/notices/screen_scale.py --workdir /tmp/shelter-bench-notices-1m --baseline-commit COMMIT
    python bench/notices/screen_scale.py --workdir /tmp/shelter-bench-notices-100k --registry 100000

The registry (generated people and 200 planted real list subjects, as in bench/notices/run.py) is written once
into ``--workdir`` and reused by later runs. Each version of the code (the working tree, and ``--baseline-commit``
from ``git archive``) gets its own copy of that database in which its own names index is built and saved first;
then every timed run starts from a copy of the registry without notices, so the import creates all of them.
The screening results of the two versions are compared row by row (notice, person, score, explanation).
``--profile`` runs the working tree once more under cProfile (screening in one process) and lists where the
time goes. Figures go to bench/RESULTS.md between the notices-scale markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run as notices_bench
from results import write_section

REPO = Path(__file__).resolve().parents[2]
SECTION = "notices-scale"
DATABASE = "shelter.sqlite3"
SEED = 20250515
CLI = "import sys; from shelter.cli import main; sys.argv[0] = 'shelter'; main()"
PROFILED = """
import cProfile, sys
from shelter.cli import main
profile = cProfile.Profile()
profile.enable()
try:
    main(sys.argv[2:], standalone_mode=False)
finally:
    profile.disable()
    profile.dump_stats(sys.argv[1])
"""
PREPARE_INDEX = """
import time
from shelter.cli import setup_django
setup_django()
from shelter.notices.screening.notices import registry_index
started = time.perf_counter()
print(len(registry_index()), round(time.perf_counter() - started, 1))
"""


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_mib: float


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def run_child(arguments: list[str], home: Path, source: Path | None) -> tuple[Measured, str]:
    """Run a new Python process on ``home``'s database with ``source`` (None: the working tree) first on the path."""
    environment = dict(os.environ, SHELTER_HOME=str(home), DJANGO_SETTINGS_MODULE="shelter.settings")
    environment.pop("SHELTER_DATABASE_URL", None)
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], env=environment, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(arguments[:3])} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, after.ru_maxrss / 1024), done.stdout


def build_registry(workdir: Path, size: int, planted: int) -> None:
    """Write the registry database once (in this process: Django set up on ``workdir/registry``)."""
    home = workdir / "registry"
    home.mkdir(parents=True, exist_ok=True)
    notices_bench.setup(home)
    rng = random.Random(SEED)
    subjects = notices_bench.planted_subjects(rng, planted)
    started = time.perf_counter()
    notices_bench.fill_registry(size, subjects, rng)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    description = {"registry": size, "planted": [name.upper() for name, *_ in subjects],
                   "seconds": round(time.perf_counter() - started, 1)}
    (workdir / "registry.json").write_text(json.dumps(description), encoding="utf-8")


def registry(workdir: Path, size: int, planted: int) -> dict[str, object]:
    described = workdir / "registry.json"
    if described.exists():
        kept: dict[str, object] = json.loads(described.read_text(encoding="utf-8"))
        if kept["registry"] == size and (workdir / "registry" / DATABASE).exists():
            return kept
        sys.exit(f"{workdir} holds a registry of {kept['registry']:,} people; use another --workdir")
    log(f"writing a registry of {size:,} people into {workdir} (once)")
    run_child([__file__, "--workdir", str(workdir), "--registry", str(size), "--planted", str(planted),
               "--build-registry"], workdir / "registry", None)
    return dict(json.loads(described.read_text(encoding="utf-8")))


def fresh_database(workdir: Path, home: Path) -> None:
    """The registry without notices, as written once, copied into ``home`` (its names index, if any, kept)."""
    home.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (home / f"{DATABASE}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(workdir / "registry" / DATABASE, home / DATABASE)
    secret = workdir / "registry" / "secret_key"
    if secret.exists():
        shutil.copyfile(secret, home / "secret_key")


def source_of(workdir: Path, commit: str) -> Path:
    """The ``src`` folder of a commit, from ``git archive``."""
    target = workdir / f"source-{commit}"
    if not (target / "src").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=REPO, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def screening_rows(home: Path) -> tuple[set[tuple[str, int, float, str]], int]:
    """Every candidate (notice entity id, person, score, explanation) and the number of alerts."""
    with sqlite3.connect(home / DATABASE) as database:
        rows = database.execute(
            "SELECT n.entity_id, m.person_id, m.score, m.explanation FROM notices_screeningmatch m "
            "JOIN notices_notice n ON n.id = m.notice_id").fetchall()
        alerts = database.execute("SELECT COUNT(*) FROM notices_alert").fetchone()[0]
    return {(entity, person, round(score, 4), text) for entity, person, score, text in rows}, alerts


def planted_found(home: Path, planted: set[str]) -> int:
    with sqlite3.connect(home / DATABASE) as database:
        names = database.execute(
            "SELECT DISTINCT UPPER(p.primary_name) FROM notices_screeningmatch m "
            "JOIN registry_person p ON p.id = m.person_id WHERE p.at_risk = 1").fetchall()
    return len({name for (name,) in names} & planted)


@dataclass
class VersionRun:
    label: str
    index: Measured
    index_stdout: str
    run: Measured
    rows: set[tuple[str, int, float, str]]
    alerts: int
    planted_found: int


def measure_version(workdir: Path, label: str, source: Path | None, processes: int,
                    planted: set[str]) -> VersionRun:
    home = workdir / f"home-{label}"
    fresh_database(workdir, home)
    log(f"{label}: names index on disk (built and saved if missing or stale), load {load()}")
    index, index_stdout = run_child(["-c", PREPARE_INDEX], home, source)
    log(f"{label}: index ready in {index.wall:.1f} s ({index_stdout.strip()}); timing import + screen, load {load()}")
    fresh_database(workdir, home)
    measured, _ = run_child(["-c", CLI, "notices", "import", str(notices_bench.LIST_2025),
                             "--processes", str(processes)], home, source)
    rows, alerts = screening_rows(home)
    log(f"{label}: import + screen {measured.wall:.1f} s wall, {measured.cpu:.1f} s CPU; {len(rows)} candidates")
    return VersionRun(label, index, index_stdout.strip(), measured, rows, alerts, planted_found(home, planted))


def profile_run(workdir: Path, label: str, source: Path | None, top: int) -> list[str]:
    """Where the time of import + screen goes, screening in one process (cProfile of the whole command)."""
    home = workdir / f"home-{label}"
    fresh_database(workdir, home)
    output = workdir / f"import-screen-{label}.prof"
    log(f"{label}: profiling import + screen in one process, load {load()}")
    run_child(["-c", PROFILED, str(output), "notices", "import", str(notices_bench.LIST_2025), "--processes", "1"],
              home, source)
    stats = pstats.Stats(str(output))
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_calls, _primitive, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.split("/src/", 1)[-1] if "/src/" in filename else Path(filename).name
        rows.append((cumulative, own, f"{path}:{line}({function})"))
    ours = sorted((row for row in rows if row[2].startswith("shelter/")), reverse=True)[:top]
    own_time = sorted(rows, key=lambda row: -row[1])[:10]
    lines = ["| Shelter's functions, by time including what they call | cumulative s | own s | share |",
             "|---|---:|---:|---:|"]
    lines += [f"| `{name}` | {cumulative:.1f} | {own:.1f} | {cumulative / total:.0%} |" for cumulative, own, name in ours]
    lines += ["", "| functions by their own time | own s | share |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {own:.1f} | {own / total:.0%} |" for _cumulative, own, name in own_time]
    return [f"cProfile of the whole command ({label}), screening in one process: {total:.1f} s in all "
            f"(profiling slows pure-Python code; the shares are what counts).", "", *lines]


def render(args: argparse.Namespace, described: dict[str, object], runs: list[VersionRun],
           profile: list[str], loads: tuple[str, str]) -> str:
    tree = runs[-1]
    lines = [
        f"## Notices at scale: import + screen of the 6,400-row list against {args.registry:,} people", "",
        "Command: `python bench/notices/screen_scale.py --workdir DIR"
        + (f" --registry {args.registry}" if args.registry != 1_000_000 else "")
        + (f" --baseline-commit {args.baseline_commit}" if args.baseline_commit else "")
        + (f" --commit {args.commit}" if args.commit else "")
        + (" --profile" if args.profile else "") + "`  ",
        f"`shelter notices import red_notices_list_2025.csv --processes {args.processes}` in a new process (start-up "
        "included), SQLite, against a registry whose names index is on disk and current. Machine: "
        f"{platform.machine()}, {os.cpu_count()} cores shared with other work, Python {platform.python_version()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Load average (1 / 5 / 15 min): {loads[0]} before, {loads[1]} after.",
        "",
        "| code | import + screen, wall s (target ≤ 60 s) | CPU s (all processes) | peak memory MiB (largest process) "
        "| candidates | alerts | planted subjects found | names index made ready in a new process, wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(f"| {run.label} | **{run.run.wall:.1f}** | {run.run.cpu:.1f} | {run.run.peak_mib:,.0f} | "
                     f"{len(run.rows):,} | {run.alerts} | {run.planted_found} of {len(described['planted'])} | "  # type: ignore[arg-type]
                     f"{run.index.wall:.1f} |")
    if len(runs) > 1:
        base = runs[0]
        same = base.rows == tree.rows
        lines += ["", ("Screening results identical: every candidate (notice, person, score, explanation) is the same "
                       f"in both runs ({len(tree.rows):,} rows)." if same else
                       f"Screening results differ: {len(base.rows - tree.rows)} rows only in {base.label}, "
                       f"{len(tree.rows - base.rows)} only in {tree.label}.")]
    lines += ["", "The index column: a new process reads the fingerprint, then loads the saved index (or builds and "
              "saves it, the first time for that code); the import's own process does the same before screening.",
              ""]
    if profile:
        lines += [*profile, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True, help="where the registry is kept between runs")
    parser.add_argument("--registry", type=int, default=1_000_000, help="people in the generated registry")
    parser.add_argument("--planted", type=int, default=200, help="real list subjects planted in the registry")
    parser.add_argument("--processes", type=int, default=2, help="screening worker processes")
    parser.add_argument("--baseline-commit", help="also time this commit's code (its src from git archive)")
    parser.add_argument("--commit", help="time this commit's code instead of the working tree")
    parser.add_argument("--profile", action="store_true", help="profile the working tree's run (one process)")
    parser.add_argument("--top", type=int, default=25, help="functions listed from the profile")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    parser.add_argument("--build-registry", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not notices_bench.LIST_2025.exists():
        sys.exit(f"needs the shared data: {notices_bench.LIST_2025} is missing")
    workdir = args.workdir.resolve()
    if args.build_registry:
        build_registry(workdir, args.registry, args.planted)
        return
    before = load()
    described = registry(workdir, args.registry, args.planted)
    planted = set(described["planted"])  # type: ignore[call-overload]
    versions: list[tuple[str, Path | None]] = []
    if args.baseline_commit:
        commit = subprocess.run(["git", "rev-parse", "--short", args.baseline_commit], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout.strip()
        versions.append((f"commit {commit}", source_of(workdir, commit)))
    if args.commit:
        commit = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout.strip()
        versions.append((f"commit {commit}", source_of(workdir, commit)))
    else:
        versions.append(("this tree", None))
    runs = [measure_version(workdir, label.replace("commit ", "").replace("this ", ""), source, args.processes,
                            planted) for label, source in versions]
    profiled = versions[-1]
    for run, (label, _source) in zip(runs, versions):
        run.label = label
    profile = profile_run(workdir, runs[-1].label.replace("commit ", "").replace("this ", ""), profiled[1],
                          args.top) if args.profile else []
    section = render(args, described, runs, profile, (before, load()))
    print(section)
    if not args.no_write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()
