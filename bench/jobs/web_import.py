"""A large notice import through `shelter serve` (its in-process worker runs the job): how long the API takes to
answer, and how long until the job is done.

    python bench/jobs/web_import.py --rows 100000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import time

from live import serving


def _csv(rows: int) -> bytes:
    lines = ["entity_id,forename,name,date_of_birth,age,sex,nationalities,detail_link"]
    lines += [f"2031/{number:06d},RUSTAM,TESTOV{number},1980/01/01,45,,UZ," for number in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite)")
    args = parser.parse_args()
    with serving("editor", args.database_url) as server:
        body = _csv(args.rows)
        started = time.monotonic()
        answer = server.call("/api/v1/notices/import", body, content_type="text/csv")
        answered = time.monotonic() - started
        job = server.until_done(answer["job"])
        finished = time.monotonic() - started
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.rows} rows ({len(body) / 1e6:.1f} MB CSV) on {database}: answered in {answered:.2f} s "
          f"(job {job['status']}), done after {finished:.1f} s; {job['summary'] or job['error']}")


if __name__ == "__main__":
    main()
