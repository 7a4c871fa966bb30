"""The fictional demo workspace behind ``shelter demo``.

Every person, organisation, incident and source is generated from the name parts and descriptions in
``demo_data/`` with a fixed seed, so the workspace is the same on every machine and resembles real case work
without describing anyone real. Records are written with ``bulk_create`` (with history rows) and indexed for
search in one pass, so the whole workspace loads in seconds.
"""

from __future__ import annotations

import random
import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).with_name("demo_data")
SEED = 2014
INCIDENT_COUNT = 360
FIRST_YEAR, LAST_DATE = 2014, date(2026, 10, 31)
# In an incident's title in place of a target its readers may not see (a public incident never names a hidden
# person: see shelter.incidents.publishing).
NAME_WITHHELD = "[name withheld]"
ANCHOR_TITLE = "Shelter demo workspace: every record here is fictional"
MARKER_FILE = "DEMO"

CENTRAL_ASIA_DESK = "Central Asia desk"
EURASIA_DESK = "Eurasia and Middle East desk"
# Confidential records of an origin state belong to the case team that follows it.
DESK_OF_ORIGIN = {"TJ": CENTRAL_ASIA_DESK, "UZ": CENTRAL_ASIA_DESK, "KZ": CENTRAL_ASIA_DESK,
                  "TM": CENTRAL_ASIA_DESK, "CN": CENTRAL_ASIA_DESK}

# username, role, clearance, case teams
DEMO_USERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("demo-admin", "admin", "confidential", ()),
    ("demo-editor", "editor", "confidential", (CENTRAL_ASIA_DESK,)),
    ("demo-researcher", "researcher", "confidential", (EURASIA_DESK,)),
    ("demo-viewer", "viewer", "internal", (CENTRAL_ASIA_DESK,)),
)

TITLE_PLACEHOLDERS = {"target", "origin", "host", "city", "agency"}
RELATIVE_KINDS = (("father", "m"), ("mother", "f"), ("brother", "m"), ("sister", "f"), ("son", "m"),
                  ("daughter", "f"), ("husband", "m"), ("wife", "f"))
FICTION_NOTE = "Fictional record generated for the Shelter demo workspace."


class DemoDataError(ValueError):
    """The demo data files are malformed; the message names the file and the entry."""


# ---------------------------------------------------------------------------------------------------------
# The catalogue: data files, loaded and checked


@dataclass(frozen=True)
class NamePart:
    native: str
    latin: str


@dataclass(frozen=True)
class FeminineRule:
    native_endings: tuple[str, ...]
    native_suffix: str
    latin_endings: tuple[str, ...]
    latin_suffix: str

    def apply(self, part: NamePart) -> NamePart:
        native = part.native + self.native_suffix if part.native.endswith(self.native_endings) else part.native
        latin = part.latin + self.latin_suffix if part.latin.endswith(self.latin_endings) else part.latin
        return NamePart(native, latin)


@dataclass(frozen=True)
class OriginNames:
    code: str
    language: str
    native_is_latin: bool
    feminine: FeminineRule | None
    male: tuple[NamePart, ...]
    female: tuple[NamePart, ...]
    surnames: tuple[NamePart, ...]
    patronymics: tuple[NamePart, ...] = ()
    patronymics_female: tuple[NamePart, ...] = ()


@dataclass(frozen=True)
class DemoCatalogue:
    origins: dict[str, OriginNames]
    hosts: dict[str, tuple[str, ...]]
    diaspora: dict[str, tuple[str, ...]]
    state_organisations: tuple[dict[str, str], ...]
    movements: dict[str, str]
    organisations: tuple[dict[str, Any], ...]
    publishers: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]
    acting_body: dict[str, str]  # tactic -> "prosecutor" or "embassy" (others: the security service)
    in_origin_state: frozenset[str]
    outcomes: dict[str, tuple[str, ...]]
    default_outcomes: tuple[str, ...]
    descriptions: dict[str, str]  # tactic category -> description


def _parts(raw: list[list[str]], where: str) -> tuple[NamePart, ...]:
    parts = []
    for entry in raw:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(p, str) and p for p in entry)):
            raise DemoDataError(f"{where}: {entry!r} is not a [native, latin] pair")
        parts.append(NamePart(entry[0], entry[1]))
    if not parts:
        raise DemoDataError(f"{where}: empty list")
    return tuple(parts)


