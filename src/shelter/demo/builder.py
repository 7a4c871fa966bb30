"""What every part of the demo builder shares: the workspace being built, its constants and small helpers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shelter.demo.catalogue import DemoCatalogue

SEED = 2014
INCIDENT_COUNT = 360
FIRST_YEAR, LAST_DATE = 2014, date(2026, 10, 31)
# In an incident's title in place of a target its readers may not see (a public incident never names a hidden
# person: see shelter.incidents.publishing).
NAME_WITHHELD = "[name withheld]"
ANCHOR_TITLE = "Shelter demo workspace: every record here is fictional"

CENTRAL_ASIA_DESK = "Central Asia desk"
EURASIA_DESK = "Eurasia and Middle East desk"
# Confidential records of an origin state belong to the case team that follows it.
DESK_OF_ORIGIN = {"TJ": CENTRAL_ASIA_DESK, "UZ": CENTRAL_ASIA_DESK, "KZ": CENTRAL_ASIA_DESK,
                  "TM": CENTRAL_ASIA_DESK, "CN": CENTRAL_ASIA_DESK}

RELATIVE_KINDS = (("father", "m"), ("mother", "f"), ("brother", "m"), ("sister", "f"), ("son", "m"),
                  ("daughter", "f"), ("husband", "m"), ("wife", "f"))
FICTION_NOTE = "Fictional record generated for the Shelter demo workspace."


@dataclass
class DemoWorkspace:
    """Unsaved model instances, in the order they must be saved, and their case-team assignments."""

    organisations: list[Any] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)
    names: list[Any] = field(default_factory=list)
    relationships: list[Any] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    targets: list[Any] = field(default_factory=list)
    perpetrators: list[Any] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    citations: list[Any] = field(default_factory=list)
    team_of: dict[int, str] = field(default_factory=dict)  # id(record) -> case team of a confidential record


@dataclass
class Exile:
    person: Any
    origin: str
    host: str
    city: str
    relatives: list[Any] = field(default_factory=list)



class BuilderBase:
    """The state of one build (a seeded random generator, the records made so far) and its helpers."""

    def __init__(self, catalogue: DemoCatalogue, seed: int) -> None:
        from shelter.countries import country_name

        self.catalogue = catalogue
        self.rng = random.Random(seed)
        self.workspace = DemoWorkspace()
        self.country_name = country_name
        self.exiles: dict[str, list[Exile]] = {code: [] for code in catalogue.origins}
        self.agents: dict[str, list[Any]] = {code: [] for code in catalogue.origins}
        self.state_bodies: dict[str, dict[str, Any]] = {}
        self.embassies: dict[tuple[str, str], Any] = {}
        self.vendors: list[Any] = []
        self._named: dict[str, list[Any]] | None = None  # name -> people, once everyone is made

    # -- small helpers --------------------------------------------------------------------------------
    def _weighted(self, items: Sequence[str]) -> str:
        # earlier entries are more frequent
        return self.rng.choices(list(items), weights=[len(items) - i for i in range(len(items))])[0]

    def _confidentiality(self, record: Any, origin: str, public: float, internal: float,
                         published: float = 0.65) -> None:
        roll = self.rng.random()
        if roll < public:
            record.confidentiality, record.published = "public", self.rng.random() < published
        elif roll < public + internal:
            record.confidentiality = "internal"
        else:
            record.confidentiality = "confidential"
            self.workspace.team_of[id(record)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)

    def _people_named(self, name: str) -> list[Any]:
        """Everyone any of whose names is ``name`` (two people may share one)."""
        if self._named is None:
            self._named = {}
            for entry in self.workspace.names:
                self._named.setdefault(entry.full_name, []).append(entry.person)
            for person in self.workspace.people:
                self._named.setdefault(person.primary_name, []).append(person)
        return self._named.get(name, [])

    def _readers_see(self, record: Any, person: Any) -> bool:
        """Whether every reader of ``record`` may see ``person`` (the visibility rule, on unsaved records)."""
        rank = {"public": 0, "internal": 1, "confidential": 2}
        if rank[person.confidentiality] > rank[record.confidentiality]:
            return False
        if record.confidentiality == "public":
            return person.published or not record.published
        if person.confidentiality == "confidential":
            return self.workspace.team_of.get(id(person)) == self.workspace.team_of.get(id(record))
        return True

    def _date(self, start: date, end: date, precision_weights: tuple[int, int, int] = (6, 3, 1)) -> str:
        day = start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))
        precision = self.rng.choices(("day", "month", "year"), weights=precision_weights)[0]
        return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]

