"""A backup moves between databases exactly: SQLite → PostgreSQL → SQLite gives back the same export, and ids
go on where they stopped. Runs the real ``shelter`` command in fresh workspaces; needs a PostgreSQL server (the
suite's own, when ``SHELTER_DATABASE_URL`` points at one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connectors"
SERVER_URL = os.environ.get("SHELTER_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(not SERVER_URL.startswith(("postgres://", "postgresql://")),
                                reason="needs a PostgreSQL server: set SHELTER_DATABASE_URL to run it")


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    import psycopg

    name = f"shelter_round_trip_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield SERVER_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def shelter(home: Path, *args: object, database_url: str | None = None, stdin: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items()
           if key not in {"SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["SHELTER_HOME"] = str(home)
    if database_url:
        env["SHELTER_DATABASE_URL"] = database_url
    done = subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", *map(str, args)],
                          env=env, input=stdin, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_sqlite_to_postgresql_to_sqlite_gives_the_same_export(tmp_path: Path, empty_postgres_url: str) -> None:
    first, server, last = tmp_path / "first", tmp_path / "server", tmp_path / "last"
    shelter(first, "migrate")
    shelter(first, "users", "add", "ana", "--role", "editor", "--team", "alpha", "--password-stdin",
            stdin="a long enough password\n")
    shelter(first, "import", FIXTURES / "incidents.csv")
    shelter(first, "import", FIXTURES / "entities.ftm.json")
    shelter(first, "export", "--format", "json", "-o", tmp_path / "first.json")
    shelter(first, "backup", tmp_path / "first.zip")

    shelter(server, "restore", tmp_path / "first.zip", database_url=empty_postgres_url)
    shelter(server, "export", "--format", "json", "-o", tmp_path / "server.json", database_url=empty_postgres_url)
    shelter(server, "backup", tmp_path / "server.zip", database_url=empty_postgres_url)

    shelter(last, "restore", tmp_path / "server.zip")
    shelter(last, "export", "--format", "json", "-o", tmp_path / "last.json")
    shelter(last, "backup", tmp_path / "last.zip")

    exported = (tmp_path / "first.json").read_bytes()
    assert b"incidents" in exported
    assert (tmp_path / "server.json").read_bytes() == exported
    assert (tmp_path / "last.json").read_bytes() == exported
    last_ids = [last_ids_of(tmp_path / name) for name in ("first.zip", "server.zip", "last.zip")]
    assert last_ids[0]["registry.Person"] > 0 and last_ids[0]["incidents.Incident"] > 0
    # each export notes the confidential records it wrote in the access log: one more event per workspace
    events = [ids.pop("access.AccessEvent") for ids in last_ids]
    assert events == sorted(events) and len(set(events)) == 3
    assert last_ids[0] == last_ids[1] == last_ids[2]


def last_ids_of(backup: Path) -> dict[str, int]:
    with zipfile.ZipFile(backup) as archive:
        return json.loads(archive.read("manifest.json"))["last_ids"]  # type: ignore[no-any-return]
