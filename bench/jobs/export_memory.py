"""Peak memory of a records export run as a job (what ``POST /api/v1/records/export`` queues), against an older
source tree: does the worker hold the export whole in memory?

    python bench/jobs/export_memory.py [--people 200000] [--format json] [--before-src DIR] [--no-write]

One SQLite workspace is filled with N fictional people (two names each, the generator of bench/platform), by the
older tree when one is given (``git archive COMMIT src | tar -x -C DIR`` gives ``DIR/src``), so that each tree
can migrate its own copy. Each tree then runs one export job in a process of its own, one after the other: the
process queues the job for an administrator and runs it (``run_queued``), and reports its peak resident memory
(``ru_maxrss``) once the job is queued and once it is done; the difference is what the export held. Figures go
into the ``jobs-export-memory`` section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPOSITORY_SRC = BENCH.parents[1] / "src"
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH.parent / "platform"))
from results import write_section

BATCH = 5000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup(home: Path) -> None:
    os.environ["SHELTER_HOME"] = str(home)
    os.environ.pop("SHELTER_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shelter.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def fill(home: Path, count: int) -> dict[str, int]:
    """Run in a child process: a new workspace with an administrator and ``count`` people."""
    _setup(home)
    from django.db import transaction
    from generate import people

    from shelter.access.models import User
    from shelter.registry.models import Person, PersonName

    User.objects.create(username="bench-admin", role="admin", clearance="confidential")
    generated = people(count)
    while batch := list(islice(generated, BATCH)):
        with transaction.atomic():
            created = Person.objects.bulk_create([
                Person(primary_name=p.primary_name, nationalities=[p.nationality], country_of_residence=p.residence,
                       confidentiality=p.confidentiality, published=p.published) for p in batch])
            PersonName.objects.bulk_create([
                PersonName(person=person, full_name=form, script=script, kind=kind)
                for person, p in zip(created, batch, strict=True)
                for form, script, kind in ((p.cyrillic_name, "Cyrl", "native"),
                                           (p.primary_name, "Latn", "transliteration"))])
    return {"people": Person.objects.count()}


def measure(home: Path, format_name: str) -> dict[str, float | int | str]:
    """Run in a child process: queue and run one export job in the workspace ``home``, report memory and time."""
    _setup(home)
    import shelter
    import shelter.connectors.jobs  # an older tree's workers did not load it on their own
    from shelter.access.models import User
    from shelter.jobs.models import Job, JobResult
    from shelter.jobs.services import start
    from shelter.jobs.worker import run_queued

    job = start("records.export", User.objects.get(username="bench-admin"), {"format": format_name})
    ready = _peak_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    run_queued()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _peak_mib()
    job = Job.objects.get(pk=job.pk)
    assert job.status == "done", job.error
    result = JobResult.objects.get(job=job)
    size = int(getattr(result, "size", 0) or 0) or len(bytes(result.data))  # an older tree keeps the file whole
    return {"source": str(Path(shelter.__file__).parents[1]), "ready_mib": ready, "peak_mib": peak,
            "seconds": seconds, "cpu": cpu, "bytes": size}


def _child(src: Path, *args: str) -> dict[str, float | int | str]:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True,
                          check=False)
    if done.returncode:
        sys.exit(f"{' '.join(args)} with {src} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float | int | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--format", default="json", choices=["json", "csv", "ftm"])
    parser.add_argument("--before-src", type=Path, help="an older source tree (its src folder) to measure too")
    parser.add_argument("--before-label", default="before", help="what to call the older tree in the table")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        print(json.dumps(fill(args.fill, args.people)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.format)))
        return

    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="shelter-bench-export-memory-"))
    try:
        trees = ([(args.before_label, args.before_src)] if args.before_src else []) + [("this tree", REPOSITORY_SRC)]
        started = time.perf_counter()
        filled = _child(trees[0][1], "--fill", str(work / "base"), "--people", str(args.people))
        print(f"filled {filled['people']:,} people in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        rows = []
        for label, src in trees:
            home = work / label.replace(" ", "-")
            shutil.copytree(work / "base", home)
            result = _child(src, "--measure", str(home), "--format", args.format)
            print(label, result, file=sys.stderr)
            held = float(result["peak_mib"]) - float(result["ready_mib"])
            rows.append(f"| {label} | {float(result['peak_mib']):,.0f} MiB | {held:,.0f} MiB | "
                        f"{int(result['bytes']) / 2**20:,.0f} MiB | "
                        f"{float(result['seconds']):,.0f} s [CPU {float(result['cpu']):,.0f} s] |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    before = " --before-src DIR" if args.before_src else ""
    section = f"""## jobs-export-memory — `python bench/jobs/export_memory.py --people {args.people} --format {args.format}{before}`

Peak resident memory (`ru_maxrss`) of the process running one records export job (`{args.format}`, what
`POST /api/v1/records/export` queues) over a SQLite workspace of {args.people:,} fictional people with two names
each, for an administrator. "Held by the export" is the peak minus the peak once the job was queued. Each tree ran
in its own process, one after the other. sqlite, Python {platform.python_version()}, {os.cpu_count()} CPU(s)
shared with other work; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load:.1f} at the start,
{os.getloadavg()[0]:.1f} at the end.

| code | peak memory | held by the export | file | wall time [CPU] |
|---|---|---|---|---|
{chr(10).join(rows)}
"""
    print(section)
    if not args.no_write:
        write_section("jobs-export-memory", section)


if __name__ == "__main__":
    main()
