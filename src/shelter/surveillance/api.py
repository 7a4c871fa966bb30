"""API under /api/v1/surveillance/: vendors, products, deployments and transfers, licence decisions, the licence
assessment and who supplies a state. Anonymous callers read published public records only; every read goes
through the visibility filter and every write through ``access.writes`` (see ``services``).

(No ``from __future__ import annotations``: django-ninja reads the endpoint annotations at definition time.)
"""

from typing import Annotated, Any

from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from shelter.access.visibility import Viewer, get_visible_or_404, visible_to
from shelter.access.writes import require_editor
from shelter.api import records
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS
from shelter.api.listing import (
    MAX_ID,
    FullText,
    LevelFilter,
    Limit,
    Offset,
    RecordIdFilter,
    choice,
    choice_filter,
    country_filter,
    level_filter,
    page,
)
from shelter.api.records import add_record_endpoints
from shelter.api.toolkit import (
    CitationIn,
    CitationOut,
    Page,
    Restriction,
    StrictInput,
    choice_field,
    for_creating,
)
from shelter.surveillance import queries, services
from shelter.surveillance.assessment import AssessmentRequest, assess_records, memo_for, memo_pdf
from shelter.surveillance.models import (
    Decision,
    Deployment,
    DeploymentKind,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)
from shelter.surveillance.taxonomy import capability_codes

router = Router(tags=["surveillance"])
vendors = Router(tags=["surveillance"])
products = Router(tags=["surveillance"])
deployments = Router(tags=["surveillance"])
licences = Router(tags=["surveillance"])


class VendorIn(Restriction):
    name: str | None = None
    aliases: list[str] | None = None
    brands: list[str] | None = None
    country: str | None = None
    parent: int | None = Field(None, description="the parent company's vendor id")
    organisation: int | None = Field(None, description="the registry organisation's id")
    description: str | None = None
    citations: list[CitationIn] | None = None


class VendorOut(Schema):
    id: int
    name: str
    aliases: list[str]
    brands: list[str]
    country: str
    parent: int | None
    organisation: int | None
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class ProductIn(Restriction):
    vendor: int | None = None
    name: str | None = None
    aliases: list[str] | None = None
    family: str | None = None
    capabilities: list[str] | None = Field(None, description=f"codes: {', '.join(capability_codes())}")
    control_entries: list[str] | None = Field(None, description="e.g. 4.A.5, 5.A.1.j, 4A005")
    no_control_entry: bool | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class ProductOut(Schema):
    id: int
    vendor: int
    name: str
    aliases: list[str]
    family: str
    capabilities: list[str]
    control_entries: list[str]
    no_control_entry: bool
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class DeploymentIn(Restriction):
    product: int | None = None
    kind: str | None = choice_field(DeploymentKind.values)
    customer_state: str | None = None
    agency: int | None = Field(None, description="the registry organisation's id")
    agency_name: str | None = None
    date: str | None = None
    end_date: str | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class DeploymentOut(Schema):
    id: int
    product: int
    kind: str
    customer_state: str
    agency: int | None
    agency_name: str
    date: str
    end_date: str
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


class LicenceIn(Restriction):
    exporting_state: str | None = None
    exporter: int | None = Field(None, description="the vendor id of the exporter")
    exporter_name: str | None = None
    product: int | None = None
    control_entry: str | None = None
    destination: str | None = None
    end_user: int | None = Field(None, description="the registry organisation's id")
    end_user_name: str | None = None
    decision: str | None = choice_field(Decision.values)
    date: str | None = None
    description: str | None = None
    citations: list[CitationIn] | None = None


class LicenceOut(Schema):
    id: int
    exporting_state: str
    exporter: int | None
    exporter_name: str
    product: int | None
    control_entry: str
    destination: str
    end_user: int | None
    end_user_name: str
    decision: str
    date: str
    description: str
    published: bool
    confidentiality: str
    teams: list[str] | None = None
    citations: list[CitationOut]


VendorCreate = for_creating(VendorIn, "name", prefix="Surveillance")
ProductCreate = for_creating(ProductIn, "vendor", "name", prefix="Surveillance")
DeploymentCreate = for_creating(DeploymentIn, "product", "kind", "customer_state", prefix="Surveillance")
LicenceCreate = for_creating(LicenceIn, "exporting_state", "destination", "decision", prefix="Surveillance")

