"""How long ``shelter serve`` takes until it answers its first request.

    python bench/platform/serve_startup.py --label after   # a row labelled "after" in bench/RESULTS.md
    PYTHONPATH=/path/to/older/src python bench/platform/serve_startup.py --label before   # an older version

In a fresh SHELTER_HOME (SQLite), ``shelter migrate`` is timed, then ``shelter serve`` is started ``--runs``
times on a free loopback port; each start is timed from the process launch until ``GET /`` answers, then the
server is stopped. The first start follows ``migrate``; the later ones are what every restart costs. A last
start follows an upgrade, simulated by a stale static-files stamp (``SHELTER_HOME/static/.shelter-static-version``):
that start collects the static files again. The load average of the machine is recorded with each run. Rows
replace those with the same label in the ``serve-startup`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ports import free_port
from results import read_section, write_section

SECTION = "serve-startup"
TABLE_HEADER = ("| label | `shelter migrate` (s) | first start after migrate (s) | later starts, median (s) | "
                "later starts (s) | start after an upgrade (s) | load average (1 min) before → after | when |\n"
                "|---|---:|---:|---:|---|---:|---|---|")
TIMEOUT = 900.0


def answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


def time_one_start(env: dict[str, str]) -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(["shelter", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not answers(port):
            if server.poll() is not None:
                raise SystemExit(f"shelter serve stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            if time.perf_counter() - started > TIMEOUT:
                raise SystemExit(f"shelter serve did not answer within {TIMEOUT:.0f} s")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="starts to time before the upgrade (at least 2)")
    parser.add_argument("--label", default="current", help="row label in bench/RESULTS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="shelter-bench-serve-") as home:
        env = {**os.environ, "SHELTER_HOME": home}
        env.pop("SHELTER_DATABASE_URL", None)
        started = time.perf_counter()
        subprocess.run(["shelter", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        migrate_seconds = time.perf_counter() - started
        times = [time_one_start(env) for _ in range(max(args.runs, 2))]
        (Path(home) / "static" / ".shelter-static-version").write_text("an earlier version\n")
        upgrade = time_one_start(env)
    load_after = os.getloadavg()[0]
    later = times[1:]
    row = (f"| {args.label} | {migrate_seconds:.1f} | {times[0]:.1f} | {statistics.median(later):.1f} | "
           f"{', '.join(f'{t:.1f}' for t in later)} | {upgrade:.1f} | {load_before:.1f} → {load_after:.1f} | "
           f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC |")
    print(row)
    kept = [line for line in (read_section(SECTION) or "").splitlines()
            if line.startswith("| ") and not line.startswith(("| label", f"| {args.label} |"))]
    body = (f"## serve start-up — `python bench/platform/serve_startup.py --label LABEL`\n\n"
            f"Time from launching `shelter serve` (SQLite, fresh SHELTER_HOME after `shelter migrate`) until "
            f"`GET /` answers; the start after an upgrade collects and compresses the static files. "
            f"Python {platform.python_version()}, {os.cpu_count()} CPU(s) shared with other work; the load "
            f"average shows how busy the machine was. A row for an older version is measured by running the "
            f"script with `PYTHONPATH` set to that version's `src`. Target: ≤ 5 s.\n\n"
            + TABLE_HEADER + "\n" + "\n".join([*kept, row]))
    write_section(SECTION, body)


if __name__ == "__main__":
    main()
