"""A large records import and an export through the API of `shelter serve` (its in-process worker runs the jobs):
how long the API takes to answer, and how long until each job is done (the import's, then the screening of the
people it added, then the export's). The figures go into the ``jobs-records`` section of RESULTS.md, with the
machine's load average before and after (unless ``--no-write``).

    python bench/jobs/records_jobs.py --people 20000 [--database-url postgres://...] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from live import serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import write_section


def _ftm(people: int) -> bytes:
    lines = [json.dumps({"id": f"p-{number}", "schema": "Person",
                         "properties": {"name": [f"Rustam Testov{number}"], "birthDate": ["1980-01-01"],
                                        "nationality": ["uz"]}}) for number in range(people)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with serving("admin", args.database_url) as server:
        body = _ftm(args.people)
        started = time.monotonic()
        answer = server.call("/api/v1/records/import", body, content_type="application/x-ndjson")
        import_answered = time.monotonic() - started
        imported = server.until_done(answer["job"])
        import_done = time.monotonic() - started
        screening = [job for job in server.call("/api/v1/jobs/?limit=100")["items"]
                     if job["kind"] == "notices.screen_people"]
        screening_job = server.until_done(screening[0]["id"]) if screening else None
        screening_done = time.monotonic() - started
        started = time.monotonic()
        export = server.call("/api/v1/records/export?format=json", post=True)
        export_answered = time.monotonic() - started
        exported = server.until_done(export["job"])
        export_done = time.monotonic() - started
    load_after = os.getloadavg()
    database = "PostgreSQL" if args.database_url else "SQLite"
    rows = [f"| import ({len(body) / 1e6:.1f} MB FollowTheMoney) | {import_answered:.2f} s | {import_done:.1f} s | "
            f"{imported['summary'] or imported['error']} |"]
    if screening_job is not None:
        rows.append(f"| screening of the people added (a job the import started) | — | {screening_done:.1f} s "
                    f"(from the import's request) | {screening_job['summary'] or screening_job['error']} |")
    rows.append(f"| export (JSON) | {export_answered:.2f} s | {export_done:.1f} s | "
                f"{exported['summary'] or exported['error']} |")
    command = f"python bench/jobs/records_jobs.py --people {args.people}" + (
        " --database-url postgres://..." if args.database_url else "")
    section = f"""## jobs-records — `{command}`

A records import of {args.people:,} people (one FollowTheMoney line each) through `POST /api/v1/records/import`, then an
export through `POST /api/v1/records/export?format=json`, against a real `shelter serve` on {database} whose
in-process worker runs the jobs; each job followed through `GET /api/v1/jobs/{{id}}` every half second. Python
{platform.python_version()}, {os.cpu_count()} CPU(s) shared with other work (other test and benchmark runs);
{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average (1, 5, 15 minutes) {_load(load_before)} before,
{_load(load_after)} after.

| job | time to answer | time to done | summary |
|---|---|---|---|
{chr(10).join(rows)}
"""
    print(section)
    if not args.no_write:
        write_section("jobs-records", section)


def _load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.1f}" for value in load)

if __name__ == "__main__":
    main()
