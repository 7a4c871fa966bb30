"""Response time of the possible-duplicates page on a workspace whose pairs are stored, this code against a
baseline commit in the same run.

Run: python bench/web/duplicates_page.py --workdir DIR [--baseline-commit COMMIT] [--requests 10]

``DIR`` is a workspace kept by ``bench/web/bench_pages.py --workdir DIR`` (its comparison job has stored the
registry's pairs). Each code version is run in its own process (``PYTHONPATH`` at its ``src``; the baseline taken
from git with ``git archive``), signed in as the workspace's admin, the page requested through Django's test client
``--requests`` times after one untimed request. Figures go to bench/RESULTS.md between the duplicates-page markers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import write_section

REPO = Path(__file__).resolve().parents[2]

# Run inside the measured code's process: prints one JSON line of timings in milliseconds.
PROBE = """
import json, os, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
import django
django.setup()
from django.conf import settings
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from shelter.access.models import User
from shelter.registry.models import DuplicatePair
client = Client()
client.force_login(User.objects.filter(role="admin").order_by("pk").first())
client.get("/registry/people/duplicates/")
times = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    response = client.get("/registry/people/duplicates/")
    times.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, response.status_code
print(json.dumps({"median": statistics.median(times), "max": max(times),
                  "pairs": DuplicatePair._base_manager.count()}))
"""


def source_of(commit: str, into: Path) -> Path:
    """The ``src`` folder of ``commit``, unpacked under ``into``."""
    archive = into / f"{commit}.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), commit, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / commit, filter="data")
    return into / commit / "src"


def measure(src: Path, home: Path, requests: int) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(src), "SHELTER_HOME": str(home)}
    environment.pop("SHELTER_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE, str(requests)], env=environment, capture_output=True,
                          text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True, help="a workspace kept by bench_pages.py --workdir")
    parser.add_argument("--baseline-commit", default="", help="measure this commit's page too, in the same run")
    parser.add_argument("--requests", type=int, default=10, help="timed requests per version")
    parser.add_argument("--no-write", action="store_true", help="print the figures without updating RESULTS.md")
    args = parser.parse_args()
    home = args.workdir.resolve()
    if not (home / "shelter.sqlite3").exists():
        parser.error(f"{home} holds no workspace: run bench/web/bench_pages.py --workdir {home} first")
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        if args.baseline_commit:
            baseline = measure(source_of(args.baseline_commit, Path(scratch)), home, args.requests)
            rows.append((f"{args.baseline_commit} (baseline)", baseline))
        rows.append(("this tree", measure(REPO / "src", home, args.requests)))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = json.loads((args.workdir / "bench-web-loaded.json").read_text())["sizes"]
    lines = [
        "## Possible-duplicates page with the pairs stored",
        "",
        f"Command: `python bench/web/duplicates_page.py --workdir DIR --baseline-commit {args.baseline_commit or '-'} "
        f"--requests {args.requests}` on the workspace of `bench/web/bench_pages.py --incidents {sizes['incidents']} "
        f"--people {sizes['people']}` ({int(rows[-1][1]['pairs']):,} stored pairs), signed in as the admin, SQLite.",
        "",
        "| code | median ms | slowest ms | target |",
        "|---|---:|---:|---|",
        *(f"| {name} | {r['median']:,.0f} | {r['max']:,.0f} | ≤ 1,000 ms |" for name, r in rows),
        "",
        f"Load average (1 min): {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; {stamp}.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("duplicates-page", text)


if __name__ == "__main__":
    main()
