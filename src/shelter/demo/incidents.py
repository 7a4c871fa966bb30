"""The demo's incidents, their targets and perpetrators, and the sources cited for them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shelter.demo.builder import (
    ANCHOR_TITLE,
    DESK_OF_ORIGIN,
    EURASIA_DESK,
    FICTION_NOTE,
    FIRST_YEAR,
    LAST_DATE,
    NAME_WITHHELD,
    BuilderBase,
    Exile,
)


class IncidentBuilder(BuilderBase):
    def build_incidents(self, count: int) -> None:
        from shelter.incidents.taxonomy import taxonomy

        tactics = taxonomy()
        codes = list(tactics.codes)
        origins = list(self.catalogue.origins)
        for index in range(count):
            # every tactic at least once, then a mix that leans towards the common ones
            code = codes[index] if index < len(codes) else self.rng.choice(codes + ["detention", "red_notice",
                                                                                     "threats_to_relatives",
                                                                                     "phishing", "surveillance"])
            origin = origins[index % len(origins)] if index < len(origins) else self.rng.choice(origins)
            exile = self.rng.choice(self.exiles[origin])
            tactic = tactics.get(code)
            assert tactic is not None
            self._incident(code, tactic.category, exile)

    def _incident(self, code: str, category: str, exile: Exile) -> None:
        from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget

        origin_name = self.country_name(exile.origin)
        bodies = self.state_bodies[exile.origin]
        acting = self.catalogue.acting_body.get(code)
        agency = bodies["prosecutor"] if acting == "prosecutor" else bodies["security_service"]
        embassy = self.embassies.get((exile.origin, exile.host))
        if acting == "embassy" and embassy is not None:
            agency = embassy
        template = self.rng.choice(self.catalogue.titles[code])
        in_origin = category == "proxy" or code in self.catalogue.in_origin_state
        start = date(FIRST_YEAR, 1, 1)
        incident = Incident(
            title="", tactic=code, date=self._date(start, LAST_DATE), origin_state=exile.origin,
            host_country=exile.origin if in_origin else exile.host,
            place="" if in_origin else exile.city,
            outcome=self.rng.choice(self.catalogue.outcomes.get(code, self.catalogue.default_outcomes)),
            verification=self.rng.choice(("unverified", "partially_verified", "verified", "verified", "disputed")),
            description=f"{self.catalogue.descriptions[category]} {FICTION_NOTE}",
        )
        incident.set_derived_dates()
        self._confidentiality(incident, exile.origin, public=0.4, internal=0.35)
        # The title names the target only when everyone who may read the incident may see the target.
        target_name = exile.person._latin_name
        if not all(self._readers_see(incident, person) for person in self._people_named(target_name)):
            target_name = NAME_WITHHELD
        incident.title = template.format(target=target_name, origin=origin_name, host=self.country_name(exile.host),
                                         city=exile.city, agency=agency.name)
        self.workspace.incidents.append(incident)
        self.workspace.targets.append(IncidentTarget(incident=incident, person=exile.person, role="target"))
        if category == "proxy" and exile.relatives:
            self.workspace.targets.append(IncidentTarget(incident=incident, person=self.rng.choice(exile.relatives),
                                                         role="relative"))
        degree = self.rng.choice(("direct", "suspected", "suspected"))
        self.workspace.perpetrators.append(IncidentPerpetrator(incident=incident, organisation=agency, degree=degree))
        if code == "spyware" and self.vendors:
            self.workspace.perpetrators.append(IncidentPerpetrator(
                incident=incident, organisation=self.rng.choice(self.vendors), degree="proxy"))
        if category in ("intimidation", "physical") and self.rng.random() < 0.3:
            self.workspace.perpetrators.append(IncidentPerpetrator(
                incident=incident, person=self.rng.choice(self.agents[exile.origin]), degree="suspected"))
        for _ in range(self.rng.choice((1, 1, 2))):
            self._cite(incident, exile.origin)

    def _cite(self, incident: Any, origin: str) -> None:
        from shelter.incidents.models import Citation, Source

        kind = self.rng.choice(("media", "media", "report", "court_record", "testimony", "document"))
        publisher = self.rng.choice(self.catalogue.publishers[kind])
        happened = incident.date_from
        published = self._date(happened, min(happened + timedelta(days=400), LAST_DATE), (8, 2, 0))
        slug = f"{incident.tactic.replace('_', '-')}-{len(self.workspace.sources) + 1}"
        source = Source(
            title=f"{publisher}: {incident.title}", kind=kind, publisher=publisher, published_on=published,
            url=f"https://{publisher.split()[0].lower()}.example.org/{published[:4]}/{slug}"
            if kind in ("media", "report") else "",
            reliability=self.rng.choice(("medium", "high", "high", "low")),
            notes=FICTION_NOTE,
        )
        if kind in ("testimony", "document"):
            source.confidentiality = "confidential"
            self.workspace.team_of[id(source)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
        else:
            source.confidentiality = incident.confidentiality
            source.published = incident.published
            if incident.confidentiality == "confidential":
                self.workspace.team_of[id(source)] = self.workspace.team_of[id(incident)]
        self.workspace.sources.append(source)
        self.workspace.citations.append(
            Citation(source=source, incident=incident, locator=f"para. {self.rng.randint(1, 40)}"))

    def cite_relationships(self) -> None:
        from shelter.incidents.models import Citation

        testimonies = [s for s in self.workspace.sources if s.kind == "testimony"]
        for relationship in self.workspace.relationships:
            if relationship.kind in ("informant_for", "employed_by") and testimonies:
                self.workspace.citations.append(Citation(source=self.rng.choice(testimonies),
                                                         relationship=relationship, locator="interview notes"))

    def anchor(self) -> None:
        from shelter.incidents.models import Source

        self.workspace.sources.append(Source(
            title=ANCHOR_TITLE, kind="other", publisher="Shelter", confidentiality="public",
            notes="The people, organisations, incidents and sources in this workspace were generated for "
                  "demonstration. Any resemblance to real persons is coincidental.",
        ))

