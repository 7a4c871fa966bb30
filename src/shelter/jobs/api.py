"""The jobs API: a caller's own jobs (every job for an admin), one job's progress and result, cancellation."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Schema
from ninja.errors import HttpError

from shelter.access.visibility import get_visible_or_404
from shelter.api.auth import TOKEN
from shelter.api.listing import Limit, Offset, page_of
from shelter.jobs import services
from shelter.jobs.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    stage: str
    done: int
    total: int
    percent: int | None
    summary: str
    error: str
    attempts: int
    created: datetime
    started: datetime | None
    finished: datetime | None


def job_out(job: Job) -> dict[str, Any]:
    return {field: getattr(job, field) for field in JobOut.model_fields}


@router.get("", auth=TOKEN)
def list_jobs(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    jobs = services.visible_jobs(request.auth)  # type: ignore[attr-defined]
    return {"count": jobs.count(), "items": [job_out(job) for job in page_of(jobs, limit, offset)]}


def _visible_job(request: HttpRequest, job_id: UUID) -> Job:
    return get_visible_or_404(Job.objects.all(), request.auth, pk=job_id)  # type: ignore[attr-defined]


@router.get("/{job_id}", response=JobOut, auth=TOKEN)
def get_job(request: HttpRequest, job_id: UUID) -> dict[str, Any]:
    """A job's progress, and once finished its result summary or its error."""
    return job_out(_visible_job(request, job_id))


@router.get("/{job_id}/result", auth=TOKEN, response={200: None, 404: dict[str, str]},
            openapi_extra={"responses": {200: {"description": "The file the job made (e.g. an export)."}}})
def get_job_result(request: HttpRequest, job_id: UUID) -> HttpResponseBase:
    """The file a finished job made for its asker (an export): to its asker and admins only."""
    result = services.result_of(_visible_job(request, job_id))
    if result is None:
        raise HttpError(404, "this job has made no file (not finished, failed, or of a kind that makes none)")
    return services.result_response(result)


@router.post("/{job_id}/cancel", response=JobOut, auth=TOKEN)
def cancel_job(request: HttpRequest, job_id: UUID) -> dict[str, Any]:
    try:
        return job_out(services.cancel(_visible_job(request, job_id)))
    except ValidationError as error:
        raise HttpError(409, "; ".join(error.messages)) from None
