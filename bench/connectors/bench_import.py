"""CSV import speed: ``shelter import FILE --format csv`` against one write per row through the services.

    python bench/connectors/bench_import.py [--rows 100000] [--baseline-rows 1000]

Generates a deterministic CSV of fictional incidents, imports it into a fresh SQLite workspace (set
SHELTER_DATABASE_URL to measure PostgreSQL instead) with the bulk importer, then writes a sample of the
same rows one at a time through ``create_incident`` (what the API does per request) as the baseline.
Figures go into the ``connectors`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import write_section

ORIGINS = ["UZ", "TJ", "TM", "RU", "BY", "KZ", "KG", "AZ", "CN", "IR", "RW", "TR"]
HOSTS = ["TR", "RU", "DE", "FR", "GB", "US", "UA", "KZ", "AE", "SE", "PL", "LT", "CZ", "NL", "AT", "EG", "TH"]
WORDS = ["exile", "blogger", "journalist", "imam", "activist", "relatives", "airport", "embassy", "court",
         "notice", "police", "abduction", "questioned", "phone", "account", "diaspora", "meeting", "border"]


def generate(path: Path, rows: int, tactics: list[str], seed: int = 20261127) -> None:
    from shelter.progress import track

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "tactic", "origin_state", "host_country", "confidentiality",
                         "verification", "place", "description"])
        for number in track(range(rows), "generating incidents"):
            year = rng.randint(2014, 2026)
            date = rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}",
                               f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
            words = " ".join(rng.choice(WORDS) for _ in range(4))
            writer.writerow([f"Incident {number}: {words}", date, rng.choice(tactics), rng.choice(ORIGINS),
                             rng.choice(HOSTS), rng.choice(["public", "internal", "confidential"]),
                             rng.choice(["unverified", "verified", "partially_verified"]), "",
                             " ".join(rng.choice(WORDS) for _ in range(20))])


def _update_results(section: str) -> None:
    write_section("connectors", section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shelter-bench-import-"))
    os.environ["SHELTER_HOME"] = str(work)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shelter.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shelter.connectors.base import no_progress
    from shelter.connectors.csv_incidents import read_csv
    from shelter.incidents.models import Incident
    from shelter.incidents.services import create_incident
    from shelter.incidents.taxonomy import taxonomy
    from shelter.search.models import SearchDocument

    call_command("migrate", interactive=False, verbosity=0)
    if Incident.objects.exists():
        sys.exit("the benchmark needs an empty database (unset SHELTER_DATABASE_URL or point it at a new one)")
    csv_path = work / "incidents.csv"
    generate(csv_path, args.rows, list(taxonomy().codes))

    started, cpu_started = time.perf_counter(), time.process_time()
    report = read_csv(csv_path, False, no_progress)
    bulk_seconds = time.perf_counter() - started
    bulk_cpu = time.process_time() - cpu_started
    assert report.ok, report.problems[:5]
    assert Incident.objects.count() == args.rows
    assert SearchDocument.objects.filter(kind="incident").count() == args.rows
    print(f"imported {args.rows} rows in {bulk_seconds:.1f} s (CPU {bulk_cpu:.1f} s)", file=sys.stderr)

    sample_path = work / "sample.csv"
    generate(sample_path, args.baseline_rows, list(taxonomy().codes), seed=7)
    with sample_path.open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    started, cpu_started = time.perf_counter(), time.process_time()
    for row in sample:
        create_incident(None, {k: v for k, v in row.items() if v})
    per_row_seconds = time.perf_counter() - started
    per_row_cpu = time.process_time() - cpu_started

    bulk_rate = args.rows / bulk_seconds
    per_row_rate = args.baseline_rows / per_row_seconds
    verdict = "meets" if bulk_seconds <= 60 * args.rows / 100_000 else "misses"
    section = f"""## connectors — `python bench/connectors/bench_import.py --rows {args.rows}`

{connection.vendor}, Python {platform.python_version()}, {os.cpu_count()} CPU(s) shared with other work;
{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average at the end {os.getloadavg()[0]:.1f}. Generated fictional
incidents (9 columns, ~200 bytes of text each). Wall-clock time; the process's own CPU time in brackets
(the difference is time spent waiting for the shared CPUs and the disk).

| measure | bulk importer (`shelter import --format csv`) | baseline: one `create_incident` per row | target |
|---|---|---|---|
| {args.rows:,} rows: validate, insert, history, search index | {bulk_seconds:.1f} s [CPU {bulk_cpu:.1f} s] ({bulk_rate:,.0f} rows/s) | {per_row_rate:,.0f} rows/s [CPU {per_row_cpu:.1f} s] on {args.baseline_rows:,} rows (≈ {args.rows / per_row_rate:,.0f} s for {args.rows:,}) | 100,000 rows ≤ 60 s ({verdict}) |
"""
    print(section)
    if not args.no_write:
        _update_results(section)


if __name__ == "__main__":
    main()
