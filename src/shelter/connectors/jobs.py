"""The records import and export as background jobs (see shelter.jobs), for files sent to or asked of the API.

An import writes every record of the file or none, as the operator's ``shelter import`` does; the people it adds
are then screened against the notices (by a worker when they are many). An export is made when the job runs,
through the visibility filter of its asker as their account is then, and kept as the job's file for the asker.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.access.models import User
from shelter.archives import ArchiveRefused, check_archive
from shelter.connectors.base import Connector, ImportRefused, ImportReport, Ticker
from shelter.connectors.base import Progress as ConnectorProgress
from shelter.connectors.formats import connector, format_for
from shelter.jobs.models import Job
from shelter.jobs.services import (
    JobCancelled,
    Progress,
    StageTicker,
    job_viewer,
    keep_result_file,
    runner,
    start,
)

logger = logging.getLogger(__name__)

RECORDS_IMPORT = "records.import"
RECORDS_EXPORT = "records.export"
EXPORT_FORMATS = {"csv": ("incidents.csv", "text/csv"), "json": ("shelter-export.json", "application/json"),
                  "ftm": ("shelter-export.ftm.jsonl", "application/x-ndjson")}
# A progress report writes to the database; about a hundred of them per stage are enough to follow a job.
EXPORTED = gettext_noop("exported")


def require_admin(user: User | None, action: str = "import records from a file") -> User:
    """Records in a file carry their own confidentiality and teams, so only an administrator imports them (the
    same power as the operator's command line)."""
    if user is None or not user.is_authenticated or not user.is_shelter_admin:
        raise PermissionDenied(f"only an administrator may {action}")
    return user


def importer_for(filename: str, format_name: str | None) -> Connector:
    """The format that reads the file; ImportRefused, in the request's words, for one that none reads."""
    try:
        chosen = connector(format_name or format_for(filename))
    except LookupError as error:
        raise ImportRefused(str(error)) from None
    if chosen.read is None:
        raise ImportRefused(f"the {chosen.name} format can be exported but not imported")
    return chosen


def start_records_import(user: User, data: bytes, filename: str, format_name: str | None = None,
                         dry_run: bool = False) -> Job:
    """Queue the import of an uploaded file. Refuses (ImportRefused) a file no format reads, one above the upload
    limit, or a workbook that would unpack beyond the limits, before anything is queued."""
    require_admin(user)
    chosen = importer_for(filename, format_name)
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise ImportRefused(f"the file is larger than the {settings.MAX_UPLOAD_BYTES // 2**20} MiB limit "
                            "(SHELTER_MAX_UPLOAD_MB)")
    if chosen.name == "xlsx":
        try:
            check_archive(io.BytesIO(data))
        except ArchiveRefused as error:
            raise ImportRefused(f"the workbook is {error}") from None
    name = Path(filename).name[:200] or f"upload.{chosen.name}"
    return start(RECORDS_IMPORT, user, {"format": chosen.name, "name": name, "dry_run": dry_run}, payload=data)


def reported_to(progress: Progress) -> ConnectorProgress:
    """The connectors' progress interface, written to the job's progress."""

    @contextlib.contextmanager
    def stage(label: str, total: int) -> Iterator[Ticker]:
        progress.update(label, 0, total)
        yield StageTicker(progress, label, total)
        progress.update(label, total)

    return stage


def read_upload(chosen: Connector, data: bytes, name: str, dry_run: bool, progress: ConnectorProgress) -> ImportReport:
    """Import uploaded bytes with a connector (which reads a file by its path)."""
    assert chosen.read is not None
    with tempfile.TemporaryDirectory(prefix="shelter-import-") as directory:
        path = Path(directory) / (Path(name).name or "upload")  # the name's last part only: it is the sender's
        path.write_bytes(data)
        return chosen.read(path, dry_run, progress)


def refusal_line(report: ImportReport) -> str:
    """A refused import in one line: the summary and the first problem."""
    first = f"; first: {report.problems[0]}" if report.problems else ""
    return f"{report.summary()}{first}"


@runner(RECORDS_IMPORT, label=gettext_lazy("records import"))
def import_records_job(job: Job, progress: Progress) -> str:
    """Import the file in one transaction, committed with its checkpoint: a retry after the commit imports
    nothing twice. The people added are screened after commit for the asker (a job of its own when many)."""
    if "summary" in job.checkpoint:
        return str(job.checkpoint["summary"])
    from shelter.notices.screening.registry_changes import screening_for

    if job.asker is not None:  # still an administrator when the job runs (None: the operator)
        require_admin(job.asker)
    chosen = importer_for(job.params["name"], job.params["format"])
    try:
        with screening_for(job.asker), transaction.atomic():
            report = read_upload(chosen, bytes(job.payload), job.params["name"], job.params.get("dry_run", False),
                                 reported_to(progress))
            if report.ok:
                progress.checkpoint(summary=report.summary())
                # A cancellation asked for during the import rolls it back whole.
                progress.check_cancelled()
    except ImportRefused as error:
        raise ValueError(str(error)) from None
    if not report.ok:
        raise ValueError(refusal_line(report))
    notes = f" ({len(report.notes)} note(s): {'; '.join(report.notes[:3])})" if report.notes else ""
    return f"{report.summary()}{notes}"


def start_records_export(user: User, format_name: str) -> Job:
    if format_name not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format '{format_name}' (expected one of {', '.join(EXPORT_FORMATS)})")
    return start(RECORDS_EXPORT, user, {"format": format_name})


class _ReportedAside(threading.Thread):
    """Writes an export's progress from a connection of its own, once a second. The export's connection reads
    through an open cursor; on SQLite it may not write meanwhile (its snapshot is older than the job's latest
    heartbeat, so the write would be refused as "database is locked")."""

    def __init__(self, job: Job) -> None:
        super().__init__(daemon=True, name=f"progress-{job.pk}")
        self.job_id = job.pk
        self.stage, self.done, self.total = "", 0, 0
        self.cancel_requested = False
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(1.0):
                try:
                    Job.objects.filter(pk=self.job_id).update(stage=self.stage[:100], done=self.done,
                                                              total=self.total, heartbeat=timezone.now())
                    self.cancel_requested = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
                except Exception:  # a locked SQLite file: the next round tries again
                    logger.debug("progress of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stage_of(self, label: str, total: int) -> contextlib.AbstractContextManager[Ticker]:
        self.stage, self.done, self.total = label, 0, total
        return contextlib.nullcontext(self)

    def update(self, steps: int) -> None:
        self.done += steps
        if self.cancel_requested:
            raise JobCancelled


@runner(RECORDS_EXPORT, label=gettext_lazy("records export"), stages=(EXPORTED,))
def export_records_job(job: Job, progress: Progress) -> str:
    """Write the records the asker may see when the job runs; keep the file for them and note the export in the
    access log, as the command line's export does."""
    from shelter.connectors.cli import note_export

    format_name = job.params["format"]
    chosen = connector(format_name)
    assert chosen.write is not None
    viewer = job_viewer(job)
    name, content_type = EXPORT_FORMATS[format_name]
    # Written record by record to a temporary file, then kept a part at a time: never held whole in memory.
    with tempfile.TemporaryFile(prefix="shelter-export-") as file:
        stream = io.TextIOWrapper(file, encoding="utf-8", newline="")
        aside = _ReportedAside(job)
        aside.start()
        try:
            count = chosen.write(stream, viewer, aside.stage_of)
        finally:
            aside.stopped.set()
            aside.join()
        stream.flush()
        stream.detach()
        file.seek(0)
        progress.update(EXPORTED, count, count)
        with transaction.atomic():
            keep_result_file(job, name, content_type, file)
            note_export(format_name, viewer)
    return f"exported {count} record(s) you may see as {name}: download it at /jobs/{job.pk}/result/"
