"""The page that hands out the file a job made (an export) to whoever may see the job."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from shelter.access.visibility import get_visible_or_404
from shelter.jobs.models import Job
from shelter.jobs.services import result_of, result_response


@require_GET
@login_required
def job_result(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    result = result_of(get_visible_or_404(Job.objects.all(), request.user, pk=pk))
    if result is None:
        raise Http404("this job has made no file")
    return result_response(result)
