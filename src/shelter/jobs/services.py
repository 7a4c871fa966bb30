"""Starting, running, following and cancelling jobs.

A job is a :class:`~shelter.jobs.models.Job` row plus one task in the django-tasks database queue that names it.
Whichever worker takes the task claims the job with a row lock, so a job runs once however many workers share
the queue. A running job's worker writes a heartbeat; a job whose worker went silent (killed, machine lost) is
queued again once, then failed (:func:`recover_lost`). Each step of a job's work commits in one transaction
with the checkpoint that records it, so a job stopped mid-step is never half-applied and a retry resumes after
the last committed step."""

from __future__ import annotations

import io
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_noop

from shelter.access.models import Role, User
from shelter.access.visibility import Viewer, visible_to
from shelter.jobs.core import HEARTBEAT_SECONDS, STALE_AFTER, JobStatus, after_worker_lost
from shelter.jobs.models import Job, JobResult, JobResultPart, StartedBy

logger = logging.getLogger(__name__)
# A job's file is kept and sent in parts of this size.
PART_BYTES = 1 << 20


class JobCancelled(Exception):
    """Raised inside a job's work when its asker cancelled it; the step under way is rolled back."""


class Progress:
    """What a job's work reports as it goes; each report is also a heartbeat and a check for cancellation."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def update(self, stage: str, done: int, total: int | None = None) -> None:
        values: dict[str, Any] = {"stage": stage[:100], "done": done, "heartbeat": timezone.now()}
        if total is not None:
            values["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**values)
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled

    def checkpoint(self, **values: Any) -> None:
        """Record a committed step; call inside the transaction that does the step's work."""
        self.job.checkpoint = {**self.job.checkpoint, **values}
        Job.objects.filter(pk=self.job.pk).update(checkpoint=self.job.checkpoint)