def _origin(code: str, raw: dict[str, Any]) -> OriginNames:
    where = f"people.yaml: origins.{code}"
    rule = raw.get("feminine")
    feminine = None
    if rule is not None:
        feminine = FeminineRule(tuple(rule["native"]), rule["add_native"], tuple(rule["latin"]), rule["add_latin"])
    return OriginNames(
        code=code, language=raw["language"], native_is_latin=bool(raw.get("native_is_latin", False)),
        feminine=feminine, male=_parts(raw["male"], f"{where}.male"), female=_parts(raw["female"], f"{where}.female"),
        surnames=_parts(raw["surnames"], f"{where}.surnames"),
        patronymics=_parts(raw["patronymics"], f"{where}.patronymics") if "patronymics" in raw else (),
        patronymics_female=(_parts(raw["patronymics_female"], f"{where}.patronymics_female")
                            if "patronymics_female" in raw else ()),
    )


def _check_titles(titles: dict[str, tuple[str, ...]]) -> None:
    from shelter.incidents.taxonomy import taxonomy

    codes = set(taxonomy().codes)
    missing, unknown = codes - set(titles), set(titles) - codes
    if missing or unknown:
        raise DemoDataError(f"workspace.yaml: titles must cover exactly the taxonomy; missing {sorted(missing)}, "
                            f"unknown {sorted(unknown)}")
    for code, templates in titles.items():
        for template in templates:
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            if not used <= TITLE_PLACEHOLDERS:
                raise DemoDataError(f"workspace.yaml: titles.{code}: unknown placeholder(s) "
                                    f"{sorted(used - TITLE_PLACEHOLDERS)} in {template!r}")


def _check_tactic_facts(catalogue: DemoCatalogue) -> None:
    """Every tactic named by the workspace's facts is in the taxonomy, and every category is described."""
    from shelter.incidents.taxonomy import taxonomy

    codes = set(taxonomy().codes)
    named = set(catalogue.acting_body) | catalogue.in_origin_state | set(catalogue.outcomes)
    if named - codes:
        raise DemoDataError(f"workspace.yaml: unknown tactic(s) {sorted(named - codes)}")
    undescribed = {tactic.category for tactic in taxonomy().tactics} - set(catalogue.descriptions)
    if undescribed:
        raise DemoDataError(f"workspace.yaml: descriptions missing for {sorted(undescribed)}")


def _check_countries(catalogue: DemoCatalogue) -> None:
    from shelter.countries import UnknownCountryError, country_code

    codes = [*catalogue.origins, *catalogue.hosts, *(o["country"] for o in catalogue.organisations)]
    for code in codes:
        try:
            if country_code(code) != code:
                raise DemoDataError(f"demo data: '{code}' is not an ISO 3166-1 alpha-2 code")
        except UnknownCountryError as error:
            raise DemoDataError(f"demo data: {error}") from error
    for origin, hosts in catalogue.diaspora.items():
        if origin not in catalogue.origins:
            raise DemoDataError(f"workspace.yaml: diaspora.{origin}: no name parts for this origin in people.yaml")
        for host in hosts:
            if host not in catalogue.hosts:
                raise DemoDataError(f"workspace.yaml: diaspora.{origin}: host {host} has no cities under hosts")
    for origin in catalogue.origins:
        if origin not in catalogue.diaspora or origin not in catalogue.movements:
            raise DemoDataError(f"workspace.yaml: origin {origin} needs a diaspora list and a movement")


@lru_cache(maxsize=1)
def load_catalogue(data_dir: Path = DATA_DIR) -> DemoCatalogue:
    people = yaml.safe_load((data_dir / "people.yaml").read_text(encoding="utf-8"))
    shape = yaml.safe_load((data_dir / "workspace.yaml").read_text(encoding="utf-8"))
    try:
        catalogue = DemoCatalogue(
            origins={code: _origin(code, raw) for code, raw in people["origins"].items()},
            hosts={code: tuple(cities) for code, cities in shape["hosts"].items()},
            diaspora={code: tuple(hosts) for code, hosts in shape["diaspora"].items()},
            state_organisations=tuple(shape["state_organisations"]),
            movements=dict(shape["movements"]),
            organisations=tuple(shape["organisations"]),
            publishers={kind: tuple(names) for kind, names in shape["publishers"].items()},
            titles={code: tuple(templates) for code, templates in shape["titles"].items()},
            acting_body={code: body for body, codes in shape["acting_body"].items() for code in codes},
            in_origin_state=frozenset(shape["in_origin_state"]),
            outcomes={code: tuple(outcomes) for code, outcomes in shape["outcomes"].items()},
            default_outcomes=tuple(shape["default_outcomes"]),
            descriptions=dict(shape["descriptions"]),
        )
    except KeyError as error:
        raise DemoDataError(f"demo data: missing key {error}") from error
    _check_titles(catalogue.titles)
    _check_tactic_facts(catalogue)
    _check_countries(catalogue)
    return catalogue


