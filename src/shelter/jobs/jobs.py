"""The jobs app's own scheduled work: files made by jobs (exports of records) are removed after
``SHELTER_JOB_RESULT_DAYS`` days, so that copies of confidential records do not pile up in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.jobs.models import Job, JobResult
from shelter.jobs.schedule import DAILY, scheduled
from shelter.jobs.services import Progress, runner, start

PRUNE_RESULTS = "jobs.prune_results"
REMOVING = gettext_noop("removing old files")


def result_days() -> int:
    return int(getattr(settings, "SHELTER_JOB_RESULT_DAYS", 7))


@scheduled("jobs.prune_results_daily", DAILY)
def start_prune(slot: datetime) -> Job:
    return start(PRUNE_RESULTS, None, {"at": slot.isoformat()})


@runner(PRUNE_RESULTS, label=gettext_lazy("removal of old files made by jobs"), stages=(REMOVING,))
def prune_results(job: Job, progress: Progress) -> str:
    cutoff = datetime.fromisoformat(job.params["at"]) - timedelta(days=result_days())
    progress.update(REMOVING, 0, 0)
    removed = JobResult.objects.filter(created__lt=cutoff).delete()[1].get(JobResult._meta.label, 0)
    return f"{removed} file(s) made by jobs before {cutoff:%Y-%m-%d %H:%M} UTC removed"
