"""Documents laid out by a job the first time they are asked for (briefing and dossier PDFs), then handed out again
from the job's file while what they show is unchanged.

A document is known by its key: the digest of exactly what it lays out (its HTML), which the page that asks for it
builds with the asker's visibility. The job lays the document out again with its asker's visibility and keeps, with
its file, the key of what it laid out. A later request whose own HTML has that key gets the stored file: the file is
then exactly what that requester would have laid out, so it is never shown to anyone who could not see it. Nobody
else reaches the file: the job's own pages show it to its asker and admins only (:mod:`shelter.jobs.results`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from shelter.access.models import User
from shelter.access.visibility import Viewer
from shelter.jobs.core import JobStatus
from shelter.jobs.models import Job, JobResult, StartedBy
from shelter.jobs.services import Progress, keep_result, result_response, start

# params: the key of the document the page asked for; checkpoint: the key of the document the job laid out.
ASKED = "document_key"
LAID_OUT = "laid_out_key"
PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)


def key_of(html: str) -> str:
    """A document's key: the digest of the HTML it is laid out from."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def stored(kind: str, key: str) -> JobResult | None:
    """The file of the latest finished job of ``kind`` that laid out the document ``key``, if it is still kept."""
    job = (Job.objects.filter(kind=kind, status=JobStatus.DONE, result__isnull=False, **{f"checkpoint__{LAID_OUT}": key})
           .order_by("-finished").first())
    return JobResult.objects.filter(job=job).first() if job is not None else None


def job_for(kind: str, key: str, asker: User | None, params: dict[str, Any], start_new: bool = True) -> Job:
    """The job laying out the document ``key``: one under way for it, else a new one. With ``start_new`` false (a
    page following the job), the latest job asked for it, finished or not, is answered instead of a new one, so a
    failed job is shown as failed rather than started again on every look."""
    asked = Job.objects.filter(kind=kind, **{f"params__{ASKED}": key}).order_by("-created")
    pending = asked.filter(status__in=PENDING).first()
    if pending is not None:
        return pending
    if not start_new and (latest := asked.first()) is not None:
        return latest
    # asked for by a page or the API: nobody there without an account is the operator
    return start(kind, asker, {**params, ASKED: key}, started_by=StartedBy.USER if asker else StartedBy.VISITOR)


def keep(progress: Progress, html: str, name: str, content_type: str, data: bytes) -> None:
    """Keep the document a job laid out from ``html``, with its key, in one transaction."""
    with transaction.atomic():
        keep_result(progress.job, name, content_type, data)
        progress.checkpoint(**{LAID_OUT: key_of(html)})


def stored_or_job(request: HttpRequest, kind: str, html: str, params: dict[str, Any], title: str,
                  deliver: Callable[[HttpResponseBase], None] | None = None) -> HttpResponseBase:
    """The answer to a page's request for a document laid out by a job: the stored file (opened in the browser)
    when the document (``html``, as the requester may see it) was laid out already, passed to ``deliver`` (e.g. to
    note the download, or to name the file otherwise) before it is sent; else, at once, a page following the job
    that lays it out, which offers the download once it is done. A page polling the job (htmx) gets the job's
    fragment only."""
    key = key_of(html)
    polled = bool(getattr(request, "htmx", False))
    result = stored(kind, key)
    response: HttpResponseBase
    if result is not None and not polled:
        response = result_response(result, inline=True)
        response["Cache-Control"] = "private, no-store"
        if deliver is not None:
            deliver(response)
        return response
    job = None
    if result is None:
        job = job_for(kind, key, _asker(request.user), params, start_new=not polled)
    context = {"job": job, "title": title, "url": request.get_full_path()}
    if polled:
        response = render(request, "jobs/_document.html", context)
    else:
        response = render(request, "jobs/document.html", context, status=202)
    response["Cache-Control"] = "private, no-store"
    return response


def stored_or_job_json(request: HttpRequest, user: Viewer, kind: str, html: str, params: dict[str, Any],
                       deliver: Callable[[HttpResponseBase], None] | None = None) -> HttpResponseBase:
    """The same for the API: the stored file, or at once ``202 Accepted`` naming the job that lays it out; the
    caller asks the same URL again (its asker may also follow the job at ``/api/v1/jobs/{id}``)."""
    result = stored(kind, key_of(html))
    if result is not None:
        response: HttpResponseBase = result_response(result)
        if deliver is not None:
            deliver(response)
        return response
    job = job_for(kind, key_of(html), _asker(user), params)
    response = JsonResponse({"job": str(job.pk), "status": job.status, "progress": f"/api/v1/jobs/{job.pk}",
                             "result": request.get_full_path()}, status=202)
    response["Retry-After"] = "2"
    return response


def _asker(user: Viewer) -> User | None:
    """Who asks: a signed-in user, or nobody (an anonymous visitor, whose document shows what anyone may see)."""
    return user if isinstance(user, User) and user.is_authenticated else None
