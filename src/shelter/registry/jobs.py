"""The comparison of the whole registry for possible duplicates, as a background job (see shelter.jobs): every
person searched against the registry's screening index and the pairs stored (``DuplicatePair``), so that the
curators' page reads stored pairs. Started every night (skipped when the registry is unchanged) and from the page
by a curator."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy, gettext_noop

from shelter.access.models import User
from shelter.access.writes import require_curator
from shelter.jobs.core import JobStatus
from shelter.jobs.models import Job
from shelter.jobs.schedule import DAILY, scheduled
from shelter.jobs.services import Progress, StageTicker, runner, start
from shelter.registry.matching import compare_registry, registry_fingerprint, store_duplicate_pairs
from shelter.registry.models import DuplicatePair

DUPLICATES = "registry.duplicates"
COMPARING = gettext_noop("comparing every person of the registry with the others")
STORING = gettext_noop("storing the possible duplicates")


def start_duplicates(user: User | None) -> Job | None:
    """Queue a comparison of the registry for possible duplicates (``user`` None: the operator); None when one is
    already waiting or running (its pairs will be the fresh ones)."""
    if user is not None:
        require_curator(user)
    if Job.objects.filter(kind=DUPLICATES, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists():
        return None
    return start(DUPLICATES, user)


@scheduled("registry.duplicates_daily", DAILY)
def start_daily(slot: datetime) -> Job:
    return start(DUPLICATES, None, {"at": slot.isoformat()})


@runner(DUPLICATES, label=gettext_lazy("comparison of the registry for possible duplicates"),
        stages=(COMPARING, STORING))
def compare_job(job: Job, progress: Progress) -> str:
    """Compare the registry and replace the stored pairs; nothing to do when they were computed from the
    registry as it is. The summary gives no figure: the pairs of people hidden from the asker are among them."""
    fingerprint = registry_fingerprint()
    if DuplicatePair._base_manager.filter(fingerprint=fingerprint).exists():
        return "the registry has not changed since its possible duplicates were computed"
    ticker: StageTicker | None = None

    def compared(done: int, total: int) -> None:
        nonlocal ticker
        if ticker is None:
            ticker = StageTicker(progress, COMPARING, total)
            progress.update(COMPARING, 0, total)
        ticker.update(1)

    found = compare_registry(compared)
    progress.update(STORING, 0, 0)
    store_duplicate_pairs(fingerprint, found)
    return "the possible duplicates of the registry were computed again"
