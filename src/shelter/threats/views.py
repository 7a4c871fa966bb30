from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from shelter import flash
from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.access.writes import require_editor
from shelter.incidents.models import Incident
from shelter.threats.forms import QuickCheckForm, RecordIncidentForm, TriageForm
from shelter.threats.models import ThreatReport
from shelter.threats.services import (
    TriageInputError,
    quick_check,
    record_as_incident,
    triage_message,
    triage_values,
)
from shelter.web.permissions import signed_in
from shelter.web.sections import sections_for


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = visible_to(ThreatReport.objects.all(), request.user)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "threats/list.html", {"page": page})


def quick_check_page(request: HttpRequest) -> HttpResponse:
    """The check without an account: the verdicts are shown on the page and nothing is stored."""
    form = QuickCheckForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            results = quick_check(form.cleaned_data["values"].splitlines())
        except TriageInputError as error:
            form.add_error("values", str(error))
    return render(request, "threats/check.html", {"form": form, "results": results},
                  status=400 if request.method == "POST" and results is None else 200)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = TriageForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {"confidentiality": data["confidentiality"], "teams": data["teams"], "person": data["person"]}
        try:
            if data["message"]:
                report = triage_message(data["message"].read(), user, **options)
                return redirect(report)
            reports = triage_values(data["values"].splitlines(), user, **options)
        except TriageInputError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reports[0]) if len(reports) == 1 else redirect("threats:list")
    return render(request, "threats/upload.html", {"form": form})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(ThreatReport.objects.all(), request.user, pk=pk)
    log_access(request.user, report, "viewed")
    form = RecordIncidentForm(user=signed_in(request), initial={"person": report.person_id})
    incident = visible_to(Incident.objects.filter(pk=report.incident_id), request.user).first()
    return render(request, "threats/report.html", {"report": report, "data": report.report, "form": form,
                                                   "incident": incident,
                                                   **sections_for("threatreport", report, request.user)})


@login_required
@require_POST
def record_incident(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(ThreatReport.objects.all(), request.user, pk=pk)
    user = require_editor(request.user)
    form = RecordIncidentForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            incident = record_as_incident(report, user, tactic=data["tactic"], person=data["person"],
                                          origin_state=data["origin_state"], title=data["title"],
                                          date_text=data["date"])
        except (TriageInputError, ValidationError) as error:
            form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            flash.success(request, gettext_noop("Recorded as an incident."))
            return redirect(incident)
    return render(request, "threats/report.html", {"report": report, "data": report.report, "form": form},
                  status=400)


@login_required
@require_POST
def feeds_update(request: HttpRequest) -> HttpResponse:
    """Administrators: update the indicator feeds (the network) as a job, followed on its page."""
    from shelter.threats.jobs import start_feeds_update

    job = start_feeds_update(request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", pk=job.pk)
