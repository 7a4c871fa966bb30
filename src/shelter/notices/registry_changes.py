"""Queue the people whose registry entries changed, and screen them against the notices once the
transaction commits (see :mod:`shelter.notices.people_screening`).

Saves are collected per thread and screened in one batch after commit: an import of many people builds
nothing per row, and the names written after the person in the same transaction are included. A batch larger
than ``SHELTER_SCREEN_IN_REQUEST`` is screened by a worker as a job (for whoever :func:`screening_for` names),
so a request that saved many people does not wait for their screening. This module is connected at start-up
and imports the name matcher only when there is something to screen.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from shelter.access.models import User
from shelter.registry.models import Person, PersonName

logger = logging.getLogger(__name__)

# Person fields that change whom the person resembles, or whether a resemblance raises an alert.
SCREENED_PERSON_FIELDS = frozenset({"primary_name", "dob", "nationalities", "sex", "at_risk"})

_pending = threading.local()
# Who a screening job started by these saves belongs to (the operator when nobody is named).
_asker: contextvars.ContextVar[User | None] = contextvars.ContextVar("screening_asker", default=None)


@contextlib.contextmanager
def screening_for(user: User | None) -> Iterator[None]:
    """Within this block, a screening job started by registry changes is asked for by ``user``."""
    token = _asker.set(user)
    try:
        yield
    finally:
        _asker.reset(token)


def screen_pending_people(asker: User | None = None) -> None:
    """Screen the people saved in the transaction that just committed (and any left from a rolled-back one,
    which are skipped if they no longer exist); a job for ``asker`` when they are many."""
    ids: set[int] = getattr(_pending, "ids", set())
    if not ids:
        return
    _pending.ids = set()
    from shelter.notices import jobs, people_screening

    if len(ids) > jobs.screened_in_request():
        job = jobs.start_people_screening(asker, sorted(ids))
        logger.info("registry changes: %s people to screen, queued as job %s", len(ids), job.pk)
        return
    report = people_screening.screen_people(sorted(ids))
    if report.candidates:
        logger.info("registry changes: %s", report.summary())


def queue_person(person_id: int) -> None:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(person_id)
    # Registered on every save: a callback registered inside a savepoint that rolls back is dropped, and the
    # first callback to run screens the whole batch (the others find it empty). A failure is logged rather than
    # turning a saved record into an error page; `shelter notices screen` repeats the work.
    asker = _asker.get()
    transaction.on_commit(lambda: screen_pending_people(asker), robust=True)


def person_saved(sender: type[Person], instance: Person, raw: bool = False,
                 update_fields: frozenset[str] | None = None, **_: Any) -> None:
    if raw or (update_fields is not None and not SCREENED_PERSON_FIELDS.intersection(update_fields)):
        return
    queue_person(instance.pk)


def name_changed(sender: type[PersonName], instance: PersonName, raw: bool = False, **_: Any) -> None:
    if not raw and instance.person_id:
        queue_person(instance.person_id)
