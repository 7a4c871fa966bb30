"""Database time of the platform benchmark's API searches: each query a request runs, timed by the database itself.

    SHELTER_HOME=DIR/home-PostgreSQL SHELTER_DATABASE_URL=postgres://… python bench/platform/db_time.py --requests 30

Run against the data ``bench/platform/run.py --workdir DIR`` loaded. Every request of the benchmark's two search
cases (``q`` + tactic on incidents, ``q`` + nationality on people; the same words, same seed) is sent in-process
through Django's test client with the researcher's token; each SELECT it ran is then run again under
``EXPLAIN (ANALYZE, TIMING OFF)`` and its execution times summed. Prints the median and p95 per case, in ms.
Unlike wall times on a shared machine, these hardly depend on the load: set ``PYTHONPATH`` to another version's
``src`` to compare versions on the same data.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TACTICS, search_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="requests per case")
    args = parser.parse_args()
    from shelter.cli import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shelter.access.models import ApiToken, User

    user = User.objects.get(username="bench-researcher")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
    rng = random.Random(7)
    words = search_words()
    cases = {
        "q + tactic filter": [f"/api/v1/incidents/?q={rng.choice(words)}&tactic={rng.choice(TACTICS)}&limit=20"
                              for _ in range(args.requests)],
        "people: q + nationality filter": [f"/api/v1/people/?q={rng.choice(words)}&nationality=UZ&limit=20"
                                           for _ in range(args.requests)],
    }
    result = {}
    for name, paths in cases.items():
        totals = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                if client.get(path).status_code != 200:
                    raise SystemExit(f"GET {path} did not answer 200")
            total = 0.0
            for query in captured.captured_queries:
                if not query["sql"].lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                found = re.search(r"Execution Time: ([\d.]+)", plan)
                total += float(found.group(1)) if found else 0.0
            totals.append(total)
        totals.sort()
        result[name] = {"median_ms": round(statistics.median(totals), 1),
                        "p95_ms": round(totals[int(0.95 * (len(totals) - 1))], 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
