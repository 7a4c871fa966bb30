"""Platform benchmark: CSV import time and API search latency over HTTP, on SQLite and PostgreSQL.

    python bench/platform/run.py                       # 100,000 incidents, 200,000 people, both databases
    python bench/platform/run.py --incidents 5000 --people 10000 --databases sqlite   # a quick look

For each database, in a fresh SHELTER_HOME (and, for PostgreSQL, a throwaway server started with Debian's
initdb on a free port): ``shelter migrate``; accounts and teams; ``shelter import incidents.csv --format csv``
(timed); people loaded in bulk and indexed (timed); then a real ``shelter serve`` process answers
``GET /api/v1/incidents?q=<surname>&tactic=<code>`` with a researcher's token, sequentially, and the latency
of each request is recorded. Baselines in the same run: the same API without ``q`` (filter only) and with no
filter at all, and a plain ``LIKE`` (``icontains``) query through the ORM in-process, without HTTP.
Beside each latency, the CPU time the ``shelter serve`` process spent per request: on a shared machine the wall
time also holds the wait for a core. ``--workdir DIR`` keeps the loaded data for later runs of the same sizes;
``--postgres-url`` uses a running server's (empty) database instead of a throwaway server.
Figures replace the ``platform`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
SECTION = "platform"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import TACTICS, TEAMS, search_words, write_incidents_csv
from ports import free_port

PASSWORD = "quiet-lantern-orchard-47"
IMPORT_TARGET_S = 60.0
SEARCH_P95_TARGET_MS = 100.0

LIKE_PROBE = """
import json, random, sys, time
from shelter.cli import setup_django
setup_django()
from shelter.access.models import User
from shelter.incidents.models import Incident
user = User.objects.get(username="bench-researcher")
words, tactics, n = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
rng = random.Random(5)
timings = []
for _ in range(n):
    started = time.perf_counter()
    qs = Incident.objects.visible_to(user).filter(title__icontains=rng.choice(words), tactic=rng.choice(tactics))
    list(qs[:20]); qs.count()
    timings.append((time.perf_counter() - started) * 1000)
print(json.dumps(timings))
"""


@dataclass
class DatabaseRun:
    label: str
    import_s: float = 0.0
    import_cpu_s: float = 0.0  # CPU time of the import process: on a shared machine wall time includes waiting
    people_s: float = 0.0
    counts: dict[str, str] = field(default_factory=dict)  # as the API gives them: "10,000+" when capped
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    server_cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU of `shelter serve` per request, mean
    reused: bool = False  # the data of an earlier run in the same --workdir


def shelter(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    command = [sys.executable, "-c", "from shelter.cli import main; main()", *args]
    result = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"shelter {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def throwaway_postgres(workdir: Path) -> Iterator[str]:
    """A PostgreSQL server of Debian's packages in ``workdir``, stopped afterwards (as ``.ci/run`` does)."""
    initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdbs:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql), or use --databases sqlite")
    bin_dir, port = initdbs[-1].parent, free_port()
    data = workdir / "pg"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
        shutil.chown(workdir, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "pg.log"), "-w",
                    "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([*as_postgres, str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                        "-q", "-c", "CREATE DATABASE shelter"], check=True, capture_output=True)
        yield f"postgres://postgres@127.0.0.1:{port}/shelter"
    finally:
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       check=False, capture_output=True)


@contextmanager
def served(env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    # No worker in the measured process: the schedule's nightly comparison of the registry (registry.duplicates,
    # minutes of CPU at 200,000 people) would otherwise start with the server and run beside the requests.
    command = [sys.executable, "-c", "from shelter.cli import main; main()", "serve", "--port", str(port),
               "--threads", "4", "--no-worker"]
    with log.open("w") as log_file:
        server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"shelter serve exited:\n{log.read_text()[-3000:]}")
            try:
                # The socket listens before the server has migrated and collected its static files: wait for an
                # answer, not for the connection.
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=max(1.0, deadline - time.monotonic()))
                probe.request("GET", "/")
                probe.getresponse().read()
                probe.close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("shelter serve did not answer within 600 s (it migrates and collects static files first)")
        yield server.pid
    except SystemExit as failure:
        raise SystemExit(f"{failure}\nserver log:\n{log.read_text()[-5000:]}") from None
    finally:
        server.terminate()
        server.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``); 0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(port: int, token: str, paths: list[str], warmup: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    for index, path in enumerate(paths[:warmup] + paths):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status}: {body[:300]!r}")
        json.loads(body)
        if index >= warmup:
            timings.append(elapsed)
    connection.close()
    return timings


