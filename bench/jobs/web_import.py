"""A large notice import through `shelter serve` (its in-process worker runs the job): how long the API takes to
answer, and how long until the job is done.

    python bench/jobs/web_import.py --rows 100000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def _shelter() -> list[str]:
    found = shutil.which("shelter")
    return [found] if found else [sys.executable, "-c", "from shelter.cli import main; main()"]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _csv(rows: int) -> bytes:
    lines = ["entity_id,forename,name,date_of_birth,age,sex,nationalities,detail_link"]
    lines += [f"2031/{number:06d},RUSTAM,TESTOV{number},1980/01/01,45,,UZ," for number in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _call(port: int, path: str, token: str, body: bytes | None = None) -> dict[str, object]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SHELTER_HOME": home, "SHELTER_MAX_UPLOAD_MB": "100"}
        if args.database_url:
            env["SHELTER_DATABASE_URL"] = args.database_url
        else:
            env.pop("SHELTER_DATABASE_URL", None)
        run = lambda *a, stdin=None: subprocess.run([*_shelter(), *a], env=env, input=stdin, text=True,  # noqa: E731
                                                     capture_output=True, check=True).stdout
        run("migrate")
        run("users", "add", "bench", "--role", "editor", "--password-stdin", stdin="a long bench password 1\n")
        token = run("token", "bench").strip().splitlines()[-1]
        port = _port()
        log = (Path(home) / "serve.log").open("wb")
        server = subprocess.Popen([*_shelter(), "serve", "--port", str(port)], env=env, stdout=log,
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
            body = _csv(args.rows)
            started = time.monotonic()
            answer = _call(port, "/api/v1/notices/import", token, body)
            answered = time.monotonic() - started
            while (job := _call(port, f"/api/v1/jobs/{answer['job']}", token))["status"] not in (
                    "done", "failed", "cancelled"):
                time.sleep(0.5)
            finished = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.rows} rows ({len(body) / 1e6:.1f} MB CSV) on {database}: answered in {answered:.2f} s "
          f"(job {job['status']}), done after {finished:.1f} s; {job['summary'] or job['error']}")


if __name__ == "__main__":
    main()
