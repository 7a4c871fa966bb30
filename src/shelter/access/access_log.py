"""The access log: who viewed, exported or downloaded confidential records, and when.

Views, API endpoints and the export command call :func:`log_access` once they have found what the caller may
see; admins read the log in the admin (*Access log*).

A read never waits for the log. On SQLite one writer holds the database at a time (an import can hold it for
minutes): when the log cannot be written at once, its events wait in this process and a background thread
writes them as soon as the writer is done. PostgreSQL inserts do not wait on other writers, so there the log is
written at once, always.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, connections, models
from django.utils import timezone

from shelter.access.models import AccessAction, AccessEvent, Confidentiality, RestrictedRecord, User
from shelter.access.visibility import Viewer

OPERATOR = "operator"


def log_access(user: Viewer, record: models.Model | Iterable[models.Model], action: AccessAction | str) -> int:
    """Note that ``user`` (``None``: the operator at the command line) read ``record`` (or each of several
    records) by ``action``. Only confidential records are noted; returns how many were."""
    action = AccessAction(action)
    records = [record] if isinstance(record, models.Model) else record
    if isinstance(records, models.QuerySet):
        records = records.filter(confidentiality=Confidentiality.CONFIDENTIAL).only("pk", "confidentiality")
    account = user if isinstance(user, User) and user.pk is not None else None
    username = user.get_username() if user is not None and user.is_authenticated else OPERATOR
    if user is not None and not user.is_authenticated:
        username = "anonymous"
    now = timezone.now()
    events = [
        AccessEvent(when=now, user=account, username=username, action=action, kind=item._meta.label_lower,
                    record_id=item.pk)
        for item in records
        if isinstance(item, RestrictedRecord) and item.confidentiality == Confidentiality.CONFIDENTIAL
    ]
    if events:
        _store(events)
    return len(events)


_pending: list[AccessEvent] = []
_pending_lock = threading.Lock()
_writer: threading.Thread | None = None
RETRY_SECONDS = 0.5


def _store(events: list[AccessEvent]) -> None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        AccessEvent.objects.bulk_create(events, batch_size=1000)
        return
    try:
        with _without_waiting():
            AccessEvent.objects.bulk_create(events, batch_size=1000)
    except OperationalError:  # another writer holds the database: write these once it is free
        _defer(events)


@contextmanager
def _without_waiting() -> Iterator[None]:
    """SQLite answers "database is locked" at once instead of waiting for the busy timeout."""
    waits_ms = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {waits_ms}")


def _defer(events: list[AccessEvent]) -> None:
    global _writer
    with _pending_lock:
        _pending.extend(events)
        if _writer is None or not _writer.is_alive():
            _writer = threading.Thread(target=_write_pending, name="shelter-access-log", daemon=True)
            _writer.start()


def _write_pending() -> None:
    """Write the deferred events, waiting for the database as long as it takes (the thread's own connection)."""
    global _writer
    try:
        while True:
            with _pending_lock:
                batch = list(_pending)
                if not batch:
                    _writer = None
                    return
            try:
                AccessEvent.objects.bulk_create(batch, batch_size=1000)
            except OperationalError:
                threading.Event().wait(RETRY_SECONDS)
                continue
            with _pending_lock:
                del _pending[:len(batch)]
    finally:
        connections.close_all()


def wait_for_pending(timeout: float | None = None) -> bool:
    """Block until deferred events are written (at shutdown, and in tests); True when none are left."""
    writer = _writer
    if writer is not None:
        writer.join(timeout)
    with _pending_lock:
        return not _pending


atexit.register(wait_for_pending, 30.0)
