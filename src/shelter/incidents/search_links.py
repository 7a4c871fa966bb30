"""Incidents found by the names of their targets and perpetrators (see ``shelter.search.index.search_with_links``).

Only people, organisations and links the viewer may see count: a hidden target never makes an incident match, so
a search cannot tell that a hidden person is linked to a visible incident.

Each step reads a list of ids and hands it to the next as one parameter (``shelter.search.index.id_list``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import IncidentPerpetrator, IncidentTarget
from shelter.search.index import id_list


def incidents_through_people(matching: Mapping[str, list[int]], viewer: Viewer) -> set[int]:
    """Ids of incidents whose visible targets or perpetrators are among the ``matching`` people and
    organisations (ids by kind, from ``shelter.search.index.matches``).

    A link row is visible only when its incident and the person or organisation it names are visible, so the
    visibility filter on the links also keeps out matching people and organisations the viewer may not see.
    """
    people, organisations = id_list(matching.get("person", [])), id_list(matching.get("organisation", []))
    found: set[int] = set()
    for model, linked in ((IncidentTarget, Q(person__in=people)),
                          (IncidentPerpetrator, Q(person__in=people) | Q(organisation__in=organisations))):
        # The incidents of the matching links, read first; the links are then read again through the visibility
        # filter, keyed by those incidents, so the database looks up a few rows instead of walking every
        # visible incident.
        incidents = list(model._default_manager.filter(linked).values_list("incident_id", flat=True).distinct())
        if incidents:
            visible_links = visible_to(model._default_manager.filter(linked, incident__in=id_list(incidents)), viewer)
            found.update(visible_links.values_list("incident_id", flat=True))
    return found
