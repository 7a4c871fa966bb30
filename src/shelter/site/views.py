"""Dashboard, search across record kinds, autocomplete, and the record actions shared by all kinds
(delete, revert). Every query here passes through the visibility filter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET

from shelter import flash
from shelter.access.history import revert_to, visible_version
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.access.writes import delete_record
from shelter.analytics.services import Audience, IncidentFilters, figures_for, labels, tables_for
from shelter.analytics.tables import headline
from shelter.incidents.models import Incident, Source
from shelter.monitoring.services import deadlines_due, overdue_plans
from shelter.names import PersonRecord
from shelter.notices.models import Notice
from shelter.registry.matching import similar_people
from shelter.registry.models import Organisation, Person
from shelter.search.index import search, search_with_links
from shelter.site.records import RECORD_KINDS, url_of
from shelter.surveillance.models import Product, Vendor
from shelter.web.permissions import curator_required

LIST_URLS = {
    "incident": "incidents:list",
    "person": "registry:people",
    "organisation": "registry:organisations",
    "source": "incidents:sources",
    "vendor": "surveillance:vendors",
    "product": "surveillance:products",
    "deployment": "surveillance:deployments",
    "licence": "surveillance:licences",
}


PUBLIC_ORIGINS_SHOWN = 8
PUBLIC_LATEST_SHOWN = 8


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the dashboard. Anonymous: what Shelter is, the public figures (small counts withheld, as in
    every public output) and the latest published incidents."""
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    audience, everything = Audience(None, public=True), IncidentFilters()
    figures, language = figures_for(audience, everything), (get_language() or "en")[:2]
    # The public tables and headline of the statistics pages: small counts merged into "other", none below 3,
    # a total below 3 said in words.
    tables = tables_for(audience, everything, language)
    context = {
        "total": headline(figures, labels(language), True)["incidents_total"],
        "by_category": tables["by_category"],
        "by_origin": tables["by_origin"].rows[:PUBLIC_ORIGINS_SHOWN],
        "latest": visible_to(Incident.objects.all(), request.user)
        .order_by("-date_from", "-pk")[:PUBLIC_LATEST_SHOWN],
    }
    return render(request, "web/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts of what the user may see, and the incidents by tactic, origin state and year: the figures of the
    analytics pages (``analytics.services.figures_for``), for this user."""
    figures = figures_for(Audience(request.user), IncidentFilters())
    by_tactic, by_origin, by_year = figures.by_tactic[:12], figures.by_origin[:10], figures.by_year
    incidents = visible_to(Incident.objects.all(), request.user)
    context = {
        "counts": {
            "incidents": figures.total,
            "people": visible_to(Person.objects.all(), request.user).count(),
            "organisations": visible_to(Organisation.objects.all(), request.user).count(),
            "sources": visible_to(Source.objects.all(), request.user).count(),
        },
        "recent": incidents.order_by("-created", "-pk")[:10],
        "deadlines_due": len(deadlines_due(request.user, timezone.localdate())),
        "check_ins_overdue": len(overdue_plans(request.user, timezone.localdate())),
        "by_tactic": by_tactic,
        "by_origin": by_origin,
        "by_year": by_year,
        "tactic_max": max((row.count for row in by_tactic), default=0),
        "origin_max": max((row.count for row in by_origin), default=0),
        "year_max": max((row.count for row in by_year), default=0),
    }
    return render(request, "web/dashboard.html", context)


SEARCH_SECTIONS = (
    ("incident", Incident, "incidents:list"),
    ("person", Person, "registry:people"),
    ("organisation", Organisation, "registry:organisations"),
    ("source", Source, "incidents:sources"),
    ("notice", Notice, "notices:list"),
    ("vendor", Vendor, "surveillance:vendors"),
    ("product", Product, "surveillance:products"),
)
# Sections whose heading the page's own template does not word (the app's catalogue does).
SEARCH_TITLES = {"vendor": gettext_lazy("Surveillance vendors"), "product": gettext_lazy("Surveillance products")}


@require_GET
def search_all(request: HttpRequest) -> HttpResponse:
    """One search across incidents, people (every name form, every script), organisations and sources."""
    query = request.GET.get("q", "").strip()[:200]
    sections = []
    if query:
        for kind, model, list_url in SEARCH_SECTIONS:
            found = search_with_links(visible_to(model._default_manager.all(), request.user), query, request.user)
            if kind == "person":
                found = found.prefetch_related("names")
            sections.append({"kind": kind, "count": found.count(), "items": list(found[:10]),
                             "list_url": reverse(list_url), "title": SEARCH_TITLES.get(kind, "")})
    return render(request, "web/search.html", {"query": query, "sections": sections})


AUTOCOMPLETE_MODELS = {"person": Person, "organisation": Organisation, "source": Source, "incident": Incident}


@require_GET
@login_required
def autocomplete(request: HttpRequest, kind: str) -> HttpResponse:
    """Records matching what has been typed so far, for the pickers in the forms (htmx)."""
    model = AUTOCOMPLETE_MODELS.get(kind)
    if model is None:
        raise Http404
    # A picker sends what was typed as ``q``; a "new name" box sends its own field, named in ``field``.
    typed = request.GET.get("q") or request.GET.get(request.GET.get("field", ""), "")
    query = typed.strip()[:200]
    target = request.GET.get("target", "")
    items = []
    suggestions = []
    if len(query) >= 2:
        found = search(visible_to(model._default_manager.all(), request.user), query)
        if kind == "person":
            found = found.prefetch_related("names")
            suggestions = similar_people(request.user, PersonRecord((query,)), limit=6)
            already = {s.person.pk for s in suggestions}
            items = [p for p in found[:10] if p.pk not in already]
        else:
            items = list(found[:10])
    return render(request, "web/_autocomplete.html", {
        "kind": kind, "query": query, "items": items, "suggestions": suggestions, "target": target,
    })


def _record_or_404(request: HttpRequest, kind: str, pk: int):  # type: ignore[no-untyped-def]
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise Http404
    return get_visible_or_404(model._default_manager.all(), request.user, pk=pk)


@curator_required
def revert(request: HttpRequest, kind: str, pk: int, history_id: int) -> HttpResponse:
    """Ask first (GET), then restore the record to the version (POST), recorded as a new change."""
    record = _record_or_404(request, kind, pk)
    version = visible_version(record, history_id, request.user)
    if version is None:
        raise Http404
    when = version.history_date.strftime("%Y-%m-%d %H:%M")
    if request.method != "POST":
        return render(request, "web/confirm_revert.html", {"record": record, "when": when, "back": url_of(record)})
    revert_to(record, history_id, request.user)
    flash.success(request, gettext_noop("Reverted to the version of %(when)s."), when=when)
    return redirect(url_of(record))


@curator_required
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record_or_404(request, kind, pk)
    if request.method == "POST":
        label = str(record)
        back = url_of(record) if kind == "relationship" else reverse(LIST_URLS[kind])
        delete_record(request.user, record)  # type: ignore[arg-type]
        flash.success(request, gettext_noop("Deleted “%(record)s”. Its history is kept."), record=label)
        return redirect(back)
    return render(request, "web/confirm_delete.html", {"record": record, "kind": kind, "back": url_of(record)})


