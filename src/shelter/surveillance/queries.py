"""What a viewer may read of the surveillance records, in the shapes pages, API, CLI and briefings share.

Every queryset here goes through the visibility filter for the viewer given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Incident, IncidentPerpetrator
from shelter.registry.models import Organisation
from shelter.surveillance.models import (
    Deployment,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)


@dataclass(frozen=True)
class Customer:
    """A deployment, with the incidents its agency perpetrated (as far as the viewer may see them)."""

    deployment: Deployment
    perpetrated: tuple[Incident, ...]

    @property
    def also_perpetrator(self) -> bool:
        return bool(self.perpetrated)


def deployments(viewer: Viewer) -> QuerySet[Deployment]:
    return visible_to(Deployment.objects.all(), viewer).select_related("product", "product__vendor", "agency")


def licences(viewer: Viewer) -> QuerySet[LicenceDecision]:
    return visible_to(LicenceDecision.objects.all(), viewer).select_related("product", "exporter", "end_user")


def perpetrations(viewer: Viewer, agency_ids: set[int]) -> dict[int, list[Incident]]:
    """Incidents each agency is named perpetrator in, through perpetrator links and incidents the viewer sees."""
    found: dict[int, list[Incident]] = defaultdict(list)
    if not agency_ids:
        return found
    links = visible_to(IncidentPerpetrator.objects.filter(organisation_id__in=agency_ids), viewer) \
        .select_related("incident").order_by("-incident__date_from")
    for link in links:
        found[link.organisation_id].append(link.incident)
    return found


def customers(viewer: Viewer, rows: QuerySet[Deployment]) -> list[Customer]:
    rows = visible_to(rows, viewer).select_related("product", "product__vendor", "agency")
    listed = list(rows)
    # an agency is named only when the viewer may see it (a hidden agency hides the deployment altogether)
    by_agency = perpetrations(viewer, {d.agency_id for d in listed if d.agency_id})
    return [Customer(d, tuple(by_agency.get(d.agency_id or 0, ()))) for d in listed]


def incident_links(viewer: Viewer, products: QuerySet[Product]) -> QuerySet[IncidentProduct]:
    return visible_to(IncidentProduct.objects.filter(product__in=products), viewer) \
        .select_related("incident", "product").order_by("-incident__date_from")


def citations(viewer: Viewer, **owner: Any) -> QuerySet[SurveillanceCitation]:
    return visible_to(SurveillanceCitation.objects.filter(**owner), viewer).select_related("source")


def vendor_profile(vendor: Vendor, viewer: Viewer) -> dict[str, Any]:
    """The vendor page and briefing: products, customers (agencies also perpetrators marked), incidents linked to
    its products, licence decisions about it or its products, and sources."""
    products = visible_to(Product.objects.filter(vendor=vendor), viewer)
    return {
        "products": products,
        "subsidiaries": visible_to(Vendor.objects.filter(parent=vendor), viewer),
        "parent": visible_to(Vendor.objects.filter(pk=vendor.parent_id), viewer).first() if vendor.parent_id
        else None,
        "organisation": visible_to(Organisation.objects.filter(pk=vendor.organisation_id), viewer).first()
        if vendor.organisation_id else None,
        "customers": customers(viewer, Deployment.objects.filter(product__vendor=vendor)),
        "incident_links": incident_links(viewer, products),
        "licences": licences(viewer).filter(Q(exporter=vendor) | Q(product__vendor=vendor)),
        "citations": citations(viewer, vendor=vendor),
    }


def product_profile(product: Product, viewer: Viewer) -> dict[str, Any]:
    return {
        "customers": customers(viewer, Deployment.objects.filter(product=product)),
        "incident_links": incident_links(viewer, Product.objects.filter(pk=product.pk)),
        "licences": licences(viewer).filter(product=product),
        "citations": citations(viewer, product=product),
    }


def suppliers_of(state: str, viewer: Viewer) -> list[dict[str, Any]]:
    """Who supplies ``state``: each vendor with its products, the kinds of deployment and the agencies on record,
    and licence decisions for the state. For the briefing section and ``shelter surveillance suppliers``."""
    rows = customers(viewer, Deployment.objects.filter(customer_state=state))
    by_vendor: dict[int, dict[str, Any]] = {}
    for customer in rows:
        d = customer.deployment
        vendor = d.product.vendor
        entry = by_vendor.setdefault(vendor.pk, {"vendor": vendor.name, "vendor_id": vendor.pk, "deployments": []})
        entry["deployments"].append({
            "id": d.pk, "product": d.product.name, "product_id": d.product_id, "kind": d.kind, "date": d.date,
            "agency": d.agency_label, "also_perpetrator": customer.also_perpetrator,
            "incidents": [i.pk for i in customer.perpetrated],
        })
    return sorted(by_vendor.values(), key=lambda e: e["vendor"].casefold())
