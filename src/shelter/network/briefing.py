"""The briefing section on the structure of a state's operation abroad: its agencies, the handlers and informants
acting for them, and in how many host countries. Called by :mod:`shelter.analytics.briefing`.

A public briefing is built from published public records only, names no person (only agencies, which are
organisations) and says a count below 3 in words ("fewer than 3"), as the briefing's headline figures do: each
count stands alone (no published sum holds it), so it is withheld for being below 3 and for nothing else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from shelter.analytics.country_labels import country_label
from shelter.analytics.services import Audience, fewer_than_limit
from shelter.analytics.stats import Shown, shown
from shelter.network.build import build_network
from shelter.network.core import ACTS_FOR, attributions, informants_and_handlers

STATE_BODIES = ("security_service", "police", "prosecutor", "embassy", "ministry")
NAMED_HANDLERS = 10


@dataclass(frozen=True)
class AgencyLine:
    name: str
    incidents: Shown
    host_countries: Shown
    people_acting: Shown  # informants, officers and leaders linked to it


@dataclass(frozen=True)
class OperationAbroad:
    public: bool
    agencies: tuple[AgencyLine, ...]
    handlers: Shown
    informants: Shown
    host_countries: Shown
    host_country_names: tuple[str, ...]  # only when enough incidents stand behind the count
    handler_names: tuple[str, ...]  # never in a public briefing

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def operation_abroad(state: str, audience: Audience, language: str = "en") -> OperationAbroad | None:
    """The section for ``state``, or None when nothing is recorded about its agencies and their people."""
    network = build_network(audience.viewer, state)
    public = audience.public
    agencies = [n for n in network.nodes.values() if n.kind == "organisation"
                and n.attr("country") == state and n.attr("organisation_kind") in STATE_BODIES]
    credited = attributions(network)
    informants, handlers = informants_and_handlers(network)
    fewer = fewer_than_limit()

    def count(number: int) -> Shown:
        return shown(number, public, withheld_as=fewer)

    lines = []
    hosts_all: set[str] = set()
    for agency in agencies:
        incidents = credited.get(agency.id, {})
        hosts = {network.nodes[i].attr("host_country") for i in incidents} - {""}
        hosts_all |= hosts
        people = {e.source for e in network.incident_edges(agency.id)
                  if e.kind in ACTS_FOR and e.target == agency.id and e.source.startswith("person:")}
        if incidents or people:
            lines.append(AgencyLine(agency.label, count(len(incidents)), count(len(hosts)), count(len(people))))
    for person in informants | handlers:
        for incident in credited.get(person, {}):
            hosts_all.add(network.nodes[incident].attr("host_country"))
    hosts_all.discard("")
    if not lines and not informants and not handlers:
        return None
    lines.sort(key=lambda line: (-(line.incidents if isinstance(line.incidents, int) else 0), line.name))
    return OperationAbroad(
        public=public, agencies=tuple(lines), handlers=count(len(handlers)),
        informants=count(len(informants)), host_countries=count(len(hosts_all)),
        host_country_names=tuple(sorted(country_label(c, language) for c in hosts_all))
        if not public or len(hosts_all) >= 3 else (),
        handler_names=() if public else tuple(sorted(network.nodes[h].label for h in handlers)[:NAMED_HANDLERS]),
    )
