"""Pages for incidents and sources, and the download of archived evidence files."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET

from shelter import flash
from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.incidents.evidence import INLINE_SAFE_TYPES, download
from shelter.incidents.forms import IncidentRecording, SourceForm
from shelter.incidents.models import (
    Citation,
    Incident,
    IncidentPerpetrator,
    IncidentTarget,
    Reliability,
    Source,
    SourceKind,
    Verification,
)
from shelter.incidents.templatetags.incident_tags import tactic_label
from shelter.web.country_names import localised_country_name
from shelter.web.editing import form_page, record_to_edit
from shelter.web.facets import CONFIDENTIALITY_FACET, FacetSpec, choice_label
from shelter.web.history import history_panel
from shelter.web.listing import build_listing, listing_context
from shelter.web.permissions import editor_required
from shelter.web.sections import sections_for

INCIDENT_FACETS = (
    FacetSpec("tactic", "tactic", gettext_lazy("Tactic"), tactic_label),
    FacetSpec("origin_state", "origin_state", gettext_lazy("Origin state"), localised_country_name),
    FacetSpec("host_country", "host_country", gettext_lazy("Host country"), localised_country_name),
    FacetSpec("year", "year", gettext_lazy("Year"), accepts=str.isdigit),
    FacetSpec("verification", "verification", gettext_lazy("Verification"), choice_label(Verification)),
    CONFIDENTIALITY_FACET,
)
SOURCE_FACETS = (
    FacetSpec("kind", "kind", gettext_lazy("Kind"), choice_label(SourceKind)),
    FacetSpec("reliability", "reliability", gettext_lazy("Reliability"), choice_label(Reliability)),
    CONFIDENTIALITY_FACET,
)


@require_GET
def incidents(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Incident.objects.all(), INCIDENT_FACETS)
    return render(request, "incidents/incidents.html", listing_context(listing))


@require_GET
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = get_visible_or_404(Incident.objects.all(), user, pk=pk)
    log_access(user, record, "viewed")
    context = {
        "incident": record,
        "tactic": record.tactic_obj,
        "targets": visible_to(IncidentTarget.objects.filter(incident=record), user)
        .select_related("person"),
        "perpetrators": visible_to(IncidentPerpetrator.objects.filter(incident=record), user)
        .select_related("person", "organisation"),
        "citations": visible_to(Citation.objects.filter(incident=record), user)
        .select_related("source"),
        **sections_for("incident", record, user),
        "history": history_panel(record, request.user),
        "kind": "incident",
    }
    return render(request, "incidents/incident.html", context)


@editor_required
def incident_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    instance = record_to_edit(request, Incident, pk) if pk else None
    recording = IncidentRecording(user, request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST":
        if recording.is_valid():
            saved = recording.save()
            flash.success(request, gettext_noop("Saved “%(name)s”."), name=saved)
            return redirect(saved)
        flash.error(request, gettext_noop("Nothing was saved: please correct the errors below."))
    return render(request, "incidents/incident_form.html", {"recording": recording, "incident": instance})


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Source.objects.all(), SOURCE_FACETS)
    return render(request, "incidents/sources.html", listing_context(listing))


@require_GET
def source(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = get_visible_or_404(Source.objects.all(), user, pk=pk)
    log_access(user, record, "viewed")
    citations = visible_to(Citation.objects.filter(source=record), user).select_related(
        "incident", "person", "organisation", "relationship")
    return render(request, "incidents/source.html", {
        "source": record, "citations": citations, "history": history_panel(record, request.user), "kind": "source",
        "inline_safe": record.file_type in INLINE_SAFE_TYPES,
    })


@editor_required
def source_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Source, pk)
    form = SourceForm(request.POST or None, request.FILES or None, instance=record,
                      user=request.user)
    return form_page(request, form, "incidents/source_form.html", {"source": record})


@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The archived file of a source the user may see; any other source, or one without a file, answers 404."""
    record = get_visible_or_404(Source.objects.all(), request.user, pk=pk)
    response = download(record)
    log_access(request.user, record, "downloaded")
    return response
