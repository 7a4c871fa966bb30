"""Work started by the clock: each app declares in its ``jobs`` module what runs every hour or every day
(:func:`scheduled`), and every worker looks at the clock once a minute (:func:`start_due`). A run is started
once per slot however many workers there are: the worker that writes the slot's
:class:`~shelter.jobs.models.ScheduledRun` row (unique per schedule and slot) starts its job in the same
transaction; the others find the row taken. Slots that passed while no worker ran are caught up by one run when a
worker comes back (the run of the slot it comes back in, which records how many slots it caught up), never by one
run per missed slot."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from shelter.jobs.core import missed_slots, slot_start
from shelter.jobs.models import Job, ScheduledRun, StartedBy
from shelter.jobs.services import load_runners

logger = logging.getLogger(__name__)

HOURLY = timedelta(hours=1)
DAILY = timedelta(days=1)


StartRun = Callable[[datetime], Job]


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta
    start: StartRun  # starts the run's job for a slot, asked for by the operator
    enabled: Callable[[], bool]


_SCHEDULES: dict[str, Schedule] = {}


def scheduled(name: str, every: timedelta,
              enabled: Callable[[], bool] = lambda: True) -> Callable[[StartRun], StartRun]:
    """Register a function that starts a slot's job (given the slot's start), to be run once every ``every``
    while ``enabled()`` holds."""

    def register(start: StartRun) -> StartRun:
        _SCHEDULES[name] = Schedule(name, every, start, enabled)
        return start

    return register


def schedules() -> list[Schedule]:
    load_runners()
    return sorted(_SCHEDULES.values(), key=lambda schedule: schedule.name)


def start_due(now: datetime) -> list[Job]:
    """Start the run of each enabled schedule whose slot at ``now`` has not been started by any worker yet."""
    started: list[Job] = []
    for schedule in schedules():
        if not schedule.enabled():
            continue
        slot = slot_start(now, schedule.every)
        if ScheduledRun.objects.filter(schedule=schedule.name, slot=slot).exists():
            continue
        last = ScheduledRun.objects.filter(schedule=schedule.name, slot__lt=slot).order_by("-slot").first()
        missed = missed_slots(last.slot if last else None, slot, schedule.every)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(schedule=schedule.name, slot=slot, missed=missed)
                run.job = schedule.start(slot)
                if run.job.asker_id is None:
                    run.job.started_by = StartedBy.SCHEDULE
                    run.job.save(update_fields=["started_by"])
                run.save(update_fields=["job"])
        except IntegrityError:
            continue  # another worker wrote the slot's row first: the run is theirs
        except Exception:  # e.g. a setting the schedule reads is wrong: the next look tries again
            logger.exception("schedule %s: slot %s could not be started", schedule.name, slot)
            continue
        if missed:
            logger.warning("schedule %s: %d slot(s) since %s passed without a worker; caught up by one run, slot %s "
                           "(job %s)", schedule.name, missed, last.slot if last else "-", slot, run.job_id)
        else:
            logger.info("schedule %s: slot %s started as job %s", schedule.name, slot, run.job_id)
        started.append(run.job)
    return started
