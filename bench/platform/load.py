"""API under load: readers, writers and a large import at the same time, against a real ``shelter serve``.

    python bench/platform/load.py                                  # 30 readers, 20 writers, 100,000-row import
    python bench/platform/load.py --threads 8,48                   # once per server thread count
    python bench/platform/load.py --import-rows 20000 --seconds 20 # a quick look

For each server thread count, in a fresh SHELTER_HOME (SQLite, or PostgreSQL with ``--database-url``): ``shelter migrate``; one researcher for the
readers and one for the writers, each client with a token of its own; ``--seed-rows`` incidents imported so that
the reads find something. Then ``shelter serve`` (waitress) on a free loopback port, and two phases, each bounded
in time:

1. **baseline** — the readers alone for ``--baseline-seconds``;
2. **under load** — the readers, the writers and ``shelter import`` of a ``--import-rows`` CSV (one transaction,
   as every import is) started together; the phase lasts ``--seconds`` and at least until the import ends (at most
   ``--max-seconds``).

A reader asks, in turn, for an incident list page, a full-text search with a filter, a people search and one
of the seeded incidents (a 404 when the reader's team may not see it); a writer creates an incident and changes it. Each client waits ``--think`` seconds (readers) or
``--write-think`` seconds (writers) between requests, on its own keep-alive connection. Reported per phase:
requests, p50 / p99 / max latency of reads and writes, 5xx answers and failed connections, with the load average
of the machine, and the kinds of request that took over 2 s or failed. Figures replace the ``api-load`` section of
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import TACTICS, TEAMS, search_words, write_incidents_csv
from ports import free_port
from results import write_section

SECTION = "api-load"
READ_P99_TARGET_S = 2.0

SETUP = """
import json, sys
from shelter.cli import setup_django
setup_django()
from shelter.access.models import ApiToken, Team, User
readers, writers = int(sys.argv[1]), int(sys.argv[2])
team, *_ = [Team.objects.get_or_create(name=name)[0] for name in sys.argv[3:]]
tokens = {}
for name, count in (("bench-reader", readers), ("bench-writer", writers)):
    user = User.objects.create_user(name, role="researcher", clearance="confidential")
    user.teams.add(team)
    tokens[name] = [ApiToken.issue(user, label=f"load {i}") for i in range(count)]
