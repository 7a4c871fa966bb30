"""``{% running_jobs %}``: the signed-in user's own unfinished jobs on every page, each with its live progress, so
that whichever page a started job leads to shows how it goes."""

from __future__ import annotations

from typing import Any

from django import template

from shelter.jobs import services
from shelter.jobs.core import JobStatus

register = template.Library()
SHOWN = 5


@register.inclusion_tag("jobs/_running.html", takes_context=True)
def running_jobs(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    # The jobs pages show the progress themselves.
    if user is None or not user.is_authenticated or (match is not None and match.app_name == "jobs"):
        return {"jobs": []}
    jobs = services.visible_jobs(user).filter(asker=user, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return {"jobs": list(jobs.order_by("-created")[:SHOWN])}
