"""Pages: vendors, products, deployments and licence decisions (lists with facets, record pages, forms), the
incident link and the licence assessment."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from shelter import flash
from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404
from shelter.access.writes import describe
from shelter.intake import InputRefused
from shelter.surveillance import queries, rows
from shelter.surveillance.assessment import AssessmentRequest, assess_records, memo_for, memo_pdf
from shelter.surveillance.forms import DeploymentForm, ImportForm, LicenceForm, ProductForm, VendorForm
from shelter.surveillance.importing import (
    export_ftm,
    export_json,
    exported,
    import_batch,
    read_upload,
)
from shelter.surveillance.jobs import start_import
from shelter.surveillance.models import Decision, Deployment, DeploymentKind, LicenceDecision, Product, Vendor
from shelter.surveillance.services import link_incident
from shelter.web.country_names import localised_country_name
from shelter.web.editing import form_page, record_to_edit
from shelter.web.facets import CONFIDENTIALITY_FACET, FacetSpec, choice_label
from shelter.web.history import history_panel
from shelter.web.listing import build_listing, listing_context
from shelter.web.permissions import editor_required

VENDOR_FACETS = (
    FacetSpec("country", "country", gettext_lazy("Country"), localised_country_name),
    CONFIDENTIALITY_FACET,
)
PRODUCT_FACETS = (
    FacetSpec("vendor", "vendor__name", gettext_lazy("Vendor")),
    FacetSpec("family", "family", gettext_lazy("Spyware family")),
    CONFIDENTIALITY_FACET,
)
DEPLOYMENT_FACETS = (
    FacetSpec("kind", "kind", gettext_lazy("Kind"), choice_label(DeploymentKind)),
    FacetSpec("customer_state", "customer_state", gettext_lazy("Customer state"), localised_country_name),
    FacetSpec("vendor", "product__vendor__name", gettext_lazy("Vendor")),
    CONFIDENTIALITY_FACET,
)
LICENCE_FACETS = (
    FacetSpec("decision", "decision", gettext_lazy("Decision"), choice_label(Decision)),
    FacetSpec("exporting_state", "exporting_state", gettext_lazy("Exporting state"), localised_country_name),
    FacetSpec("destination", "destination", gettext_lazy("Destination"), localised_country_name),
    CONFIDENTIALITY_FACET,
)


@require_GET
def vendors(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Vendor.objects.all(), VENDOR_FACETS)
    return render(request, "surveillance/vendors.html", listing_context(listing))


@require_GET
def products(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Product.objects.select_related("vendor"), PRODUCT_FACETS)
    return render(request, "surveillance/products.html", listing_context(listing))


@require_GET
def deployments(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Deployment.objects.select_related("product", "product__vendor", "agency"),
                            DEPLOYMENT_FACETS)
    return render(request, "surveillance/deployments.html", listing_context(listing))


@require_GET
def licences(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, LicenceDecision.objects.select_related("product", "exporter", "end_user"),
                            LICENCE_FACETS)
    return render(request, "surveillance/licences.html", listing_context(listing))


@require_GET
def vendor(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(Vendor.objects.all(), request.user, pk=pk)
    log_access(request.user, record, "viewed")
    return render(request, "surveillance/vendor.html", {
        "vendor": record, **queries.vendor_profile(record, request.user),
        "history": history_panel(record, request.user), "kind": "vendor"})


@require_GET
def product(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(Product.objects.select_related("vendor"), request.user, pk=pk)
    log_access(request.user, record, "viewed")
    return render(request, "surveillance/product.html", {
        "product": record, **queries.product_profile(record, request.user),
        "history": history_panel(record, request.user), "kind": "product"})


@require_GET
def deployment(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(Deployment.objects.select_related("product", "product__vendor", "agency"),
                                request.user, pk=pk)
    log_access(request.user, record, "viewed")
    customer = queries.customers(request.user, Deployment.objects.filter(pk=record.pk))
    return render(request, "surveillance/deployment.html", {
        "deployment": record, "customer": customer[0] if customer else None,
        "citations": queries.citations(request.user, deployment=record),
        "history": history_panel(record, request.user), "kind": "deployment"})


@require_GET
def licence(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(LicenceDecision.objects.select_related("product", "exporter", "end_user"),
                                request.user, pk=pk)
    log_access(request.user, record, "viewed")
    return render(request, "surveillance/licence.html", {
        "licence": record, "citations": queries.citations(request.user, licence=record),
        "history": history_panel(record, request.user), "kind": "licence"})


@editor_required
def vendor_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Vendor, pk)
    form = VendorForm(request.POST or None, instance=record, user=request.user)
    return form_page(request, form, "surveillance/form.html", {"record": record, "title": _("vendor")})


@editor_required
def product_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Product, pk)
    initial = {"vendor": request.GET["vendor"]} if not pk and request.GET.get("vendor", "").isdigit() else {}
    form = ProductForm(request.POST or None, instance=record, user=request.user, initial=initial)
    return form_page(request, form, "surveillance/form.html", {"record": record, "title": _("product")})


@editor_required
def deployment_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Deployment, pk)
    initial = {"product": request.GET["product"]} if not pk and request.GET.get("product", "").isdigit() else {}
    form = DeploymentForm(request.POST or None, instance=record, user=request.user, initial=initial)
    return form_page(request, form, "surveillance/form.html", {"record": record, "title": _("deployment or transfer")})


@editor_required
def licence_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, LicenceDecision, pk)
    form = LicenceForm(request.POST or None, instance=record, user=request.user)
    return form_page(request, form, "surveillance/form.html", {"record": record, "title": _("licence decision")})


@editor_required
@require_POST
def product_incident(request: HttpRequest, pk: int) -> HttpResponse:
    """Name this product in an incident (the incident's id, as shown on its page)."""
    record = get_visible_or_404(Product.objects.all(), request.user, pk=pk)
    try:
        link_incident(request.user, request.POST.get("incident", ""), record.pk,  # type: ignore[arg-type]
                      request.POST.get("note", "")[:500])
    except ValidationError as error:
        messages.error(request, describe(error))
    else:
        flash.success(request, gettext_noop("The incident now names this product."))
    return redirect(record)


@editor_required
def import_records(request: HttpRequest) -> HttpResponse:
    """Import a file of surveillance records, all rows or none; a large file is imported by a worker and followed
    on the job's page."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload, values = form.cleaned_data["file"], form.cleaned_data
        name = Path(upload.name or "").name or "upload"
        options = {"dry_run": values["dry_run"], "confidentiality": values["confidentiality"],
                   "teams": [team.name for team in values["teams"]] or None}
        try:
            data = b"".join(upload.chunks())
            if len(data) > int(settings.SHELTER_BACKGROUND_IMPORT_BYTES):
                job = start_import(request.user, data, fmt=values["format"],  # type: ignore[arg-type]
                                   kind=values["kind"] or None, name=name, **options)
                return redirect("jobs:detail", pk=job.pk)
            batch = read_upload(data, values["format"], values["kind"] or None, name)
        except InputRefused as error:
            form.add_error("file", str(error))
        else:
            result = import_batch(batch, request.user, source=name, **options)  # type: ignore[arg-type]
            if result.ok:
                messages.success(request, result.summary())
                return redirect("surveillance:import")
            form.add_error("file", result.refusal_line())
    return render(request, "surveillance/import.html", {"form": form})


EXPORT_TYPES = {"json": "application/json", "csv": "text/csv", "ftm": "application/x-ndjson"}


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Download what the viewer may see: JSON (every kind), CSV (one kind) or FollowTheMoney entities."""
    fmt = request.GET.get("format", "json")
    kind = request.GET.get("kind", "")
    if fmt not in EXPORT_TYPES or (fmt == "csv" and kind not in rows.KINDS):
        return HttpResponse(_("Choose format json, ftm, or csv with kind vendors, products, deployments or "
                              "licences."), status=400, content_type="text/plain; charset=utf-8")
    viewer = request.user
    if fmt == "json":
        body = export_json(viewer)
    elif fmt == "ftm":
        body = "".join(export_ftm(viewer))
    else:
        body = "".join(rows.write_csv(kind, exported(viewer)[kind]))
    name = f"surveillance-{kind}.csv" if fmt == "csv" else f"surveillance.{'jsonl' if fmt == 'ftm' else 'json'}"
    response = HttpResponse(body, content_type=f"{EXPORT_TYPES[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def assess(request: HttpRequest) -> HttpResponse:
    """The licence assessment from the records the viewer may see: present, absent or unknown per indicator."""
    params = request.GET
    data = None
    error = ""
    if params.get("product") or params.get("destination"):
        try:
            data = assess_records(AssessmentRequest.from_mapping(params), request.user)
        except ValidationError as problem:
            error = describe(problem)
    if data is not None and params.get("format") == "memo":
        return HttpResponse(memo_for(data), content_type="text/html; charset=utf-8")
    if data is not None and params.get("format") == "pdf":
        response = HttpResponse(memo_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="licence-assessment-{data["destination"]}.pdf"'
        return response
    return render(request, "surveillance/assess.html", {"data": data, "error": error, "params": params},
                  status=400 if error else 200)
