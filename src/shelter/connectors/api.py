"""API under /api/v1/records/: import a file of records (people, organisations, relationships, incidents,
sources), and export what the caller may see. A large import and every export run as jobs; follow them at
/api/v1/jobs/{job}, and fetch an export at /api/v1/jobs/{job}/result."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from shelter.api.auth import TOKEN
from shelter.connectors import jobs
from shelter.connectors.base import ImportRefused, no_progress
from shelter.jobs.models import Job
from shelter.notices.screening.registry_changes import screening_for

router = Router(tags=["records import and export"], auth=TOKEN)

# Content types of an import body sent as is (a multipart upload is read by its file name instead).
IMPORT_CONTENT_TYPES = {
    "application/json": "upload.json",
    "application/x-ndjson": "upload.jsonl",
    "text/csv": "upload.csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "upload.xlsx",
}


def _job_answer(job: Job) -> dict[str, Any]:
    return {"job": str(job.pk), "status": job.status, "progress": f"/api/v1/jobs/{job.pk}"}


@router.post("/import")
def import_records(request: HttpRequest, format: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Administrators only. Body: a file as ``shelter import`` reads it (JSON export, FollowTheMoney JSON lines,
    incidents as CSV or XLSX) with its Content-Type, or uploaded as the form field ``file`` (recognised by its
    name). All records or none. A body above ``SHELTER_BACKGROUND_IMPORT_BYTES`` is imported by a worker: the
    answer names its job."""
    user = jobs.require_admin(request.auth)  # type: ignore[attr-defined]
    upload = request.FILES.get("file")
    if upload is not None:
        data, name = b"".join(upload.chunks()), upload.name or ""
    else:
        name = IMPORT_CONTENT_TYPES.get(request.content_type or "", "")
        if not name and not format:
            raise HttpError(415, f"Content-Type '{request.content_type}' is not an import format: send one of "
                                 f"{', '.join(IMPORT_CONTENT_TYPES)}, upload the file as the form field 'file', "
                                 "or name the format (?format=)")
        data, name = request.body, name or f"upload.{format}"
    try:
        if len(data) > int(settings.SHELTER_BACKGROUND_IMPORT_BYTES):
            return _job_answer(jobs.start_records_import(user, data, name, format, dry_run))
        chosen = jobs.importer_for(name, format)
        with screening_for(user):  # the people added are screened after commit, as a job when many
            report = jobs.read_upload(chosen, data, name, dry_run, no_progress)
    except ImportRefused as error:
        raise HttpError(400, str(error)) from None
    if not report.ok:
        raise HttpError(422, jobs.refusal_line(report))
    return {"import": report.summary(), "created": report.created, "notes": report.notes}


@router.post("/export")
def export_records(request: HttpRequest, format: str) -> dict[str, Any]:
    """Export, as a job, the records the caller may see: ``csv`` (incidents), ``json`` (everything,
    re-importable) or ``ftm`` (FollowTheMoney entities). The file is made when the job runs, through the
    caller's visibility as it is then; fetch it at /api/v1/jobs/{job}/result."""
    try:
        job = jobs.start_records_export(request.auth, format)  # type: ignore[attr-defined]
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return {**_job_answer(job), "result": f"/api/v1/jobs/{job.pk}/result"}


@router.post("/reindex")
def rebuild_indexes(request: HttpRequest) -> dict[str, Any]:
    """Administrators only: rebuild the full-text search index and the registry's names index (which notices are
    screened against), as two jobs."""
    from shelter.notices.jobs import start_registry_index_rebuild
    from shelter.search.jobs import start_search_rebuild

    user = jobs.require_admin(request.auth, "rebuild the indexes")  # type: ignore[attr-defined]
    started = [start_search_rebuild(user), start_registry_index_rebuild(user)]
    return {"jobs": [_job_answer(job) for job in started]}
