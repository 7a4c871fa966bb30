"""Pages: the monitoring dashboard (deadlines due soon, overdue check-ins) and a plan with its check-ins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.monitoring.models import CheckIn, MonitoringPlan
from shelter.monitoring.services import DEFAULT_WINDOW_DAYS, deadlines_due, overdue_plans, visible_plans


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "monitoring/dashboard.html", {
        "today": today, "window": DEFAULT_WINDOW_DAYS,
        "deadlines": deadlines_due(request.user, today), "overdue": overdue_plans(request.user, today),
        "plans": visible_plans(request.user)[:200],
    })


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(MonitoringPlan.objects.select_related("person", "responsible"), request.user, pk=pk)
    log_access(request.user, plan, "viewed")
    check_ins = visible_to(CheckIn.objects.filter(plan=plan), request.user)
    return render(request, "monitoring/plan.html", {"plan": plan, "check_ins": check_ins})