def load_data(env: dict[str, str], label: str, incidents_csv: Path, people: int, result: DatabaseRun) -> None:
    print(f"[{label}] migrate", flush=True)
    shelter(env, "migrate")
    shelter(env, "users", "add", "bench-researcher", "--role", "researcher", "--clearance", "confidential",
            "--team", TEAMS[0], "--password-stdin", stdin=PASSWORD + "\n")
    shelter(env, "users", "add", "bench-other", "--role", "researcher", "--team", TEAMS[1], "--password-stdin",
            stdin=PASSWORD + "\n")
    print(f"[{label}] import {incidents_csv.name}", flush=True)
    started, cpu_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    shelter(env, "import", str(incidents_csv), "--format", "csv")
    result.import_s = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.import_cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(f"[{label}] import took {result.import_s:.1f} s; loading {people:,} people", flush=True)
    loaded = subprocess.run([sys.executable, str(HERE / "load_people.py"), str(people)], env=env,
                            capture_output=True, text=True, check=False)
    if loaded.returncode != 0:
        raise SystemExit(loaded.stderr[-3000:])
    result.people_s = float(loaded.stdout.strip().splitlines()[-1])


def run_database(label: str, database_url: str | None, workdir: Path, incidents_csv: Path, people: int,
                 requests: int) -> DatabaseRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env["SHELTER_HOME"] = str(workdir / f"home-{label}")
    if database_url:
        env["SHELTER_DATABASE_URL"] = database_url
    result = DatabaseRun(label)
    # With --workdir the loaded data is kept: a later run with the same sizes reuses it (and the times it took).
    loaded_file = workdir / f"loaded-{label}.json"
    if loaded_file.exists():
        print(f"[{label}] reusing the data loaded earlier in {workdir}", flush=True)
        earlier = json.loads(loaded_file.read_text())
        if (earlier["incidents_csv"], earlier["people"]) != (incidents_csv.name, people):
            raise SystemExit(f"{workdir} holds {earlier['incidents_csv']} and {earlier['people']:,} people: "
                             "use another --workdir for other sizes")
        result.import_s, result.import_cpu_s, result.people_s = (
            earlier["import_s"], earlier["import_cpu_s"], earlier["people_s"])
        result.reused = True
    else:
        load_data(env, label, incidents_csv, people, result)
        loaded_file.write_text(json.dumps({"import_s": result.import_s, "import_cpu_s": result.import_cpu_s,
                                           "people_s": result.people_s, "incidents_csv": incidents_csv.name,
                                           "people": people}))
    token = shelter(env, "token", "bench-researcher").strip().splitlines()[-1]

    rng = random.Random(7)
    words = search_words()
    cases = {
        "list, no filter (baseline)": ["/api/v1/incidents/?limit=20" for _ in range(requests)],
        "filter only: tactic (baseline)": [f"/api/v1/incidents/?tactic={rng.choice(TACTICS)}&limit=20"
                                           for _ in range(requests)],
        "q + tactic filter (target)": [f"/api/v1/incidents/?q={rng.choice(words)}&tactic={rng.choice(TACTICS)}&limit=20"
                                       for _ in range(requests)],
        "people: q + nationality filter": [f"/api/v1/people/?q={rng.choice(words)}&nationality=UZ&limit=20"
                                           for _ in range(requests)],
    }
    port = free_port()
    print(f"[{label}] serving on port {port}; {requests} requests per case", flush=True)
    with served(env, port, workdir / f"serve-{label}.log") as server_pid:
        for name, paths in cases.items():
            warmup = max(5, requests // 10)
            measure(port, token, paths[:warmup], warmup=0)
            cpu_before = cpu_seconds(server_pid)
            result.latencies_ms[name] = measure(port, token, paths, warmup=0)
            result.server_cpu_ms[name] = (cpu_seconds(server_pid) - cpu_before) * 1000 / len(paths)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for kind in ("incidents", "people"):
            connection.request("GET", f"/api/v1/{kind}/?limit=1", headers={"Authorization": f"Bearer {token}"})
            answer = json.loads(connection.getresponse().read())
            result.counts[kind] = f"{answer['count']:,}{'+' if answer.get('count_capped') else ''}"
        connection.close()
    probe = subprocess.run([sys.executable, "-c", LIKE_PROBE, json.dumps(words), json.dumps(list(TACTICS)),
                            str(requests)], env=env, capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        raise SystemExit(probe.stderr[-3000:])
    result.latencies_ms["ORM LIKE (icontains) + tactic, in-process, no HTTP (baseline)"] = json.loads(
        probe.stdout.strip().splitlines()[-1])
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def render(runs: list[DatabaseRun], args: argparse.Namespace, generate_s: float | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"<!-- {SECTION}:start -->",
        "## platform — CSV import and API search latency over HTTP",
        "",
        (f"Command: `python bench/platform/run.py --incidents {args.incidents} --people {args.people} "
        f"--requests {args.requests} --databases {','.join(args.databases)}`  "),
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s) shared with other work, Python "
        f"{platform.python_version()}; {stamp}. `shelter serve` (waitress, 4 threads); sequential requests on one "
        "keep-alive connection with a researcher's token (visibility filter with a case team applies)."),
        (f"Generating the {args.incidents:,}-row CSV took {generate_s:.1f} s (not counted)." if generate_s is not None
         else f"The {args.incidents:,}-row CSV was kept from an earlier run (--workdir)."),
        "",
        f"Load average when written: {os.getloadavg()[0]:.1f}.",
        "",
        ("| database | `shelter import` CSV, wall [CPU of the import process] | rows/s | target ≤ 60 s | "
        "people bulk load + index | incidents / people visible to the caller (API count) |"),
        "|---|---:|---:|---|---:|---|",
    ]
    for run in runs:
        verdict = "met" if run.import_s <= IMPORT_TARGET_S else "**missed**"
        reused = " (loaded in an earlier run, same --workdir)" if run.reused else ""
        lines.append(f"| {run.label}{reused} | {run.import_s:.1f} s [{run.import_cpu_s:.1f} s] | "
                     f"{args.incidents / run.import_s:,.0f} | {verdict} | "
                     f"{args.people:,} in {run.people_s:.1f} s | {run.counts.get('incidents', '—')} / "
                     f"{run.counts.get('people', '—')} |")
    lines += ["", "| database | request | p50 ms | p95 ms | max ms | server CPU per request, mean | target |",
              "|---|---|---:|---:|---:|---:|---|"]
    for run in runs:
        for name, timings in run.latencies_ms.items():
            target = ""
            if name.endswith("(target)"):
                p95 = percentile(timings, 0.95)
                target = (f"p95 ≤ {SEARCH_P95_TARGET_MS:.0f} ms: " + ("met" if p95 <= SEARCH_P95_TARGET_MS
                                                                         else "**missed**"))
            cpu = f"{run.server_cpu_ms[name]:.1f}" if name in run.server_cpu_ms else "—"
            lines.append(f"| {run.label} | {name} | {statistics.median(timings):.1f} | "
                         f"{percentile(timings, 0.95):.1f} | {max(timings):.1f} | {cpu} | {target} |")
    lines += ["", f"<!-- {SECTION}:end -->"]
    return "\n".join(lines)


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (after a warm-up)")
    parser.add_argument("--databases", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave bench/RESULTS.md alone")
    parser.add_argument("--workdir", type=Path, help=(
        "keep the data here and reuse it in later runs of the same sizes (default: a temporary directory)"))
    parser.add_argument("--postgres-url", help=(
        "an empty database on a running PostgreSQL server to use instead of a throwaway server"))
    args = parser.parse_args()
    unknown = set(args.databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))} (expected sqlite, postgresql)")

    with ExitStack() as stack:
        if args.workdir:
            workdir = args.workdir.resolve()
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shelter-bench-")))
        os.chmod(workdir, 0o755)
        incidents_csv = workdir / f"incidents-{args.incidents}.csv"
        started = time.perf_counter()
        generate_s: float | None = None
        if not incidents_csv.exists():
            write_incidents_csv(incidents_csv, args.incidents)
            generate_s = time.perf_counter() - started
        runs: list[DatabaseRun] = []

        def report(run: DatabaseRun) -> None:
            # written after each database, so a long run keeps what it has measured so far
            runs.append(run)
            section = render(runs, args, generate_s)
            print(section, flush=True)
            if not args.no_write:
                write_results(section)

        if "sqlite" in args.databases:
            report(run_database("SQLite", None, workdir, incidents_csv, args.people, args.requests))
        if "postgresql" in args.databases:
            if args.postgres_url:
                report(run_database("PostgreSQL", args.postgres_url, workdir, incidents_csv, args.people,
                                    args.requests))
            else:
                pg_dir = workdir / "postgres"
                pg_dir.mkdir(exist_ok=True)
                (workdir / "loaded-PostgreSQL.json").unlink(missing_ok=True)  # a throwaway server starts empty
                with throwaway_postgres(pg_dir) as url:
                    report(run_database("PostgreSQL", url, workdir, incidents_csv, args.people, args.requests))

if __name__ == "__main__":
    main()
