"""A `shelter serve` in a fresh workspace (SQLite, or an empty PostgreSQL database) with one user and an API
token, for the job benchmarks that time the API's answers and the in-process worker's jobs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ports import free_port


def shelter_command() -> list[str]:
    found = shutil.which("shelter")
    return [found] if found else [sys.executable, "-c", "from shelter.cli import main; main()"]


@dataclass(frozen=True)
class Server:
    port: int
    token: str

    def call(self, path: str, body: bytes | None = None, content_type: str = "application/json",
             post: bool = False) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body,
                                         method="POST" if body is not None or post else "GET",
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def until_done(self, job_id: str) -> dict[str, Any]:
        while (job := self.call(f"/api/v1/jobs/{job_id}"))["status"] not in ("done", "failed", "cancelled"):
            time.sleep(0.5)
        return job  # type: ignore[no-any-return]


@contextmanager
def serving(role: str, database_url: str = "") -> Iterator[Server]:
    """Migrate a new workspace, add a user of ``role`` with a token, and serve it until the block ends."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SHELTER_HOME": home, "SHELTER_MAX_UPLOAD_MB": "100"}
        if database_url:
            env["SHELTER_DATABASE_URL"] = database_url
        else:
            env.pop("SHELTER_DATABASE_URL", None)

        def run(*command: str, stdin: str | None = None) -> str:
            return subprocess.run([*shelter_command(), *command], env=env, input=stdin, text=True,
                                  capture_output=True, check=True).stdout

        run("migrate")
        run("users", "add", "bench", "--role", role, "--password-stdin", stdin="a long bench password 1\n")
        token = run("token", "bench").strip().splitlines()[-1]
        port = free_port()
        with (Path(home) / "serve.log").open("wb") as log:
            server = subprocess.Popen([*shelter_command(), "serve", "--port", str(port)], env=env, stdout=log,
                                      stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 120
                while True:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.3)
                yield Server(port, token)
            finally:
                server.terminate()
                server.wait(timeout=30)
