"""Peak memory of a CSV import as the file grows: ``shelter import FILE --format csv`` on a generated file.

    python bench/connectors/bench_memory.py [--rows 1000000] [--before-src DIR] [--dry-run]

Generates a CSV of fictional incidents (the generator of ``bench_import.py``), then imports it into a fresh
SQLite workspace in a separate process for each source tree measured: this checkout, and with ``--before-src``
an older one (e.g. ``git archive COMMIT src | tar -x -C DIR`` gives ``DIR/src``). Each process reports its peak
resident memory (``resource.getrusage``, ``ru_maxrss``) once Django is set up and once the import is done, so the
difference is what the import itself held. The processes run side by side, so their times include waiting for
each other. Figures go into the ``connectors-memory`` (``--dry-run``) or ``connectors-memory-write`` section of
RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPOSITORY_SRC = BENCH.parents[1] / "src"
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
from bench_import import generate
from results import write_section


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(csv_path: Path, dry_run: bool) -> dict[str, float | int | str]:
    """Run in a child process: import ``csv_path`` into a new workspace, report peak memory and time."""
    work = Path(tempfile.mkdtemp(prefix="shelter-bench-memory-"))
    os.environ["SHELTER_HOME"] = str(work)
    os.environ.pop("SHELTER_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shelter.settings"
    import django

    django.setup()
    from django.core.management import call_command

    import shelter
    from shelter.connectors.base import no_progress
    from shelter.connectors.csv_incidents import read_csv
    from shelter.incidents.models import Incident

    call_command("migrate", interactive=False, verbosity=0)
    ready = _peak_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    report = read_csv(csv_path, dry_run, no_progress)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert report.ok, [str(p) for p in report.problems[:5]]
    return {"source": str(Path(shelter.__file__).parents[1]), "ready_mib": ready, "peak_mib": _peak_mib(),
            "seconds": seconds, "cpu": cpu, "incidents": Incident.objects.count()}


def _start(src: Path, csv_path: Path, dry_run: bool) -> subprocess.Popen[str]:
    command = [sys.executable, __file__, "--measure", str(csv_path)] + (["--dry-run"] if dry_run else [])
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(src: Path, process: subprocess.Popen[str]) -> dict[str, float | int | str]:
    stdout, stderr = process.communicate()
    if process.returncode:
        sys.exit(f"the import from {src} failed:\n{stderr[-3000:]}")
    result: dict[str, float | int | str] = json.loads(stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--before-src", type=Path, help="an older source tree (its src folder) to measure too")
    parser.add_argument("--before-label", default="before", help="what to call the older tree in the table")
    parser.add_argument("--dry-run", action="store_true", help="check every row but write nothing")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.dry_run)))
        return

    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="shelter-bench-memory-csv-"))
    csv_path = work / "incidents.csv"
    sys.path.insert(0, str(REPOSITORY_SRC))
    from shelter.incidents.taxonomy import taxonomy

    generate(csv_path, args.rows, list(taxonomy().codes))
    size_mib = csv_path.stat().st_size / 2**20
    trees = ([(args.before_label, args.before_src)] if args.before_src else []) + [("this tree", REPOSITORY_SRC)]
    rows = []
    # Each tree is measured in its own process, side by side (peak memory is per process).
    started = [(label, src, _start(src, csv_path, args.dry_run)) for label, src in trees]
    for label, src, process in started:
        result = _result(src, process)
        print(label, result, file=sys.stderr)
        if result["incidents"] != (0 if args.dry_run else args.rows):
            sys.exit(f"{label}: {result['incidents']} incidents written, expected {args.rows}")
        held = float(result["peak_mib"]) - float(result["ready_mib"])
        rows.append(f"| {label} | {float(result['peak_mib']):,.0f} MiB | {held:,.0f} MiB | "
                    f"{float(result['seconds']):,.0f} s [CPU {float(result['cpu']):,.0f} s] |")
    what = "check every row, write nothing (--dry-run)" if args.dry_run else "validate, insert, history, search index"
    section = f"""## connectors-memory{'' if args.dry_run else '-write'} — `python bench/connectors/bench_memory.py --rows {args.rows}{' --dry-run' if args.dry_run else ''}{' --before-src DIR' if args.before_src else ''}`

Peak resident memory (`ru_maxrss`) of one `shelter import` of a generated CSV of {args.rows:,} fictional incidents
({size_mib:,.0f} MiB, 9 columns) into a new SQLite workspace: {what}. "Held by the import" is the peak minus the
peak once Django was set up; the two processes ran side by side. sqlite, Python {platform.python_version()}, {os.cpu_count()} CPU(s) shared with other
work; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.

| code | peak memory | held by the import | wall time [CPU] |
|---|---|---|---|
{chr(10).join(rows)}
"""
    print(section)
    if not args.no_write:
        write_section("connectors-memory" + ("" if args.dry_run else "-write"), section)


if __name__ == "__main__":
    main()
