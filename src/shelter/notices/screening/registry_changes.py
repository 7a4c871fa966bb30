"""Queue the people whose registry entries changed, and screen them against the notices once the
transaction commits (see :mod:`shelter.notices.screening.people`).

Saves are collected per thread and screened in one batch after commit: an import of many people builds
nothing per row, and the names written after the person in the same transaction are included. Saves made
within :func:`screening_for` (an import through the API, or a job) hand a batch larger than
``SHELTER_SCREEN_IN_REQUEST`` to a worker as a job for the user it names, so the request does not wait for the
screening; elsewhere (the command line) the batch is screened in place. This module is connected at start-up
and imports the name matcher only when there is something to screen.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from shelter.access.models import User
from shelter.registry.models import Person, PersonName

logger = logging.getLogger(__name__)

# Person fields that change whom the person resembles, or whether a resemblance raises an alert.
SCREENED_PERSON_FIELDS = frozenset({"primary_name", "dob", "nationalities", "sex", "at_risk"})

_pending = threading.local()


@dataclass(frozen=True)
class AsJob:
    """Many people saved are screened by a worker, as a job asked for by ``asker`` (None: the operator)."""

    asker: User | None


_as_job: contextvars.ContextVar[AsJob | None] = contextvars.ContextVar("screening_as_job", default=None)


@contextlib.contextmanager
def screening_for(user: User | None) -> Iterator[None]:
    """Within this block, more people saved at once than ``SHELTER_SCREEN_IN_REQUEST`` are screened by a
    worker, as a job asked for by ``user``."""
    token = _as_job.set(AsJob(user))
    try:
        yield
    finally:
        _as_job.reset(token)


def screen_pending_people(as_job: AsJob | None = None) -> None:
    """Screen the people saved in the transaction that just committed (and any left from a rolled-back one,
    which are skipped if they no longer exist); as a job when ``as_job`` says so and they are many."""
    ids: set[int] = getattr(_pending, "ids", set())
    if not ids:
        return
    _pending.ids = set()
    from shelter.notices import jobs
    from shelter.notices.screening import people

    if as_job is not None and len(ids) > jobs.screened_in_request():
        job = jobs.start_people_screening(as_job.asker, sorted(ids))
        logger.info("registry changes: %s people to screen, queued as job %s", len(ids), job.pk)
        return
    report = people.screen_people(sorted(ids))
    if report.candidates:
        logger.info("registry changes: %s", report.summary())


def queue_person(person_id: int) -> None:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(person_id)
    # Registered on every save: a callback registered inside a savepoint that rolls back is dropped, and the
    # first callback to run screens the whole batch (the others find it empty). A failure is logged rather than
    # turning a saved record into an error page; `shelter notices screen` repeats the work.
    as_job = _as_job.get()
    transaction.on_commit(lambda: screen_pending_people(as_job), robust=True)


def person_saved(sender: type[Person], instance: Person, raw: bool = False,
                 update_fields: frozenset[str] | None = None, **_: Any) -> None:
    if raw or (update_fields is not None and not SCREENED_PERSON_FIELDS.intersection(update_fields)):
        return
    queue_person(instance.pk)


def name_changed(sender: type[PersonName], instance: PersonName, raw: bool = False, **_: Any) -> None:
    if not raw and instance.person_id:
        queue_person(instance.person_id)