# ---------------------------------------------------------------------------------------------------------
# Building the workspace in memory (deterministic), then saving it in bulk


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
class _Exile:
    person: Any
    origin: str
    host: str
    city: str
    relatives: list[Any] = field(default_factory=list)


class _Builder:
    def __init__(self, catalogue: DemoCatalogue, seed: int) -> None:
        from shelter.countries import country_name

        self.catalogue = catalogue
        self.rng = random.Random(seed)
        self.workspace = DemoWorkspace()
        self.country_name = country_name
        self.exiles: dict[str, list[_Exile]] = {code: [] for code in catalogue.origins}
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

    # -- people ---------------------------------------------------------------------------------------
    def _name_parts(self, origin: OriginNames, sex: str, surname: NamePart | None = None
                    ) -> tuple[NamePart, NamePart, NamePart | None]:
        given = self.rng.choice(origin.male if sex == "m" else origin.female)
        surname = surname or self.rng.choice(origin.surnames)
        patronymic = None
        pool = origin.patronymics if sex == "m" else origin.patronymics_female
        if pool and self.rng.random() < 0.5:
            patronymic = self.rng.choice(pool)
        if sex == "f" and origin.feminine is not None:
            surname = origin.feminine.apply(surname)
        return given, surname, patronymic

    def _person(self, origin_code: str, sex: str, *, residence: str, profile: list[str], dob_years: tuple[int, int],
                surname: NamePart | None = None, description: str = "") -> Any:
        from shelter.registry.models import NameKind, Person, PersonName, detect_script

        origin = self.catalogue.origins[origin_code]
        given, family, patronymic = self._name_parts(origin, sex, surname)
        parts = [p for p in (given, patronymic, family) if p]
        native = " ".join(p.native for p in parts)
        other = " ".join(p.latin for p in parts)
        # For Cyrillic and Arabic names the second form is the Latin romanisation; for names written in Latin
        # today (Turkmen, Azerbaijani, Turkish) it is the Russian Cyrillic form found in older documents.
        latin, latin_given, latin_family = ((native, given.native, family.native) if origin.native_is_latin
                                            else (other, given.latin, family.latin))
        # Researchers mostly file people under a Latin spelling; some files keep the native form.
        primary = latin if self.rng.random() < 0.7 else native
        person = Person(
            primary_name=primary, sex=sex, nationalities=[origin_code], country_of_residence=residence,
            dob=self._date(date(dob_years[0], 1, 1), date(dob_years[1], 12, 31), (5, 2, 3)),
            profile=profile, description=f"{description} {FICTION_NOTE}".strip(),
        )
        person._family_name = family  # type: ignore[attr-defined]  # relatives share it
        person._latin_name = latin  # type: ignore[attr-defined]  # incident titles use it
        forms = [
            (native, NameKind.NATIVE, given.native, family.native, patronymic.native if patronymic else "",
             origin.language),
            (other, NameKind.TRANSLITERATION, given.latin, family.latin, patronymic.latin if patronymic else "",
             "ru" if origin.native_is_latin else ""),
        ]
        if self.rng.random() < 0.3:
            # Passports and notices often write the surname first, in capitals.
            forms.append((f"{latin_family.upper()} {latin_given.upper()}", NameKind.ALIAS, latin_given,
                          latin_family, "", ""))
        for full_name, kind, given_part, surname_part, patronymic_part, language in forms:
            self.workspace.names.append(PersonName(
                person=person, full_name=full_name, given_name=given_part, surname=surname_part,
                patronymic=patronymic_part, language=language, kind=kind, script=detect_script(full_name),
            ))
        self.workspace.people.append(person)
        return person

    def _relationship(self, kind: str, subject: Any, obj: Any, detail: str = "", start: str = "",
                      confidentiality: str | None = None, origin: str = "") -> Any:
        from shelter.registry.models import Organisation, Relationship

        relationship = Relationship(kind=kind, detail=detail, start=start, description=FICTION_NOTE)
        if isinstance(subject, Organisation):
            relationship.subject_organisation = subject
        else:
            relationship.subject_person = subject
        if isinstance(obj, Organisation):
            relationship.object_organisation = obj
        else:
            relationship.object_person = obj
        if confidentiality is None:
            self._confidentiality(relationship, origin, public=0.3, internal=0.5)
        else:
            relationship.confidentiality = confidentiality
            if confidentiality == "confidential":
                self.workspace.team_of[id(relationship)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
        self.workspace.relationships.append(relationship)
        return relationship

    def build_organisations(self) -> None:
        from shelter.registry.models import Organisation

        def add(name: str, kind: str, country: str, *, aliases: Sequence[str] = (), description: str = "",
                level: str = "public", published: bool = True, origin: str = "") -> Organisation:
            organisation = Organisation(name=name, kind=kind, country=country, aliases=list(aliases),
                                        description=f"{description} {FICTION_NOTE}".strip(),
                                        confidentiality=level, published=published and level == "public")
            if level == "confidential":
                self.workspace.team_of[id(organisation)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
            self.workspace.organisations.append(organisation)
            return organisation

        for origin in self.catalogue.origins:
            country = self.country_name(origin)
            self.state_bodies[origin] = {
                spec["kind"]: add(spec["name"].format(country=country), spec["kind"], origin)
                for spec in self.catalogue.state_organisations
            }
            for host in self.catalogue.diaspora[origin][:3]:
                self.embassies[(origin, host)] = add(
                    f"Embassy of {country} in {self.country_name(host)}", "embassy", host,
                    description=f"Diplomatic mission of {country}.")
            movement = self.catalogue.movements[origin]
            self.state_bodies[origin]["party"] = add(movement, "party", origin, level="public", published=True,
                                                     description=f"Opposition movement of {country} in exile.")
            main_host = self.catalogue.diaspora[origin][0]
            self.state_bodies[origin]["diaspora"] = add(
                f"{country} Community Association of {self.catalogue.hosts[main_host][0]}", "diaspora", main_host,
                level="internal", published=False, description="Diaspora association; some members report to the embassy.")
        for spec in self.catalogue.organisations:
            organisation = add(spec["name"], spec["kind"], spec["country"], aliases=spec.get("aliases", ()),
                               description=spec.get("description", ""))
            if spec["kind"] == "surveillance_vendor":
                self.vendors.append(organisation)

    def build_people(self, exiles_per_origin: int = 18) -> None:
        professions = ("opposition", "journalist", "activist", "religious_figure", "former_insider", "blogger",
                       "lawyer")
        statuses = ("refugee", "asylum_seeker", "resident", "citizen_of_host", "undocumented", "")
        for origin in self.catalogue.origins:
            for _ in range(exiles_per_origin):
                host = self._weighted(self.catalogue.diaspora[origin])
                sex = self.rng.choices(("m", "f"), weights=(3, 2))[0]
                person = self._person(origin, sex, residence=host, dob_years=(1955, 2000),
                                      profile=self.rng.sample(professions, self.rng.choice((1, 1, 2))),
                                      description="Lives in exile.")
                person.status_abroad = self.rng.choice(statuses)
                person.at_risk = self.rng.random() < 0.35
                self._confidentiality(person, origin, public=0.35, internal=0.4, published=0.7)
                exile = _Exile(person, origin, host, self.rng.choice(self.catalogue.hosts[host]))
                self.exiles[origin].append(exile)
                if "opposition" in person.profile or self.rng.random() < 0.3:
                    self._relationship("member_of", person, self.state_bodies[origin]["party"],
                                       start=str(self.rng.randint(2005, 2020)), origin=origin)
                for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
                    self._add_relative(exile)
            leader = self.exiles[origin][0].person
            self._relationship("leads", leader, self.state_bodies[origin]["party"], detail="chair",
                               confidentiality="public")
            for index in range(2):
                self._add_agent(origin, informant=index == 1)

    def _add_relative(self, exile: _Exile) -> None:
        detail, sex = self.rng.choice(RELATIVE_KINDS)
        relative = self._person(exile.origin, sex, residence=exile.origin, dob_years=(1940, 2010),
                                profile=["relative"], surname=exile.person._family_name,
                                description="Lives in the origin state.")
        # Relatives at home are the most exposed people in a file: never public.
        relative.confidentiality = "confidential" if self.rng.random() < 0.5 else "internal"
        if relative.confidentiality == "confidential":
            self.workspace.team_of[id(relative)] = DESK_OF_ORIGIN.get(exile.origin, EURASIA_DESK)
        exile.relatives.append(relative)
        self._relationship("family", relative, exile.person, detail=detail,
                           confidentiality=relative.confidentiality, origin=exile.origin)

    def _add_agent(self, origin: str, informant: bool) -> None:
        host = self.catalogue.diaspora[origin][0]
        agent = self._person(origin, "m", residence=host if informant else origin, dob_years=(1965, 1995),
                             profile=["informant" if informant else "security_officer"],
                             description="Named by several witnesses.")
        agent.confidentiality = "confidential"
        self.workspace.team_of[id(agent)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
        service = self.state_bodies[origin]["security_service"]
        if informant:
            self._relationship("informant_for", agent, service, detail="handler's source",
                               confidentiality="confidential", origin=origin)
            self._relationship("member_of", agent, self.state_bodies[origin]["diaspora"],
                               confidentiality="confidential", origin=origin)
        else:
            self._relationship("employed_by", agent, service, detail="officer", confidentiality="confidential",
                               origin=origin)
        self.agents[origin].append(agent)

    # -- incidents ------------------------------------------------------------------------------------
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

    def _incident(self, code: str, category: str, exile: _Exile) -> None:
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


def build_workspace(catalogue: DemoCatalogue | None = None, seed: int = SEED,
                    incident_count: int = INCIDENT_COUNT) -> DemoWorkspace:
    """The whole demo workspace as unsaved model instances; the same seed gives the same workspace."""
    builder = _Builder(catalogue or load_catalogue(), seed)
    builder.build_organisations()
    builder.build_people()
    builder.build_incidents(incident_count)
    builder.cite_relationships()
    builder.anchor()
    return builder.workspace


def _save(workspace: DemoWorkspace, progress: Callable[[str], None]) -> None:
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from shelter.access.models import Team
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.registry.models import Organisation, Person, PersonName, Relationship
    from shelter.search.index import index_records

    teams = {name: Team.objects.get_or_create(name=name, defaults={"description": "Demo case team"})[0]
             for name in (CENTRAL_ASIA_DESK, EURASIA_DESK)}
    reason = "demo workspace"

    def save(model: Any, records: list[Any]) -> None:
        # bulk_create takes foreign keys from parents saved earlier in this loop
        bulk_create_with_history(records, model, batch_size=500, default_change_reason=reason)
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


def _demo_users() -> list[tuple[str, str, str]]:
    from shelter.access.services import create_or_update_user

    credentials = []
    for username, role, clearance, teams in DEMO_USERS:
        # A fresh random password each run: the old one cannot be shown again (only its Argon2 hash is kept).
        password = secrets.token_urlsafe(12)
        create_or_update_user(username, role, password, clearance=clearance, teams=teams)
        credentials.append((username, role, password))
    return credentials


def load_demo_workspace(progress: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """Migrate, load the fictional workspace once, (re)create the demo users; returns (username, role, password).

    Running it again leaves the records as they are and issues new passwords to the same demo users.
    """
    from django.conf import settings
    from django.core.management import call_command

    from shelter.incidents.models import Source

    progress("Migrating the database...")
    call_command("migrate", interactive=False, verbosity=0)
    if Source.objects.filter(title=ANCHOR_TITLE).exists():
        progress("Demo workspace already loaded; keeping it.")
    else:
        progress("Loading the fictional demo workspace...")
        _save(build_workspace(), progress)
        from shelter.network.demo import add_informant_network

        add_informant_network(progress)
        from shelter.monitoring.demo import add_demo_returnees

        add_demo_returnees(progress)
    (Path(settings.SHELTER_HOME) / MARKER_FILE).write_text(
        "This Shelter workspace holds the fictional demo data (shelter demo).\n", encoding="utf-8")
    progress("Creating demo users...")
    return _demo_users()
