"""``shelter serve`` runs queued jobs in its own process unless told ``--no-worker``, so that the single-machine
default needs one command; with ``--no-worker`` a job waits for ``shelter worker``. Real processes on SQLite:
which process ran a job is read from the job's ``worker`` (host:pid:thread)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.notices.conftest import NOTICE_FIXTURES

SHELTER = [sys.executable, "-c", "from shelter.cli import main; main()"]
DEADLINE = 300.0  # a loaded machine: migrations, static files, then the import and its screening
CSV = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Workspace:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
        self.env.update({"SHELTER_HOME": str(home), "SHELTER_BACKGROUND_IMPORT_BYTES": "100"})
        self.token = ""

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*SHELTER, *args], env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=DEADLINE, check=False)
        assert done.returncode == 0, done.stderr
        return done

    def request(self, port: int, path: str, body: bytes | None = None) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET",
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def job_worker(self, job_id: str) -> tuple[str, int]:
        with sqlite3.connect(self.home / "shelter.sqlite3") as database:
            status, worker = database.execute("SELECT status, worker FROM jobs_job WHERE id = ?",
                                              (job_id.replace("-", ""),)).fetchone()
        return status, int(worker.split(":")[1])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    made = Workspace(tmp_path_factory.mktemp("serve-worker-home"))
    made.run("migrate")
    made.run("users", "add", "curator", "--role", "editor", "--password-stdin", stdin="a long test password 1\n")
    made.token = made.run("token", "curator").stdout.strip().splitlines()[-1]
    return made


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def serve(workspace: Workspace) -> Iterator[Callable[..., tuple[int, subprocess.Popen[bytes]]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> tuple[int, subprocess.Popen[bytes]]:
        port = _free_port()
        log = (workspace.home / f"serve-{port}.log").open("wb")
        process = subprocess.Popen([*SHELTER, "serve", "--port", str(port), "--threads", "4", *options],
                                   env=workspace.env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        _wait_for(lambda: process.poll() is not None or _answers(port), f"shelter serve on port {port}")
        assert process.poll() is None, _log(workspace, port)
        return port, process

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def _log(workspace: Workspace, port: int) -> str:
    return (workspace.home / f"serve-{port}.log").read_text(encoding="utf-8", errors="replace")


def _queue_import(workspace: Workspace, port: int) -> str:
    answer = workspace.request(port, "/api/v1/notices/import", CSV.read_bytes())
    assert answer["status"] == "queued"
    return str(answer["job"])


def _finished(workspace: Workspace, port: int, job_id: str) -> Any:
    job = workspace.request(port, f"/api/v1/jobs/{job_id}")
    return job if job["status"] in ("done", "failed", "cancelled") else None


def test_serve_runs_a_queued_job_in_its_own_process(workspace: Workspace, serve: Any) -> None:
    port, process = serve()
    job_id = _queue_import(workspace, port)
    job = _wait_for(lambda: _finished(workspace, port, job_id), "the job to finish")
    assert job["status"] == "done", job["error"]
    assert job["done"] == job["total"] == 30 and job["summary"].startswith("interpol-list-csv: 30 read")
    assert workspace.job_worker(job_id) == ("done", process.pid)
    assert "background jobs: run by a worker in this process" in _log(workspace, port)


def test_serve_without_a_worker_leaves_the_job_to_shelter_worker(workspace: Workspace, serve: Any) -> None:
    port, process = serve("--no-worker")
    job_id = _queue_import(workspace, port)
    worker = subprocess.Popen([*SHELTER, "worker", "--interval", "0.2", "--max-tasks", "1"], env=workspace.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        job = _wait_for(lambda: _finished(workspace, port, job_id), "the job to finish")
        assert worker.wait(timeout=DEADLINE) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert job["status"] == "done", job["error"]
    assert workspace.job_worker(job_id) == ("done", worker.pid) and worker.pid != process.pid
    assert "background jobs: not run here (--no-worker)" in _log(workspace, port)
