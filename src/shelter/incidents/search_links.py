"""Incidents found by the names of their targets and perpetrators (see ``shelter.search.index.search_with_links``).

Only people, organisations and links the viewer may see count: a hidden target never makes an incident match, so
a search cannot tell that a hidden person is linked to a visible incident.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
from shelter.registry.models import Organisation, Person
from shelter.search.index import search


def incidents_through_people(query: str, viewer: Viewer) -> QuerySet[Any]:
    """Ids of incidents whose visible targets or perpetrators match ``query``."""
    people = search(visible_to(Person.objects.all(), viewer), query).values("pk")
    organisations = search(visible_to(Organisation.objects.all(), viewer), query).values("pk")
    targets = visible_to(IncidentTarget.objects.filter(person__in=people), viewer).values("incident_id")
    perpetrators = visible_to(
        IncidentPerpetrator.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)), viewer,
    ).values("incident_id")
    return Incident.objects.filter(Q(pk__in=targets) | Q(pk__in=perpetrators)).values("pk")
