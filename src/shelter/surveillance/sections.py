"""What surveillance adds to the pages of incidents, organisations and threat reports (see ``shelter.web.sections``):
the products an incident names, an agency as customer, the vendor and product behind a spyware family a triage
verdict names."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Incident
from shelter.registry.models import Organisation
from shelter.surveillance.assess import families_in, family_for
from shelter.surveillance.models import Deployment, IncidentProduct, LicenceDecision, Product, Vendor


def incident_sections(incident: Incident, viewer: Viewer) -> dict[str, Any]:
    return {"surveillance_products": visible_to(IncidentProduct.objects.filter(incident=incident), viewer)
            .select_related("product", "product__vendor")}


def organisation_sections(organisation: Organisation, viewer: Viewer) -> dict[str, Any]:
    """An agency as the customer of surveillance products and as the end user of licences."""
    return {
        "surveillance_customer_of": visible_to(Deployment.objects.filter(agency=organisation), viewer)
        .select_related("product", "product__vendor"),
        "surveillance_end_user_of": visible_to(LicenceDecision.objects.filter(end_user=organisation), viewer)
        .select_related("product"),
        "surveillance_vendor_records": visible_to(Vendor.objects.filter(organisation=organisation), viewer),
    }


def spyware_named(report: dict[str, Any]) -> list[str]:
    """The spyware family names a stored triage result gives (a value's verdict or a message's)."""
    verdict = report.get("verdict") if isinstance(report.get("verdict"), dict) else report
    names = verdict.get("spyware") if isinstance(verdict, dict) else None
    return [str(name) for name in names] if isinstance(names, list) else []


def families_to_records(names: list[str], viewer: Viewer) -> list[dict[str, Any]]:
    """Each spyware family a feed or verdict names, with the project's map (family → product → vendor) and the
    product records the viewer may see for it."""
    found = []
    for name in names:
        mapped = family_for(name) or next(iter(families_in(name)), None)
        keys = {name, *(mapped.names if mapped else ())}
        condition = Q()
        for key in keys:
            condition |= Q(family__iexact=key) | Q(name__iexact=key)
        products = visible_to(Product.objects.filter(condition), viewer).select_related("vendor")
        found.append({"name": name, "family": mapped, "products": list(products)})
    return found


def threat_report_sections(report: Any, viewer: Viewer) -> dict[str, Any]:
    return {"surveillance_families": families_to_records(spyware_named(report.report or {}), viewer)}
