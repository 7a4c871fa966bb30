"""What incidents add to the pages of people and organisations (see ``shelter.web.sections``)."""

from __future__ import annotations

from typing import Any

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Citation, IncidentPerpetrator, IncidentTarget
from shelter.registry.models import Organisation, Person


def person_sections(person: Person, viewer: Viewer) -> dict[str, Any]:
    return {
        "targeted_in": visible_to(IncidentTarget.objects.filter(person=person), viewer)
        .select_related("incident").order_by("-incident__date_from"),
        "perpetrated": visible_to(IncidentPerpetrator.objects.filter(person=person), viewer)
        .select_related("incident"),
        "citations": visible_to(Citation.objects.filter(person=person), viewer).select_related("source"),
    }


def organisation_sections(organisation: Organisation, viewer: Viewer) -> dict[str, Any]:
    return {
        "perpetrated": visible_to(IncidentPerpetrator.objects.filter(organisation=organisation), viewer)
        .select_related("incident").order_by("-incident__date_from"),
        "citations": visible_to(Citation.objects.filter(organisation=organisation), viewer).select_related("source"),
    }
