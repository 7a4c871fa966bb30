"""The rules of a job's life, free of Django: its states, what counts as finished, when a running job whose worker
went silent is given back to the queue or failed, and how its progress reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})
# A running job's worker writes a heartbeat this often; after STALE_AFTER of silence the worker is taken for dead.
HEARTBEAT_SECONDS = 2.0
STALE_AFTER = timedelta(seconds=20)
# How many times a job is started at most (the first run and one retry after a worker died mid-job).
MAX_ATTEMPTS = 2


def is_finished(status: str) -> bool:
    return status in FINISHED


def is_stale(heartbeat: datetime | None, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
    """Whether a running job's worker has been silent long enough to be taken for dead."""
    return heartbeat is None or now - heartbeat > stale_after


def after_worker_lost(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> JobStatus:
    """What a running job becomes when its worker died: queued again while attempts remain, failed after."""
    return JobStatus.QUEUED if attempts < max_attempts else JobStatus.FAILED


def percent(done: int, total: int) -> int | None:
    """Progress as a whole percentage, or None while the total is not known yet."""
    if total <= 0:
        return None
    return max(0, min(100, (done * 100) // total))


def slot_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period of length ``every`` that ``now`` falls in, counted from midnight UTC of
    1 January 1970 (so an hourly slot starts on the hour, a daily one at midnight UTC)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((now - epoch) // every) * every


def missed_slots(last: datetime | None, slot: datetime, every: timedelta) -> int:
    """How many slots of length ``every`` passed without a run between the last run's slot and ``slot`` (both
    slot starts); 0 when there was no run before."""
    if last is None or slot <= last:
        return 0
    return (slot - last) // every - 1
