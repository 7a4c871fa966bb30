"""What surveillance adds to the pages of incidents and organisations (see ``shelter.web.sections``)."""

from __future__ import annotations

from typing import Any

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Incident
from shelter.registry.models import Organisation
from shelter.surveillance.models import Deployment, IncidentProduct, LicenceDecision


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
    }