print(json.dumps(tokens))
"""


@dataclass
class Sample:
    kind: str  # read or write
    seconds: float
    status: int  # 0: the connection failed
    what: str = ""  # for an error or a slow answer: the request and the start of the answer


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    import_seconds: float | None = None
    import_status: str = ""


def shelter_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from shelter.cli import main; main()", *args]


def run_shelter(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(shelter_command(*args), env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"shelter {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def served(env: dict[str, str], port: int, threads: int, log: Path) -> Iterator[None]:
    with log.open("w") as log_file:
        server = subprocess.Popen(shelter_command("serve", "--port", str(port), "--threads", str(threads)), env=env,
                                  stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        while not answers(port):
            if server.poll() is not None:
                raise SystemExit(f"shelter serve exited:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise SystemExit("shelter serve did not answer within 600 s")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/api/v1/openapi.json")
        return connection.getresponse().status == 200
    except OSError:
        return False


class Client(threading.Thread):
    """One API client on its own keep-alive connection, until ``stop`` is set."""

    def __init__(self, port: int, token: str, kind: str, think: float, seed: int, stop: threading.Event,
                 samples: list[Sample], known_ids: int) -> None:
        super().__init__(daemon=True)
        self.port, self.kind, self.think, self.stop, self.known_ids = port, kind, think, stop, known_ids
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)
        self.samples = samples
        self.connection: http.client.HTTPConnection | None = None
        self.words = search_words()
        self.created: list[int] = []

    def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=None if body is None else json.dumps(body),
                                    headers=self.headers)
            response = self.connection.getresponse()
            data, status = response.read(), response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection, data, status = None, b"", 0
        seconds = time.perf_counter() - started
        what = ""
        if status >= 500 or status == 0 or seconds > READ_P99_TARGET_S:
            what = f"{method} {re.sub(r'[0-9]+', 'N', path.split('?')[0])} -> {status}"
            what += f" {data[:70]!r}" if status >= 500 else f" (over {READ_P99_TARGET_S:g} s)"
        self.samples.append(Sample(self.kind, seconds, status, what))
        return status, data

    def read_once(self, step: int) -> None:
        rng = self.rng
        paths = (
            "/api/v1/incidents/?limit=20",
            f"/api/v1/incidents/?q={rng.choice(self.words)}&tactic={rng.choice(TACTICS)}&limit=20",
            f"/api/v1/people/?q={rng.choice(self.words)}&limit=20",
            f"/api/v1/incidents/{rng.randint(1, self.known_ids)}",
        )
        self.request("GET", paths[step % len(paths)])

    def write_once(self, step: int) -> None:
        if step % 2 == 0 or not self.created:
            status, data = self.request("POST", "/api/v1/incidents/", {
                "title": f"Load test: {self.rng.choice(self.words)} in Berlin", "date": "2024-03",
                "tactic": self.rng.choice(TACTICS), "origin_state": "UZ", "host_country": "DE",
                "confidentiality": "internal"})
            if status == 201:
                self.created.append(json.loads(data)["id"])
        else:
            self.request("PATCH", f"/api/v1/incidents/{self.rng.choice(self.created)}",
                         {"description": f"changed at step {step}"})

    def run(self) -> None:
        step = 0
        time.sleep(self.rng.uniform(0, self.think))  # clients start spread out
        while not self.stop.is_set():
            (self.read_once if self.kind == "read" else self.write_once)(step)
            step += 1
            self.stop.wait(self.think)
        if self.connection is not None:
            self.connection.close()


def run_phase(name: str, port: int, clients: list[tuple[str, str, float]], seconds: float, max_seconds: float,
              import_command: list[str] | None, env: dict[str, str], known_ids: int) -> Phase:
    phase = Phase(name, load_before=os.getloadavg()[0])
    stop = threading.Event()
    threads = [Client(port, token, kind, think, seed, stop, phase.samples, known_ids)
               for seed, (kind, token, think) in enumerate(clients)]
    started = time.monotonic()
    importer = None
    if import_command is not None:
        importer = subprocess.Popen(import_command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True)
    for thread in threads:
        thread.start()
    while True:
        elapsed = time.monotonic() - started
        if importer is not None and phase.import_seconds is None and importer.poll() is not None:
            phase.import_seconds = elapsed
            stderr = importer.stderr.read() if importer.stderr else ""
            phase.import_status = ("finished" if importer.returncode == 0
                                   else f"failed ({importer.returncode}): {stderr.strip()[-200:]}")
        import_running = importer is not None and phase.import_seconds is None
        if elapsed >= max_seconds or (elapsed >= seconds and not import_running):
            break
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=150)
    phase.seconds = time.monotonic() - started
    if importer is not None and phase.import_seconds is None:
        importer.kill()
        importer.wait()
        phase.import_status = f"stopped after {max_seconds:.0f} s"
    phase.load_after = os.getloadavg()[0]
    return phase


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def describe(phase: Phase, kind: str) -> str:
    samples = [s for s in phase.samples if s.kind == kind]
    if not samples:
        return ""
    times = [s.seconds * 1000 for s in samples]
    statuses = Counter(s.status for s in samples)
    errors = sum(n for status, n in statuses.items() if status >= 500)
    failed = statuses.get(0, 0)
    return (f"| {phase.name} | {kind}s | {len(samples):,} ({len(samples) / phase.seconds:.1f}/s) | "
            f"{percentile(times, 0.5):,.0f} | {percentile(times, 0.99):,.0f} | {max(times):,.0f} | {errors} | "
            f"{failed} |")


@dataclass
class Run:
    threads: int
    phases: list[Phase]


def render(args: argparse.Namespace, runs: list[Run], database: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = (f"python bench/platform/load.py --readers {args.readers} --writers {args.writers} "
               f"--import-rows {args.import_rows} --seconds {args.seconds:g} --baseline-seconds "
               f"{args.baseline_seconds:g} --threads {','.join(str(run.threads) for run in runs)}")
    lines = [
        "## api-load — readers, writers and a large import against `shelter serve`",
        "",
        f"Command: `{command}`  ",
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s) shared with other work, Python "
         f"{platform.python_version()}, {database}; {stamp}. `shelter serve` (waitress) on loopback, in a fresh "
         f"SHELTER_HOME for each thread count; {args.readers} readers (a request, then {args.think:g} s pause) and "
         f"{args.writers} writers ({args.write_think:g} s pause), each on its own keep-alive connection with its "
         f"own token, all in the benchmark's process; {args.seed_rows:,} incidents in the database before the "
         "phases. Latencies are wall-clock, as the clients see them."),
        "",
        "| server threads | phase | requests | count | p50 ms | p99 ms | max ms | 5xx | connection failures |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for phase in run.phases:
            lines += [f"| {run.threads} {row}" for row in (describe(phase, "read"), describe(phase, "write")) if row]
    lines.append("")
    for run in runs:
        under_load = run.phases[-1]
        reads = [s.seconds for s in under_load.samples if s.kind == "read"]
        server_errors = sum(1 for s in under_load.samples if s.status >= 500)
        read_p99 = percentile(reads, 0.99)
        verdict = "met" if read_p99 <= READ_P99_TARGET_S and server_errors == 0 else "**missed**"
        lines.append(f"- **{run.threads} threads**: target under load (no 5xx, read p99 ≤ {READ_P99_TARGET_S:g} s) "
                     f"{verdict}: read p99 {read_p99:.2f} s, {server_errors} × 5xx.")
        for phase in run.phases:
            text = (f"  {phase.name}: {phase.seconds:.0f} s, load average (1 min) {phase.load_before:.1f} → "
                    f"{phase.load_after:.1f}")
            if phase.import_status:
                took = f" in {phase.import_seconds:.0f} s" if phase.import_seconds is not None else ""
                text += f"; `shelter import` of {args.import_rows:,} rows {phase.import_status}{took}"
            lines.append(text + ".")
        notable = Counter(s.what for s in under_load.samples if s.what)
        if notable:
            lines.append("  Slow (over 2 s) or failed, under load: " + "; ".join(
                f"{count} × {what}" for what, count in notable.most_common(6)) + ".")
    return "\n".join(lines)


def measure(args: argparse.Namespace, workdir: Path, threads: int) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env["SHELTER_HOME"] = str(workdir / f"home-{threads}")
    if args.database_url:
        env["SHELTER_DATABASE_URL"] = args.database_url
    print(f"[{threads} threads] migrate, accounts, seed import", flush=True)
    run_shelter(env, "migrate")
    setup = subprocess.run([sys.executable, "-c", SETUP, str(args.readers), str(args.writers), *TEAMS],
                           env=env, capture_output=True, text=True, check=False)
    if setup.returncode != 0:
        raise SystemExit(setup.stderr[-3000:])
    tokens = json.loads(setup.stdout.strip().splitlines()[-1])
    seed, big = workdir / "seed.csv", workdir / "import.csv"
    run_shelter(env, "import", str(seed), "--format", "csv")
    port = free_port()
    readers = [("read", token, args.think) for token in tokens["bench-reader"]]
    writers = [("write", token, args.write_think) for token in tokens["bench-writer"]]
    log = workdir / f"serve-{threads}.log"
    with served(env, port, threads, log):
        print(f"[{threads} threads] baseline: {args.readers} readers for {args.baseline_seconds:g} s", flush=True)
        baseline = run_phase("baseline, readers alone", port, readers, args.baseline_seconds,
                             args.baseline_seconds, None, env, args.seed_rows)
        print(f"[{threads} threads] under load: + {args.writers} writers + import of {args.import_rows:,} rows",
              flush=True)
        loaded = run_phase(f"under load, readers + {args.writers} writers + import", port, readers + writers,
                           args.seconds, args.max_seconds, shelter_command("import", str(big), "--format", "csv"),
                           env, args.seed_rows)
    text = log.read_text(errors="replace")
    if "Traceback" in text:
        print(f"server log of the {threads}-thread run holds tracebacks:\n{text[-6000:]}", flush=True)
    return Run(threads, [baseline, loaded])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=30)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--seed-rows", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the phase under load (at least)")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the import is stopped after this")
    parser.add_argument("--baseline-seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0, help="a reader's pause between requests, seconds")
    parser.add_argument("--write-think", type=float, default=2.0, help="a writer's pause between requests")
    parser.add_argument("--threads", type=lambda text: [int(n) for n in text.split(",")], default=[8],
                        help="waitress threads, one run per comma-separated count (shelter serve's default: 8)")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite; "
                                                           "one thread count only, the database is not reset)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave bench/RESULTS.md alone")
    args = parser.parse_args()
    if args.database_url and len(args.threads) > 1:
        parser.error("--database-url takes one thread count")

    with tempfile.TemporaryDirectory(prefix="shelter-bench-load-") as tmp:
        workdir = Path(tmp)
        write_incidents_csv(workdir / "seed.csv", args.seed_rows, seed=3)
        write_incidents_csv(workdir / "import.csv", args.import_rows, seed=11)
        runs = [measure(args, workdir, threads) for threads in args.threads]
    section = render(args, runs, "PostgreSQL" if args.database_url else "SQLite")
    print(section, flush=True)
    if not args.no_write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()
