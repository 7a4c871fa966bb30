"""A job: long work done by a worker off the request, with who asked for it, its progress, result and error."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from shelter.jobs.core import JobStatus, percent


class StartedBy(models.TextChoices):
    """Where a job was started: by its asker (a signed-in user), or, without an asker, by whom."""

    USER = "user", gettext_lazy("signed-in user")
    VISITOR = "visitor", gettext_lazy("anonymous visitor")
    COMMAND_LINE = "command_line", gettext_lazy("command line")
    SCHEDULE = "schedule", gettext_lazy("schedule")


class Job(models.Model):
    # The one visibility filter shows a job to its asker and to admins only (see shelter.access.visibility).
    VISIBLE_TO_OWNER = "asker"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+",
                              help_text="Who asked; empty for the operator (command line, schedule) and for visitors.")
    started_by = models.CharField(max_length=16, choices=StartedBy.choices, default=StartedBy.COMMAND_LINE)
    status = models.CharField(max_length=16, choices=[(s.value, s.value) for s in JobStatus],
                              default=JobStatus.QUEUED, db_index=True)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    params: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    # The input (an uploaded file) kept in the database so that any worker can read it; emptied once finished.
    payload = models.BinaryField(default=b"", blank=True)
    # What a retried job resumes from (work already committed, e.g. an import whose screening is still to do).
    checkpoint: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    runs = models.PositiveSmallIntegerField(default=0, help_text="How many times the job's work was completed.")
    worker = models.CharField(max_length=64, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def progress(self) -> str:
        """The progress in the active language: the stage is stored in English and translated when shown."""
        if self.status == JobStatus.QUEUED:
            return gettext("waiting for a worker")
        stage = gettext(self.stage) if self.stage else ""
        counted = (gettext("%(done)s of %(total)s") % {"done": self.done, "total": self.total} if self.total > 0
                   else str(self.done))
        return f"{stage}: {counted}" if stage else counted

    @property
    def started_by_label(self) -> str:
        """Who started the job, in the active language: the asker's username, else where it was started."""
        if self.asker is not None:
            return self.asker.username
        if self.started_by == StartedBy.USER:
            return gettext("deleted account")
        return str(StartedBy(self.started_by).label)

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language."""
        from shelter.jobs.services import kind_label

        return kind_label(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED}


class JobResult(models.Model):
    """The file a job made for its asker (an export, a report), kept in the database so that every app server
    can hand it out; seen by whoever may see the job. Its bytes are kept in parts (:class:`JobResultPart`), written
    and handed out one part at a time, so that a large export is never held whole in memory."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, primary_key=True, related_name="result")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class JobResultPart(models.Model):
    """One part of a job's file, in order."""

    result = models.ForeignKey(JobResult, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["result", "number"]
        constraints = [models.UniqueConstraint(fields=["result", "number"], name="jobs_one_part_per_number")]

    def __str__(self) -> str:
        return f"{self.result_id} part {self.number}"


class ScheduledRun(models.Model):
    """One run of a schedule, for one slot of its period. The row is unique per schedule and slot, so however
    many workers look at the clock, each slot's run is started once: the first worker to write the row starts
    it, the others find the row taken."""

    schedule = models.CharField(max_length=64)
    slot = models.DateTimeField(help_text="The start of the period this run covers.")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    missed = models.PositiveIntegerField(
        default=0, help_text="Slots that passed without a run (no worker running) before this one, caught up by it.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["schedule", "slot"], name="jobs_one_run_per_schedule_slot")]

    def __str__(self) -> str:
        return f"{self.schedule} {self.slot:%Y-%m-%d %H:%M}"
