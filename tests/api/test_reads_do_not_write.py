"""Reads through the API do not write: a token's use is noted at most once a minute, and SQLite runs in WAL mode
(readers never wait for a writer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shelter.access.models import TOKEN_USE_RECORDED_EVERY, ApiToken

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes_during(call, role: str, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert call(role, "GET", path).status_code == 200
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.parametrize("path", ["incidents/", "people/?q=usmanov", "notices/", "threats/reports", "sources/"])
def test_a_token_read_writes_nothing_when_the_use_was_noted_recently(path, call, records, users):  # type: ignore[no-untyped-def]
    call("viewer", "GET", "incidents/")  # the first use is noted
    ApiToken.objects.filter(user=users["viewer"]).update(last_used=timezone.now() - timedelta(seconds=10))
    assert _writes_during(call, "viewer", path) == []


def test_a_token_use_is_noted_once_a_minute(call, records, users):  # type: ignore[no-untyped-def]
    call("viewer", "GET", "incidents/")
    token = ApiToken.objects.get(user=users["viewer"])
    assert token.last_used is not None and timezone.now() - token.last_used < timedelta(seconds=5)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used=an_hour_ago)
    writes = _writes_during(call, "viewer", "incidents/")
    assert len(writes) == 1 and "access_apitoken" in writes[0].lower()
    token.refresh_from_db()
    assert token.last_used > an_hour_ago + TOKEN_USE_RECORDED_EVERY  # type: ignore[operator]
    assert _writes_during(call, "viewer", "incidents/") == []


def test_a_use_noted_by_another_server_process_is_not_written_again(users):  # type: ignore[no-untyped-def]
    token = ApiToken.issue(users["viewer"])
    stale = ApiToken.objects.get(user=users["viewer"])  # read before the other process noted the use
    now = timezone.now()
    ApiToken.objects.filter(pk=stale.pk).update(last_used=now)
    with CaptureQueriesContext(connection) as queries:
        stale.note_use(now + timedelta(seconds=1))
    updates = [q for q in queries.captured_queries if q["sql"].upper().startswith("UPDATE")]
    assert len(updates) == 1  # the statement ran, but its condition left the row alone
    assert ApiToken.objects.get(pk=stale.pk).last_used == now
    assert ApiToken.user_for(token) == users["viewer"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="WAL and the busy timeout are SQLite settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):  # type: ignore[no-untyped-def]
    """The test database lives in memory (no WAL there), so the production settings open a file of their own."""
    settings_dict = {**connections["default"].settings_dict, "NAME": str(tmp_path / "shelter.sqlite3")}
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert 1000 <= cursor.fetchone()[0] <= 30000
    finally:
        wrapper.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite locks the whole database for a writer")
@pytest.mark.django_db(transaction=True)
def test_a_token_read_goes_on_while_another_writer_holds_the_lock(users):  # type: ignore[no-untyped-def]
    import threading
    import time

    token = ApiToken.issue(users["viewer"])
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:  # an import, say, in the middle of its transaction
        from django.db import connection as own_connection

        with own_connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("UPDATE access_team SET name = name")
            holding.set()
            release.wait(10)
            cursor.execute("ROLLBACK")
        own_connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        assert ApiToken.user_for(token) == users["viewer"]
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
        thread.join()
    assert ApiToken.objects.get(user=users["viewer"]).last_used is None  # noted by a later request instead
