"""Running workers: the django-tasks database worker, plus a watch for jobs whose worker died and a look at
the clock for scheduled work (see shelter.jobs.schedule)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

# How often a worker looks for running jobs whose worker went silent.
RECOVERY_SECONDS = 5.0
# How often a worker looks at the clock for scheduled work (schedules are hourly at the finest).
SCHEDULE_SECONDS = 60.0


def _worker(interval: float, max_tasks: int | None = None, batch: bool = False) -> object:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                  startup_delay=not batch, max_tasks=max_tasks, worker_id=get_random_string(32),
                  excluded_queue_names=[])


def _watch_lost_jobs(stop: threading.Event) -> None:
    from shelter.jobs.services import recover_lost

    try:
        while not stop.wait(RECOVERY_SECONDS):
            close_old_connections()
            try:
                for job in recover_lost():
                    logger.warning("job %s lost its worker: now %s", job.pk, job.status)
            except Exception:  # a locked SQLite file or a lost connection: the next round tries again
                logger.debug("looking for lost jobs failed", exc_info=True)
    finally:
        connection.close()


def _start_scheduled(stop: threading.Event) -> None:
    from django.utils import timezone

    from shelter.jobs.schedule import start_due

    try:
        while True:
            close_old_connections()
            try:
                for job in start_due(timezone.now()):
                    logger.info("scheduled job %s (%s) queued", job.pk, job.kind)
            except Exception:  # a locked SQLite file or a lost connection: the next look tries again
                logger.warning("starting scheduled work failed", exc_info=True)
            if stop.wait(SCHEDULE_SECONDS):
                return
    finally:
        connection.close()


def _start_watchers(stop: threading.Event) -> None:
    """The threads beside a worker's loop: the watch for lost jobs and the look at the clock."""
    for target, name in ((_watch_lost_jobs, "lost-jobs"), (_start_scheduled, "schedule")):
        threading.Thread(target=target, args=(stop,), daemon=True, name=name).start()


def run_worker(interval: float = 1.0, max_tasks: int | None = None) -> None:
    """Run jobs as they are queued until stopped (SIGTERM or Ctrl+C finish the job under way first)."""
    worker = _worker(interval, max_tasks)
    stop = threading.Event()
    _start_watchers(stop)
    worker.configure_signals()  # type: ignore[attr-defined]
    try:
        worker.run()  # type: ignore[attr-defined]
    finally:
        stop.set()


def run_queued() -> int:
    """Run every job queued now in this thread, then return how many tasks ran. Unlike the worker's loop it keeps
    the current database connection (and so the transaction a test runs in)."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = _worker(interval=0, batch=True)
    ran = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)  # type: ignore[attr-defined]
        worker.run_task(task_result)  # type: ignore[attr-defined]
        ran += 1


def start_in_process(interval: float = 1.0) -> threading.Thread:
    """A worker in a daemon thread of the web server (``shelter serve`` without ``--no-worker``)."""

    def work() -> None:
        stop = threading.Event()
        _start_watchers(stop)
        try:
            _worker(interval).run()  # type: ignore[attr-defined]
        finally:
            stop.set()
            connection.close()

    thread = threading.Thread(target=work, daemon=True, name="shelter-worker")
    thread.start()
    return thread
