"""The hourly check of deadlines and returnees' check-ins as a scheduled job (see shelter.jobs.schedule): it
e-mails each responsible user about what is due or overdue (``send_reminders``) and keeps the counts in the
job's summary, for the operator and admins. Switched off with ``SHELTER_SCHEDULE_CHECKS=0`` (e.g. when cron
runs ``shelter monitor remind`` instead)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.jobs.models import Job
from shelter.jobs.schedule import HOURLY, scheduled
from shelter.jobs.services import Progress, job_viewer, runner, start
from shelter.monitoring.services import deadlines_due, overdue_plans, send_reminders

MONITORING_CHECKS = "monitoring.checks"
CHECKING = gettext_noop("checking deadlines and check-ins")
SENDING = gettext_noop("sending reminders")
CHECKED = gettext_noop("checked")


@scheduled("monitoring.hourly", HOURLY, enabled=lambda: bool(getattr(settings, "SHELTER_SCHEDULE_CHECKS", True)))
def start_checks(slot: datetime) -> Job:
    return start(MONITORING_CHECKS, None, {"at": slot.isoformat()})


@runner(MONITORING_CHECKS, label=gettext_lazy("hourly checks of deadlines and check-ins"),
        stages=(CHECKING, SENDING, CHECKED))
def check_deadlines_and_check_ins(job: Job, progress: Progress) -> str:
    """Count what is due and overdue as the job's viewer sees it, then send the day's reminders (each at most
    once a day per record, to responsible users who may see the record)."""
    now = datetime.fromisoformat(job.params["at"]) if "at" in job.params else timezone.now()
    viewer = job_viewer(job)
    progress.update(CHECKING, 0, 2)
    due, overdue = deadlines_due(viewer, now.date()), overdue_plans(viewer, now.date())
    progress.update(SENDING, 1, 2)
    sent = send_reminders(now)
    progress.update(CHECKED, 2)
    return (f"{len(due)} deadline(s) due soon, {len(overdue)} monitoring plan(s) with a check-in overdue; "
            f"{sent.sent} reminder(s) sent, {sent.without_address} responsible user(s) without an e-mail address")
