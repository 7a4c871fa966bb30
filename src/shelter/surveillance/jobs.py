"""The surveillance app's background job (see shelter.jobs): a large file uploaded on the import page is read and
imported by a worker, all rows or none, and followed on the job's page."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.access.models import User
from shelter.access.writes import check_writer
from shelter.intake import InputRefused
from shelter.jobs.models import Job
from shelter.jobs.services import Progress, StageTicker, runner, start
from shelter.surveillance.importing import import_batch, read_upload

SURVEILLANCE_IMPORT = "surveillance.import"
READING = gettext_noop("reading the file")
IMPORTING = gettext_noop("importing surveillance records")


def start_import(user: User, data: bytes, *, fmt: str, kind: str | None, name: str, dry_run: bool = False,
                 confidentiality: str = "internal", teams: list[str] | None = None) -> Job:
    """Queue the import of an uploaded file. A writer only; a file above the upload limit, not UTF-8 text or in
    no format is refused (InputRefused) before anything is queued."""
    check_writer(user)
    read_upload(data, fmt, kind, name)  # refused now, in the request's words, rather than by the worker
    return start(SURVEILLANCE_IMPORT, user, {
        "format": fmt, "kind": kind, "name": Path(name).name[:200], "dry_run": dry_run,
        "confidentiality": confidentiality, "teams": teams}, payload=data)


@runner(SURVEILLANCE_IMPORT, label=gettext_lazy("surveillance import"), stages=(READING, IMPORTING))
def import_surveillance_job(job: Job, progress: Progress) -> str:
    """Read the file and write every row in one transaction, committed with its checkpoint (a retry after the
    commit writes nothing twice); one bad row and nothing is written, the job failing with the first problem."""
    if "summary" in job.checkpoint:
        return str(job.checkpoint["summary"])
    params = job.params
    progress.update(READING, 0, 0)
    try:
        batch = read_upload(bytes(job.payload), params["format"], params.get("kind"), params["name"])
    except InputRefused as error:
        raise ValueError(str(error)) from None
    progress.update(IMPORTING, 0, len(batch.rows))
    ticker = StageTicker(progress, IMPORTING, len(batch.rows))
    with transaction.atomic():
        result = import_batch(batch, job.asker, source=params["name"], dry_run=params.get("dry_run", False),
                              confidentiality=params.get("confidentiality", "internal"), teams=params.get("teams"),
                              on_progress=ticker.update)
        if result.ok:
            progress.checkpoint(summary=result.summary())
            # A cancellation asked for during the import rolls it back whole.
            progress.check_cancelled()
    if not result.ok:
        raise ValueError(result.refusal_line())
    return result.summary()
