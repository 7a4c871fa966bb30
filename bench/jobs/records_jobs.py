"""A large records import and an export through the API of `shelter serve` (its in-process worker runs the jobs):
how long the API takes to answer, and how long until each job is done (the import's, then the screening of the
people it added, then the export's).

    python bench/jobs/records_jobs.py --people 20000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from web_import import _port, _shelter  # the same way to run shelter and find a free port


def _ftm(people: int) -> bytes:
    lines = [json.dumps({"id": f"p-{number}", "schema": "Person",
                         "properties": {"name": [f"Rustam Testov{number}"], "birthDate": ["1980-01-01"],
                                        "nationality": ["uz"]}}) for number in range(people)]
    return ("\n".join(lines) + "\n").encode()


def _call(port: int, path: str, token: str, body: bytes | None = None, post: bool = False) -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     method="POST" if body is not None or post else "GET",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/x-ndjson"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def _until_done(port: int, token: str, job_id: str) -> dict[str, Any]:
    while (job := _call(port, f"/api/v1/jobs/{job_id}", token))["status"] not in ("done", "failed", "cancelled"):
        time.sleep(0.5)
    return job  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of an empty database (default SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SHELTER_HOME": home, "SHELTER_MAX_UPLOAD_MB": "100"}
        if args.database_url:
            env["SHELTER_DATABASE_URL"] = args.database_url
        else:
            env.pop("SHELTER_DATABASE_URL", None)

        def run(*command: str, stdin: str | None = None) -> str:
            return subprocess.run([*_shelter(), *command], env=env, input=stdin, text=True, capture_output=True,
                                  check=True).stdout

        run("migrate")
        run("users", "add", "bench", "--role", "admin", "--password-stdin", stdin="a long bench password 1\n")
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
            body = _ftm(args.people)
            started = time.monotonic()
            answer = _call(port, "/api/v1/records/import", token, body)
            import_answered = time.monotonic() - started
            imported = _until_done(port, token, answer["job"])
            import_done = time.monotonic() - started
            screening = [job for job in _call(port, "/api/v1/jobs/?limit=100", token)["items"]
                         if job["kind"] == "notices.screen_people"]
            screening_job = _until_done(port, token, screening[0]["id"]) if screening else None
            screening_done = time.monotonic() - started
            started = time.monotonic()
            export = _call(port, "/api/v1/records/export?format=json", token, post=True)
            export_answered = time.monotonic() - started
            exported = _until_done(port, token, export["job"])
            export_done = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.people} people ({len(body) / 1e6:.1f} MB FollowTheMoney) on {database}")
    print(f"import: answered in {import_answered:.2f} s, done after {import_done:.1f} s: "
          f"{imported['summary'] or imported['error']}")
    if screening_job is not None:
        print(f"screening of the people added: done after {screening_done:.1f} s: {screening_job['summary']}")
    print(f"export (json): answered in {export_answered:.2f} s, done after {export_done:.1f} s: "
          f"{exported['summary'] or exported['error']}")


if __name__ == "__main__":
    main()
