"""Pages: the statistics dashboard, chart images and their CSV tables, a state's page with its briefing,
and the agreement editor. Every figure comes from :mod:`shelter.analytics.services` for the request's
audience; anonymous visitors get the public version."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shelter import flash
from shelter.access.models import User
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.access.writes import require_editor, save_form
from shelter.analytics.briefing import (
    BRIEFING_CHARTS,
    BRIEFING_FORMATS,
    build_briefing,
    html_policy,
    render_html,
)
from shelter.analytics.charts import CHART_FORMATS, chart_spec, render_chart
from shelter.analytics.country_labels import country_label
from shelter.analytics.forms import AgreementForm, DashboardFilterForm, PeriodForm
from shelter.analytics.jobs import BRIEFING_PDF, briefing_params
from shelter.analytics.models import Agreement
from shelter.analytics.services import Audience, tables_for
from shelter.analytics.tables import OTHER_KEY, TABLE_NAMES
from shelter.countries import UnknownCountryError, country_code
from shelter.jobs.documents import stored_or_job

DASHBOARD_CHARTS = ("by_year", "by_category", "by_tactic", "by_origin", "by_host", "flows", "returnee_outcomes")
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _audience(request: HttpRequest, form: PeriodForm) -> Audience:
    public = bool(form.is_valid() and form.cleaned_data.get("public"))
    return Audience.for_request_user(request.user, public)


def _state_or_404(code: str) -> str:
    try:
        resolved = country_code(code)
    except UnknownCountryError as error:
        raise Http404(str(error)) from error
    if resolved != code:
        raise Http404(f"use the ISO code {resolved}")
    return resolved


def _query(params: dict[str, object]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "", False, [], ())}, doseq=True)


def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "analytics/dashboard.html", {"form": form}, status=400)
    if not request.GET:
        form = DashboardFilterForm({})
        form.is_valid()
    audience = _audience(request, form)
    tables = tables_for(audience, form.filters(), _language())
    query = request.GET.urlencode()
    charts = [
        {"table": tables[name], "svg": f"{reverse('analytics:chart', args=[name, 'svg'])}?{query}",
         "png": f"{reverse('analytics:chart', args=[name, 'png'])}?{query}",
         "csv": f"{reverse('analytics:chart', args=[name, 'csv'])}?{query}"}
        for name in DASHBOARD_CHARTS
    ]
    states = [(row["key"], row["label"], row["count"]) for row in tables["by_origin"].rows if row["key"] != OTHER_KEY]
    period = _query({"year_from": form.cleaned_data.get("year_from"), "year_to": form.cleaned_data.get("year_to"),
                     "public": "on" if audience.public and request.user.is_authenticated else ""})
    return render(request, "analytics/dashboard.html", {
        "form": form, "audience": audience, "charts": charts, "states": states, "period_query": period,
    })


def chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in TABLE_NAMES or fmt not in (*CHART_FORMATS, "csv"):
        raise Http404("no such chart")
    form = DashboardFilterForm(request.GET or QueryDict())
    if not form.is_valid():
        return HttpResponse(json.dumps(form.errors), status=400, content_type="application/json")
    table = tables_for(_audience(request, form), form.filters(), _language())[name]
    if fmt == "csv":
        response = HttpResponse(table.csv(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(render_chart(chart_spec(table), fmt), content_type=CONTENT_TYPES[fmt])  # type: ignore[arg-type]
    # Figures differ by viewer: never shared between users by a cache.
    response["Cache-Control"] = "private, no-store"
    return response


def state(request: HttpRequest, code: str) -> HttpResponse:
    code = _state_or_404(code)
    form = PeriodForm(request.GET or QueryDict())
    if not form.is_valid():
        return render(request, "analytics/state.html", {"form": form, "code": code,
                                                         "state_name": country_label(code, _language())},
                      status=400)
    audience = _audience(request, form)
    year_from, year_to = form.cleaned_data.get("year_from"), form.cleaned_data.get("year_to")
    briefing = build_briefing(code, audience, year_from, year_to, _language())
    chart_query = _query({"states": code, "year_from": year_from, "year_to": year_to,
                          "public": "on" if audience.public and request.user.is_authenticated else ""})
    period_query = _query({"year_from": year_from, "year_to": year_to,
                           "public": "on" if audience.public and request.user.is_authenticated else ""})
    agreements = visible_to(Agreement.objects.filter(state=code), audience.viewer)
    return render(request, "analytics/state.html", {
        "form": form, "code": code, "state_name": briefing.state_name, "briefing": briefing,
        "audience": audience, "agreements": agreements,
        "charts": [(briefing.tables[name], f"{reverse('analytics:chart', args=[name, 'svg'])}?{chart_query}",
                    f"{reverse('analytics:chart', args=[name, 'csv'])}?{chart_query}")
                   for name in BRIEFING_CHARTS],
        "period_query": period_query,
        "can_edit": request.user.is_authenticated and request.user.can_edit,
    })


def briefing_download(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    code = _state_or_404(code)
    if fmt not in BRIEFING_FORMATS:
        raise Http404("no such briefing format")
    form = PeriodForm(request.GET or QueryDict())
    if not form.is_valid():
        return HttpResponse(json.dumps(form.errors), status=400, content_type="application/json")
    audience = _audience(request, form)
    language = _language()
    briefing = build_briefing(code, audience, form.cleaned_data.get("year_from"),
                              form.cleaned_data.get("year_to"), language)
    if fmt == "json":
        response = HttpResponse(json.dumps(briefing.as_json(), ensure_ascii=False, indent=2),
                                content_type="application/json")
    elif fmt == "html":
        response = HttpResponse(render_html(briefing, language), content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = html_policy()
    else:
        # laid out by a worker the first time; the stored file while the briefing is unchanged (shelter.jobs.documents)
        name = f"briefing-{code}-{'public' if audience.public else 'restricted'}.pdf"
        params = briefing_params(code, audience.public, briefing.filters.year_from, briefing.filters.year_to,
                                 language, name)
        return stored_or_job(request, BRIEFING_PDF, render_html(briefing, language), params,
                             _("Briefing on %(state)s (PDF)") % {"state": briefing.state_name})
    version = "public" if audience.public else "restricted"
    return _briefing_file(response, f"briefing-{code}-{version}.{fmt}")


def _briefing_file(response: HttpResponse, name: str) -> HttpResponse:
    # HTML and PDF open in the browser (Shelter's own rendering, every value escaped); JSON is saved.
    disposition = "attachment" if name.endswith(".json") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _editor(request: HttpRequest) -> User:
    return require_editor(request.user)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    initial = {"state": request.GET.get("state", "")}
    form = AgreementForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        agreement = save_form(form, user)
        flash.success(request, gettext_noop("Agreement saved."))
        return redirect(agreement.get_absolute_url())
    return render(request, "analytics/agreement_form.html", {"form": form, "agreement": None})


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    agreement = get_visible_or_404(Agreement.objects.all(), user, pk=pk)
    form = AgreementForm(request.POST or None, instance=agreement, user=user)
    if request.method == "POST" and form.is_valid():
        save_form(form, user)
        flash.success(request, gettext_noop("Agreement saved."))
        return redirect(agreement.get_absolute_url())
    return render(request, "analytics/agreement_form.html", {"form": form, "agreement": agreement})
