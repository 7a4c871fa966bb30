"""A large records import and an export through the API of `shelter serve` (its in-process worker runs the jobs):
how long the API takes to answer, and how long until each job is done (the import's, then the screening of the
people it added, then the export's).

    python bench/jobs/records_jobs.py --people 20000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import time

from live import serving


def _ftm(people: int) -> bytes:
    lines = [json.dumps({"id": f"p-{number}", "schema": "Person",
                         "properties": {"name": [f"Rustam Testov{number}"], "birthDate": ["1980-01-01"],
                                        "nationality": ["uz"]}}) for number in range(people)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite)")
    args = parser.parse_args()
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
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.people} people ({len(body) / 1e6:.1f} MB FollowTheMoney) on {database}")
    print(f"import: answered in {import_answered:.2f} s, done after {import_done:.1f} s: "
          f"{imported['summary'] or imported['error']}")
    if screening_job is not None:
        print(f"screening of the people added: done after {screening_done:.1f} s: {screening_job['summary']}")
    print(f"export (json): answered in {export_answered:.2f} s, done after {export_done:.1f} s: "
          f"{exported['summary'] or exported['error']}")


if __name__ == "__main__":
    main()
