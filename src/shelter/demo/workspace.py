"""The whole demo workspace, built in memory (deterministic) and then saved in bulk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shelter.demo.builder import CENTRAL_ASIA_DESK, EURASIA_DESK, INCIDENT_COUNT, SEED, DemoWorkspace
from shelter.demo.catalogue import DemoCatalogue, load_catalogue
from shelter.demo.incidents import IncidentBuilder
from shelter.demo.people import PeopleBuilder


class WorkspaceBuilder(PeopleBuilder, IncidentBuilder):
    """Organisations and people first, then the incidents that name them."""


def build_workspace(catalogue: DemoCatalogue | None = None, seed: int = SEED,
                    incident_count: int = INCIDENT_COUNT) -> DemoWorkspace:
    """The whole demo workspace as unsaved model instances; the same seed gives the same workspace."""
    builder = WorkspaceBuilder(catalogue or load_catalogue(), seed)
    builder.build_organisations()
    builder.build_people()
    builder.build_incidents(incident_count)
    builder.cite_relationships()
    builder.anchor()
    return builder.workspace


def save_workspace(workspace: DemoWorkspace, progress: Callable[[str], None]) -> None:
    """Write the workspace through the one bulk write path (with history rows), give restricted records their team, index it."""
    from django.db import transaction

    from shelter.access.models import Team
    from shelter.access.writes import DEMO_WORKSPACE, create_in_bulk
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.registry.models import Organisation, Person, PersonName, Relationship
    from shelter.search.index import index_records
    from shelter.stored_words import written

    teams = {name: Team.objects.get_or_create(name=name, defaults={"description": "Demo case team"})[0]
             for name in (CENTRAL_ASIA_DESK, EURASIA_DESK)}
    reason = written(DEMO_WORKSPACE)

    def save(model: Any, records: list[Any]) -> None:
        # bulk_create takes foreign keys from parents saved earlier in this loop
        create_in_bulk(model, records, None, reason=reason, batch_size=500)
        restricted = [r for r in records if id(r) in workspace.team_of]
        if restricted:
            through = model.teams.through
            owner = f"{model._meta.model_name}_id"
            through.objects.bulk_create(
                [through(**{owner: r.pk, "team_id": teams[workspace.team_of[id(r)]].pk}) for r in restricted])

    with transaction.atomic():
        for label, model, records in (
            ("organisations", Organisation, workspace.organisations), ("people", Person, workspace.people),
            ("names", PersonName, workspace.names), ("relationships", Relationship, workspace.relationships),
            ("incidents", Incident, workspace.incidents), ("targets", IncidentTarget, workspace.targets),
            ("perpetrators", IncidentPerpetrator, workspace.perpetrators), ("sources", Source, workspace.sources),
            ("citations", Citation, workspace.citations),
        ):
            save(model, records)
            progress(f"  {len(records)} {label}")
        for kind, records in (("organisation", workspace.organisations), ("person", workspace.people),
                              ("incident", workspace.incidents), ("source", workspace.sources)):
            index_records(kind, [r.pk for r in records])
        progress("  search index built")


