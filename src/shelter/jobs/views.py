"""The jobs page, one job's page and its progress fragment (polled by htmx while the job runs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from shelter import flash
from shelter.access.visibility import get_visible_or_404
from shelter.jobs import services
from shelter.jobs.models import Job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = services.visible_jobs(request.user)[:100]
    return render(request, "jobs/list.html", {"jobs": jobs})


def _visible_job(request: HttpRequest, pk: str) -> Job:
    # A job of someone else answers "not found", exactly like a missing one.
    return get_visible_or_404(Job.objects.select_related("asker"), request.user, pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = _visible_job(request, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_progress.html", {"job": job, "cancellable": request.GET.get("cancellable") == "1"})
    return render(request, "jobs/detail.html", {"job": job})


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: str) -> HttpResponse:
    job = _visible_job(request, pk)
    try:
        services.cancel(job)
        flash.success(request, gettext_noop("Cancellation asked for."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("jobs:detail", pk=job.pk)