LINKS = ("parent", "organisation", "vendor", "product", "agency", "exporter", "end_user")
FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Vendor: ("name", "aliases", "brands", "country", "parent", "organisation", "description"),
    Product: ("vendor", "name", "aliases", "family", "capabilities", "control_entries", "no_control_entry",
              "description"),
    Deployment: ("product", "kind", "customer_state", "agency", "agency_name", "date", "end_date", "description"),
    LicenceDecision: ("exporting_state", "exporter", "exporter_name", "product", "control_entry", "destination",
                      "end_user", "end_user_name", "decision", "date", "description"),
}


def _signed_in(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def queryset_for(model: type[models.Model]) -> records.QuerysetFor:
    def build(viewer: Viewer) -> models.QuerySet[Any]:
        citations = Prefetch("citations", queryset=visible_to(SurveillanceCitation.objects.order_by("pk"), viewer))
        return visible_to(model._default_manager.all(), viewer).prefetch_related(
            citations, *(("teams",) if _signed_in(viewer) else ()))
    return build


def record_of(record: Any, viewer: Viewer) -> dict[str, Any]:
    """A record as the API and the JSON export give it; a link is the linked record's id."""
    values = {field: getattr(record, f"{field}_id" if field in LINKS else field) for field in FIELDS[type(record)]}
    data = {"id": record.pk, **values, "confidentiality": record.confidentiality, "published": record.published,
            "citations": [{"source": c.source_id, "locator": c.locator} for c in record.citations.all()]}
    if _signed_in(viewer):
        data["teams"] = sorted(team.name for team in record.teams.all())
    return data


KindFilter = Annotated[str | None, choice(DeploymentKind.values)]
DecisionFilter = Annotated[str | None, choice(Decision.values)]


@vendors.get("", response=Page[VendorOut], auth=TOKEN_OR_ANONYMOUS)
def list_vendors(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                 country: str | None = None, confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = queryset_for(Vendor)(viewer)
    if country:
        queryset = queryset.filter(country=country_filter(country, "country"))
    return page(level_filter(queryset, confidentiality), q, limit, offset, record_of, viewer)


@products.get("", response=Page[ProductOut], auth=TOKEN_OR_ANONYMOUS)
def list_products(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                  vendor: int | None = RecordIdFilter,
                  family: str | None = None, confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = queryset_for(Product)(viewer)
    if vendor is not None:
        queryset = queryset.filter(vendor=vendor)
    if family:
        queryset = queryset.filter(family__iexact=family)
    return page(level_filter(queryset, confidentiality), q, limit, offset, record_of, viewer)


@deployments.get("", response=Page[DeploymentOut], auth=TOKEN_OR_ANONYMOUS)
def list_deployments(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                     kind: KindFilter = None, customer_state: str | None = None, product: int | None = RecordIdFilter,
                     confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = queryset_for(Deployment)(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", DeploymentKind.values))
    if customer_state:
        queryset = queryset.filter(customer_state=country_filter(customer_state, "customer_state"))
    if product is not None:
        queryset = queryset.filter(product=product)
    return page(level_filter(queryset, confidentiality), q, limit, offset, record_of, viewer)


@licences.get("", response=Page[LicenceOut], auth=TOKEN_OR_ANONYMOUS)
def list_licences(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                  decision: DecisionFilter = None, destination: str | None = None,
                  exporting_state: str | None = None, confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = queryset_for(LicenceDecision)(viewer)
    if decision:
        queryset = queryset.filter(decision=choice_filter(decision, "decision", Decision.values))
    if destination:
        queryset = queryset.filter(destination=country_filter(destination, "destination"))
    if exporting_state:
        queryset = queryset.filter(exporting_state=country_filter(exporting_state, "exporting_state"))
    return page(level_filter(queryset, confidentiality), q, limit, offset, record_of, viewer)


class AssessIn(Schema):
    product: str
    destination: str
    end_user: str = ""
    assessing_state: str = ""


@router.post("/assess", response=dict[str, Any], auth=TOKEN_OR_ANONYMOUS,
             summary="Assess a licence: indicators EX-01... present, absent or unknown, with evidence and sources")
def assess(request: HttpRequest, payload: AssessIn) -> dict[str, Any]:
    """From the records the caller may see; unknown where the record is silent, never absent."""
    return assess_records(AssessmentRequest.from_mapping(payload.dict()), records.caller(request))


@router.post("/assess/memo.html", auth=TOKEN_OR_ANONYMOUS, response={200: None},
             summary="The licence assessment as an HTML memo (record text escaped)")
def assess_memo(request: HttpRequest, payload: AssessIn) -> HttpResponse:
    data = assess_records(AssessmentRequest.from_mapping(payload.dict()), records.caller(request))
    return HttpResponse(memo_for(data), content_type="text/html; charset=utf-8")


@router.post("/assess/memo.pdf", auth=TOKEN_OR_ANONYMOUS, response={200: None},
             summary="The licence assessment as a PDF memo")
def assess_memo_pdf(request: HttpRequest, payload: AssessIn) -> HttpResponse:
    data = assess_records(AssessmentRequest.from_mapping(payload.dict()), records.caller(request))
    response = HttpResponse(memo_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-assessment-{data["destination"]}.pdf"'
    return response


@router.get("/suppliers/{state}", response=list[dict[str, Any]], auth=TOKEN_OR_ANONYMOUS,
            summary="Who supplies a state: vendors, products, kinds of deployment and agencies on record")
def suppliers(request: HttpRequest, state: str) -> list[dict[str, Any]]:
    return queries.suppliers_of(country_filter(state, "state"), records.caller(request))


class IncidentLinkIn(StrictInput):
    incident: int = Field(ge=1, le=MAX_ID)
    note: str = ""


class IncidentLinkOut(Schema):
    incident: int
    product: int
    note: str


def _visible_product(request: HttpRequest, record_id: int) -> Product:
    viewer = records.caller(request)
    return get_visible_or_404(Product.objects.all(), viewer, pk=record_id)


@products.get("/{record_id}/incidents", response=list[IncidentLinkOut], auth=TOKEN_OR_ANONYMOUS,
              summary="The incidents that name a product")
def product_incidents(request: HttpRequest, record_id: int) -> list[dict[str, Any]]:
    product = _visible_product(request, record_id)
    links = visible_to(IncidentProduct.objects.filter(product=product), records.caller(request))
    return [{"incident": link.incident_id, "product": link.product_id, "note": link.note} for link in links]


@products.post("/{record_id}/incidents", response={201: IncidentLinkOut}, auth=TOKEN,
               summary="Name the product in an incident (e.g. a phone found infected with it)")
def name_in_incident(request: HttpRequest, record_id: int, payload: IncidentLinkIn) -> tuple[int, dict[str, Any]]:
    user = require_editor(records.caller(request))
    product = _visible_product(request, record_id)
    link = services.link_incident(user, payload.incident, product.pk, payload.note)
    return 201, {"incident": link.incident_id, "product": link.product_id, "note": link.note}


@products.delete("/{record_id}/incidents/{incident_id}", response={204: None}, auth=TOKEN,
                 summary="Take the product out of an incident")
def unname_in_incident(request: HttpRequest, record_id: int, incident_id: int) -> tuple[int, None]:
    user = require_editor(records.caller(request))
    product = _visible_product(request, record_id)
    services.unlink_incident(user, incident_id, product.pk)
    return 204, None


add_record_endpoints(vendors, "vendor", queryset_for(Vendor), record_of, VendorIn, VendorCreate, VendorOut,
                     services.create_vendor, services.update_vendor, services.set_citations)
add_record_endpoints(products, "product", queryset_for(Product), record_of, ProductIn, ProductCreate, ProductOut,
                     services.create_product, services.update_product, services.set_citations)
add_record_endpoints(deployments, "deployment", queryset_for(Deployment), record_of, DeploymentIn, DeploymentCreate,
                     DeploymentOut, services.create_deployment, services.update_deployment, services.set_citations)
add_record_endpoints(licences, "licence", queryset_for(LicenceDecision), record_of, LicenceIn, LicenceCreate,
                     LicenceOut, services.create_licence, services.update_licence, services.set_citations)

router.add_router("/vendors/", vendors)
router.add_router("/products/", products)
router.add_router("/deployments/", deployments)
router.add_router("/licences/", licences)
