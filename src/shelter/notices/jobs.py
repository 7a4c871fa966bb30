"""The notice import as a background job (see shelter.jobs): large uploads through the web and the API."""

from __future__ import annotations

import io

from django.conf import settings
from django.db import transaction

from shelter.access.models import User
from shelter.archives import ArchiveRefused, check_archive
from shelter.jobs.models import Job
from shelter.jobs.services import Progress, runner, start
from shelter.notices.formats import UPLOAD_SUFFIXES, NoticeFormatError, read_notice_upload
from shelter.notices.importing import import_notices
from shelter.notices.screening import ScreeningReport, screen_notices

NOTICE_IMPORT = "notices.import"
SCREEN_BATCH = 500


def background_import_bytes() -> int:
    """Uploads larger than this are imported by a worker; smaller ones within the request."""
    return int(getattr(settings, "SHELTER_BACKGROUND_IMPORT_BYTES", 256 * 1024))


def start_notice_import(user: User | None, data: bytes, suffix: str, *, full_list: bool = False,
                        confidentiality: str = "public", name: str = "") -> Job:
    """Queue the import of an uploaded file. Raises NoticeFormatError for a file no format reads by its name or
    one above the upload limit, before anything is queued."""
    suffix = suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise NoticeFormatError(f"expected a {', '.join(UPLOAD_SUFFIXES)} file, not '{suffix or 'no suffix'}'")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise NoticeFormatError(f"the file is larger than the {settings.MAX_UPLOAD_BYTES // 2**20} MiB limit "
                                "(SHELTER_MAX_UPLOAD_MB)")
    if suffix == ".xlsx":
        # A workbook that would unpack beyond the limits is refused now, as in the request, not by the worker.
        try:
            check_archive(io.BytesIO(data))
        except ArchiveRefused as error:
            raise NoticeFormatError(f"the workbook is {error}") from None
    return start(NOTICE_IMPORT, user, {"suffix": suffix, "full_list": full_list,
                                       "confidentiality": confidentiality, "name": name[:200]}, payload=data)


@runner(NOTICE_IMPORT)
def import_notices_job(job: Job, progress: Progress) -> str:
    """Read the uploaded file, import it in one transaction (with its checkpoint), then screen what changed in
    batches. A retry after the import committed screens again without importing twice."""
    if "to_screen" not in job.checkpoint:
        progress.update("reading the file", 0, 0)
        try:
            parsed = read_notice_upload(iter([bytes(job.payload)]), job.params["suffix"])
        except NoticeFormatError as error:
            raise ValueError(str(error)) from None
        progress.update("importing notices", 0, len(parsed.notices))
        with transaction.atomic():
            report = import_notices(parsed.notices, full_list=job.params.get("full_list", False),
                                    confidentiality=job.params.get("confidentiality", "public"), user=job.asker)
            progress.checkpoint(import_summary=report.summary(), to_screen=report.to_screen,
                                skipped=parsed.skipped, format=parsed.format, notes=len(parsed.notes))
            # A cancellation asked for during the import rolls it back whole.
            progress.check_cancelled()
    to_screen: list[int] = job.checkpoint["to_screen"]
    progress.update("screening notices", 0, len(to_screen))
    for start_at in range(0, len(to_screen), SCREEN_BATCH):
        screen_notices(to_screen[start_at:start_at + SCREEN_BATCH])
        progress.update("screening notices", min(start_at + SCREEN_BATCH, len(to_screen)))
    screened = ScreeningReport(screened=len(to_screen))
    skipped = job.checkpoint.get("skipped", 0)
    notes = job.checkpoint.get("notes", 0)
    return (f"{job.checkpoint['format']}: {job.checkpoint['import_summary']}"
            f"{f', {skipped} records skipped' if skipped else ''}"
            f"{f', {notes} value(s) naming no country left out' if notes else ''}. "
            f"{screened.summary_for(job.asker, to_screen)}")