class StageTicker:
    """Counts the steps of one stage of a job and reports them about a hundred times over the stage, not at
    every step (a ``progress.Ticker``)."""

    REPORTS_PER_STAGE = 100

    def __init__(self, progress: Progress, stage: str, total: int) -> None:
        self.progress, self.stage, self.done = progress, stage, 0
        self.every = max(1, total // self.REPORTS_PER_STAGE)

    def update(self, steps: int) -> None:
        before, self.done = self.done, self.done + steps
        if before // self.every != self.done // self.every:
            self.progress.update(self.stage, self.done)


Runner = Callable[[Job, Progress], str]
# The stage of a job given back to the queue after its worker stopped (shown translated, like every stage).
QUEUED_AGAIN = gettext_noop("queued again: its worker stopped")
LANGUAGE_PARAM = "language"
_RUNNERS: dict[str, Runner] = {}
_LABELS: dict[str, Any] = {}
_STAGES: dict[str, tuple[str, ...]] = {}


def runner(kind: str, label: Any = None, stages: tuple[str, ...] = ()) -> Callable[[Runner], Runner]:
    """Register the function that does the work of jobs of ``kind`` and returns its one-paragraph summary.

    ``label`` (marked with ``gettext_lazy``) is the kind's name on pages; ``stages`` (each marked with
    ``gettext_noop``) are the stage texts its progress reports. A stage is stored in English and shown in the
    language of the page that shows it (:attr:`Job.progress`)."""

    def register(function: Runner) -> Runner:
        _RUNNERS[kind] = function
        if label is not None:
            _LABELS[kind] = label
        _STAGES[kind] = stages
        return function

    return register


def kind_label(kind: str) -> str:
    """A kind of job's name in the active language (its code when it registered none)."""
    load_runners()
    return str(_LABELS.get(kind, kind))


def kinds() -> dict[str, tuple[str, ...]]:
    """Every registered kind of job with the stage texts it declared."""
    load_runners()
    return dict(_STAGES)


def load_runners() -> None:
    """Each app declares its kinds of job in its ``jobs`` module (e.g. ``shelter.notices.jobs``); modules that are
    not an app's are named in ``SHELTER_JOB_MODULES``."""
    from importlib import import_module

    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    for name in getattr(settings, "SHELTER_JOB_MODULES", ()):
        import_module(name)


def job_viewer(job: Job) -> User:
    """Whose visibility a job's work and result follow: its asker as their account is when the job runs, or the
    operator (who sees everything) for a job started by the command line or the schedule."""
    if job.asker is not None:
        return job.asker
    return User(username="operator", role=Role.ADMIN, is_superuser=True)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def start(kind: str, asker: User | None, params: dict[str, Any] | None = None, payload: bytes = b"",
          started_by: StartedBy | None = None) -> Job:
    """Queue a job of ``kind`` for ``asker`` (``None``: the operator, or a visitor when ``started_by`` says so). The
    job and its task are written together."""
    load_runners()
    if kind not in _RUNNERS:
        raise ValueError(f"unknown job kind '{kind}'")
    with transaction.atomic():
        # the job speaks the asker's language (that of the request that started it), whatever thread runs it
        params = {**(params or {}), LANGUAGE_PARAM: translation.get_language() or settings.LANGUAGE_CODE}
        if started_by is None:
            started_by = StartedBy.USER if asker is not None else StartedBy.COMMAND_LINE
        job = Job.objects.create(kind=kind, asker=asker, started_by=started_by, params=params, payload=payload)
        _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from shelter.jobs.tasks import run_job

    run_job.enqueue(str(job.pk))


def _claim(job_id: str) -> Job | None:
    """Take a queued job for this worker; None when it is not queued (already taken, finished or cancelled)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
        if job is None:
            return None
        now = timezone.now()
        job.status, job.worker, job.heartbeat = JobStatus.RUNNING, worker_name(), now
        job.started = job.started or now
        job.attempts += 1
        job.save(update_fields=["status", "worker", "heartbeat", "started", "attempts"])
    return job


class _Heartbeat(threading.Thread):
    """Writes the running job's heartbeat while its work holds the main thread (e.g. inside one long step)."""

    def __init__(self, job: Job) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job.pk}")
        self.job_id, self.worker = job.pk, job.worker
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, worker=self.worker).update(
                        heartbeat=timezone.now())
                except Exception:  # a locked SQLite file: the next beat tries again
                    logger.debug("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()


def run(job_id: str) -> str:
    """Do the work of one job (called by a worker). Returns the job's final status."""
    load_runners()
    job = _claim(job_id)
    if job is None:
        return "skipped"
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    progress = Progress(job)
    try:
        if job.asker is not None and not job.asker.is_active:
            raise PermissionDenied(f"the account of {job.asker.username}, who asked for this job, is deactivated")
        with translation.override(job.params.get(LANGUAGE_PARAM) or settings.LANGUAGE_CODE):
            summary = _RUNNERS[job.kind](job, progress)
    except JobCancelled:
        _finish(job, JobStatus.CANCELLED, error="cancelled by its asker; the step under way was not kept")
    except (PermissionDenied, ValidationError, ValueError) as error:
        _finish(job, JobStatus.FAILED, error=_one_line(error))
    except Exception as error:
        logger.exception("job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, error=_one_line(error))
    else:
        _finish(job, JobStatus.DONE, summary=summary)
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _one_line(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        text = "; ".join(error.messages)
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())[:500]


def _finish(job: Job, status: JobStatus, summary: str = "", error: str = "") -> None:
    values: dict[str, Any] = {"status": status, "summary": summary, "error": error, "payload": b"",
                              "finished": timezone.now()}
    if status == JobStatus.DONE:
        values["runs"] = F("runs") + 1
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(**values)


def keep_result(job: Job, name: str, content_type: str, data: bytes) -> JobResult:
    """Keep a small file a job made for its asker (a PDF), replacing one kept by an earlier attempt."""
    return keep_result_file(job, name, content_type, io.BytesIO(data))


def keep_result_file(job: Job, name: str, content_type: str, source: BinaryIO) -> JobResult:
    """Keep the file a job made for its asker, read from ``source`` one part at a time (an export written to a
    temporary file), replacing one kept by an earlier attempt. All or nothing: one transaction."""
    with transaction.atomic():
        result, _ = JobResult.objects.update_or_create(
            job=job, defaults={"name": name[:200], "content_type": content_type, "size": 0})
        result.parts.all().delete()
        size = 0
        for number, data in enumerate(iter(lambda: source.read(PART_BYTES), b"")):
            JobResultPart.objects.create(result=result, number=number, data=data)
            size += len(data)
        result.size = size
        result.save(update_fields=["size"])
    return result


def result_of(job: Job) -> JobResult | None:
    return JobResult.objects.filter(job=job).first()


def result_parts(result: JobResult) -> Iterator[bytes]:
    """A job's file, one part at a time (each read when it is needed)."""
    for pk in list(result.parts.order_by("number").values_list("pk", flat=True)):
        yield bytes(JobResultPart.objects.values_list("data", flat=True).get(pk=pk))


def result_response(result: JobResult, inline: bool = False) -> StreamingHttpResponse:
    """A job's file, sent one part at a time: as a download, or ``inline`` for a document whose type Shelter
    made itself (a PDF laid out by a job); otherwise never inline, since an export's type is not checked."""
    response = StreamingHttpResponse(result_parts(result), content_type=result.content_type)
    response["Content-Length"] = str(result.size)
    response["Content-Disposition"] = content_disposition_header(not inline, result.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stale_after() -> timedelta:
    seconds = getattr(settings, "SHELTER_JOB_STALE_SECONDS", None)
    return timedelta(seconds=float(seconds)) if seconds else STALE_AFTER


def recover_lost() -> list[Job]:
    """Queue again (or fail, after the last attempt) the running jobs whose worker went silent."""
    cutoff = timezone.now() - stale_after()
    recovered: list[Job] = []
    for job_id in Job.objects.filter(status=JobStatus.RUNNING, heartbeat__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(
                pk=job_id, status=JobStatus.RUNNING, heartbeat__lt=cutoff).first()
            if job is None:
                continue
            job.status = after_worker_lost(job.attempts)
            job.worker = ""
            if job.status == JobStatus.QUEUED:
                job.stage = QUEUED_AGAIN
                job.save(update_fields=["status", "worker", "stage"])
                _enqueue(job)
            else:
                job.error = f"its worker stopped mid-job {job.attempts} times; no unfinished step was kept"
                job.finished, job.payload = timezone.now(), b""
                job.save(update_fields=["status", "worker", "error", "finished", "payload"])
            recovered.append(job)
    return recovered


def visible_jobs(user: Viewer) -> Any:
    """The jobs ``user`` may see: their own; every job for an admin (and the operator's command line)."""
    return visible_to(Job.objects.all(), user).select_related("asker")


def cancel(job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next progress report."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.QUEUED:
            locked.status, locked.finished, locked.payload = JobStatus.CANCELLED, timezone.now(), b""
            locked.error = "cancelled before it started"
            locked.save(update_fields=["status", "finished", "payload", "error"])
        elif locked.status == JobStatus.RUNNING:
            locked.cancel_requested = True
            locked.save(update_fields=["cancel_requested"])
        else:
            raise ValidationError(f"job {job.pk} is already {locked.status}")
    return locked


def wait(job: Job, on_progress: Callable[[Job], None] | None = None, poll: float = 0.5,
         timeout: float | None = None) -> Job:
    """Follow a job until it finishes (the command line's --wait)."""
    import time

    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if on_progress is not None:
            on_progress(job)
        if job.is_finished:
            return job
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"job {job.pk} not finished after {timeout} seconds")
        time.sleep(poll)
