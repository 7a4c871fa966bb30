"""Two web servers and two workers sharing one PostgreSQL database, as docs/deployment.md lays them out: an import
through one server is followed through the other, every job runs once, and a worker killed mid-job leaves its job
retried (never half-applied). Runs only when SHELTER_DATABASE_URL names a PostgreSQL server (CI does)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

DATABASE_URL = os.environ.get("SHELTER_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="the scale-out test needs PostgreSQL (SHELTER_DATABASE_URL=postgres://...); SQLite serves one machine")

ROWS = 30000
DEADLINE = 180.0


def _shelter_command() -> list[str]:
    found = shutil.which("shelter")
    return [found] if found else [sys.executable, "-c", "from shelter.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: Callable[[], Any], what: str, timeout: float = DEADLINE, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own on the CI server (the test database of pytest-django holds uncommitted rows)."""
    import psycopg

    name = f"shelter_scale_{os.getpid()}"
    parts = urlsplit(DATABASE_URL)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _csv(path: Path, first: int, count: int) -> Path:
    lines = ["entity_id,forename,name,date_of_birth,age,sex,nationalities,detail_link"]
    lines += [f"2031/{number:06d},RUSTAM,TESTOV{number},1980/01/01,45,,UZ," for number in range(first, first + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Cluster:
    def __init__(self, url: str, home: Path) -> None:
        self.env = {**os.environ, "SHELTER_DATABASE_URL": url, "SHELTER_HOME": str(home),
                    "SHELTER_JOB_STALE_SECONDS": "4", "SHELTER_BACKGROUND_IMPORT_BYTES": "1000"}
        self.url = url
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        self.logs = home / "logs-of-test"
        self.logs.mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([*_shelter_command(), *args], env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen([*_shelter_command(), *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start(self) -> None:
        for number in range(2):
            port = _free_port()
            self.ports.append(port)
            self.spawn(f"serve-{number}", "serve", "--no-worker", "--port", str(port), "--threads", "8")
        for number in range(2):
            self.workers.append(self.spawn(f"worker-{number}", "worker", "--interval", "0.2"))
        for port in self.ports:
            _wait_for(lambda port=port: self._answers(port), f"the server on port {port}", timeout=120, every=0.3)

    def _answers(self, port: int) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/jobs/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # 401 without a token: the server answers
        except OSError:
            return False

    def request(self, port: int, path: str, token: str, body: bytes | None = None,
                content_type: str = "text/csv") -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql, params).fetchall()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def logs_text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                         for log in sorted(self.logs.glob("*.log")))


@pytest.fixture
def cluster(database: str, tmp_path: Path) -> Iterator[Cluster]:
    cluster = Cluster(database, tmp_path / "home")
    cluster.run("migrate")
    cluster.run("users", "add", "curator", "--role", "editor", "--password-stdin", stdin="a long test password 1\n")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def test_two_servers_two_workers_share_the_jobs_and_survive_a_killed_worker(cluster: Cluster, tmp_path: Path) -> None:
    token = cluster.run("token", "curator").strip().splitlines()[-1]
    first, second = cluster.ports
    try:
        started = time.monotonic()
        answer = cluster.request(first, "/api/v1/notices/import", token, _csv(tmp_path / "a.csv", 0, ROWS).read_bytes())
        assert time.monotonic() - started < 10 and answer["status"] == "queued"
        job_id = answer["job"]

        # The job is followed through the other server while a worker runs it; that worker is killed mid-job.
        _wait_for(lambda: cluster.request(second, f"/api/v1/jobs/{job_id}", token)["status"] == "running",
                  "the job to start")
        worker_name = cluster.query("SELECT worker FROM jobs_job WHERE id = %s", job_id)[0][0]
        pid = int(re.split(":", worker_name)[1])
        victim = next(process for process in cluster.workers if process.pid == pid)
        victim.kill()
        victim.wait(timeout=10)

        finished = _wait_for(lambda: (lambda job: job if job["status"] in ("done", "failed") else None)(
            cluster.request(second, f"/api/v1/jobs/{job_id}", token)), "the retried job to finish")
        assert finished["status"] == "done", finished["error"]
        assert finished["attempts"] == 2 and f"{ROWS} read" in finished["summary"]
        assert cluster.query("SELECT runs FROM jobs_job WHERE id = %s", job_id) == [(1,)]
        count, distinct = cluster.query("SELECT count(*), count(DISTINCT entity_id) FROM notices_notice")[0]
        assert count == distinct == ROWS

        # More jobs through both servers, run by the surviving worker: each once.
        more = [cluster.request(port, "/api/v1/notices/import", token,
                                _csv(tmp_path / f"b{number}.csv", ROWS + 1000 * number, 500).read_bytes())["job"]
                for number, port in enumerate((first, second, first))]
        for job in more:
            _wait_for(lambda job=job: cluster.request(first, f"/api/v1/jobs/{job}", token)["status"] == "done",
                      f"job {job}")
        assert cluster.query("SELECT count(*) FROM jobs_job WHERE runs = 1 AND attempts = 1 AND status = 'done' "
                             "AND kind = 'notices.import'") == [(3,)]
        # Both workers look at the clock: the hourly checks were started once per hour, not once per worker.
        slots = cluster.query("SELECT count(*) FROM jobs_scheduledrun WHERE schedule = 'monitoring.hourly'")[0][0]
        assert slots >= 1 and cluster.query("SELECT count(*) FROM jobs_job WHERE kind = 'monitoring.checks'") \
            == [(slots,)]
        assert cluster.query("SELECT count(*) FROM notices_notice")[0][0] == ROWS + 1500
    except AssertionError:
        print(cluster.logs_text())
        raise
