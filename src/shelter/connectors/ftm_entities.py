"""FollowTheMoney entities, one JSON object per line (the format Aleph and OpenSanctions exchange).

Out: people (Person), organisations (PublicBody for state bodies, Company for companies and vendors,
Organization otherwise), relationships (Family, Membership, Employment, Associate; an informant for a person is
an Associate and for an organisation a Representation, its ``relationship`` or ``role`` reading "informant for";
UnknownLink for the rest, its ``role`` naming the kind) and incidents (Event, with targets as ``involved`` and
perpetrators as ``organizer``). Entity ids are derived from Shelter's record ids.

In: Person and the organisation schemata (Organization, PublicBody, Company, LegalEntity). Other entities
(sanctions, addresses, ownership...) are counted and skipped. Imported records are internal until someone
changes that; an entity's other names become the person's names, so they are found in every script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from followthemoney import model
from followthemoney.proxy import EntityProxy

from shelter.access.visibility import Viewer, visible_to
from shelter.connectors.base import Connector, DryRunRollback, ImportRefused, ImportReport, Problem, Progress
from shelter.countries import UnknownCountryError, country_code
from shelter.ftm import BadLine, entity_lines
from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
from shelter.partial_dates import PartialDateError, parse_partial_date
from shelter.registry import services
from shelter.registry.models import Organisation, OrganisationKind, Person, Relationship

_STATE_BODIES = {OrganisationKind.SECURITY_SERVICE, OrganisationKind.PROSECUTOR, OrganisationKind.POLICE,
                 OrganisationKind.EMBASSY, OrganisationKind.MINISTRY}
_COMPANIES = {OrganisationKind.COMPANY, OrganisationKind.SURVEILLANCE_VENDOR}
# Shelter relationship kind -> (FtM schema, subject property, object property)
_LINKS = {
    "family": ("Family", "person", "relative"),
    "member_of": ("Membership", "member", "organization"),
    "employed_by": ("Employment", "employee", "employer"),
    "associate": ("Associate", "person", "associate"),
}
# informant_for: to a person (the handler) an Associate, to an organisation a Representation (the informant acts
# as the agency's agent); the text says "informant for" either way.
_INFORMANT_LINKS = {True: ("Associate", "person", "associate"), False: ("Representation", "agent", "client")}
_ORGANISATION_SCHEMATA = {"Organization": OrganisationKind.OTHER, "PublicBody": OrganisationKind.MINISTRY,
                          "Company": OrganisationKind.COMPANY, "LegalEntity": OrganisationKind.OTHER}
_SEX = {"male": "m", "female": "f"}


def entity_id(kind: str, pk: int) -> str:
    return f"shelter-{kind}-{pk}"


def _entity(schema: str, kind: str, pk: int) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id(kind, pk)
    return proxy


def _person(person: Person) -> EntityProxy:
    proxy = _entity("Person", "person", person.pk)
    proxy.add("name", person.primary_name)
    proxy.add("alias", [n.full_name for n in person.names.all() if n.full_name != person.primary_name])
    proxy.add("birthDate", person.dob or None)
    proxy.add("nationality", [code.lower() for code in person.nationalities])
    proxy.add("country", person.country_of_residence.lower() or None)
    proxy.add("gender", {"m": "male", "f": "female"}.get(person.sex))
    proxy.add("description", person.description or None)
    proxy.add("keywords", list(person.profile))
    return proxy


def _organisation(organisation: Organisation) -> EntityProxy:
    schema = ("PublicBody" if organisation.kind in _STATE_BODIES
              else "Company" if organisation.kind in _COMPANIES else "Organization")
    proxy = _entity(schema, "organisation", organisation.pk)
    proxy.add("name", organisation.name)
    proxy.add("alias", list(organisation.aliases))
    proxy.add("country", organisation.country.lower() or None)
    proxy.add("classification", organisation.kind)
    proxy.add("description", organisation.description or None)
    return proxy


def _end(relationship: Relationship, end: str) -> str:
    person_id = getattr(relationship, f"{end}_person_id")
    if person_id is not None:
        return entity_id("person", person_id)
    return entity_id("organisation", getattr(relationship, f"{end}_organisation_id"))


def _link_schema(relationship: Relationship) -> tuple[str, str, str]:
    """The FtM schema of a relationship and its two end properties; UnknownLink when the ends do not fit."""
    if relationship.kind == "informant_for":
        schema, subject_property, object_property = _INFORMANT_LINKS[relationship.object_person_id is not None]
    else:
        schema, subject_property, object_property = _LINKS.get(relationship.kind, ("UnknownLink", "subject", "object"))
    person_subject = subject_property in ("person", "member", "employee")
    fits = (schema != "UnknownLink"
            and (schema == "Representation" or (relationship.subject_person_id is not None) == person_subject)
            and (schema in ("Membership", "Employment", "Representation"))
            == (relationship.object_organisation_id is not None))
    return (schema, subject_property, object_property) if fits else ("UnknownLink", "subject", "object")


def _relationship(relationship: Relationship) -> EntityProxy:
    subject, object_ = _end(relationship, "subject"), _end(relationship, "object")
    schema, subject_property, object_property = _link_schema(relationship)
    proxy = _entity(schema, "relationship", relationship.pk)
    proxy.add(subject_property, subject)
    proxy.add(object_property, object_)
    kind, detail = str(relationship.get_kind_display()), relationship.detail
    # The schema names family, membership and employment; for every other kind the text says what it is.
    named_by_schema = relationship.kind in ("family", "member_of", "employed_by") and schema != "UnknownLink"
    text = (detail or kind) if named_by_schema else (f"{kind}: {detail}" if detail else kind)
    proxy.add("relationship" if schema in ("Family", "Associate") else "role", text)
    proxy.add("startDate", relationship.start or None)
    proxy.add("endDate", relationship.end or None)
    proxy.add("description", relationship.description or None)
    return proxy


def _event(incident: Incident, viewer: Viewer) -> EntityProxy:
    proxy = _entity("Event", "incident", incident.pk)
    proxy.add("name", incident.title)
    proxy.add("date", incident.date)
    proxy.add("endDate", incident.end_date or None)
    proxy.add("country", [c.lower() for c in (incident.origin_state, incident.host_country) if c])
    proxy.add("location", incident.place or None)
    proxy.add("keywords", incident.tactic)
    proxy.add("description", incident.description or None)
    for target in visible_to(IncidentTarget.objects.filter(incident=incident), viewer):
        proxy.add("involved", entity_id("person", target.person_id))
    for perpetrator in visible_to(IncidentPerpetrator.objects.filter(incident=incident), viewer):
        kind, pk = (("person", perpetrator.person_id) if perpetrator.person_id
                    else ("organisation", perpetrator.organisation_id))
        proxy.add("organizer", entity_id(kind, pk))
    return proxy


def _entities(viewer: Viewer, only: dict[str, set[int]] | None) -> Iterator[tuple[str, Any, Any]]:
    for label, queryset, convert in (
        ("people", Person.objects.prefetch_related("names"), _person),
        ("organisations", Organisation.objects.all(), _organisation),
        ("relationships", Relationship.objects.all(), _relationship),
        ("incidents", Incident.objects.all(), lambda i: _event(i, viewer)),
    ):
        if only is not None:
            queryset = queryset.filter(pk__in=only.get(label, set()))
        yield label, visible_to(queryset, viewer), convert


def write_ftm(stream: IO[Any], viewer: Viewer, progress: Progress, only: dict[str, set[int]] | None = None) -> int:
    """Write the records ``viewer`` may see; ``only`` narrows each kind (people, organisations, relationships,
    incidents) to the given ids."""
    count = 0
    # Exchanged data: relationship kinds are written in English, whatever language is active.
    with translation.override("en"):
        for label, queryset, convert in _entities(viewer, only):
            with progress(f"exporting {label}", queryset.count()) as bar:
                for record in queryset.iterator(chunk_size=2000):
                    stream.write(json.dumps(convert(record).to_dict(), ensure_ascii=False) + "\n")
                    count += 1
                    bar.update(1)
    return count


def _countries(values: list[str], report: ImportReport, where: str) -> list[str]:
    codes = []
    for value in values:
        try:
            code = country_code(value)
        except UnknownCountryError:
            # FtM also carries historic and regional codes (e.g. suhh for the USSR): kept out, but said so.
            report.notes.append(f"{where}: country '{value}' has no ISO 3166-1 code and was left out")
            continue
        if code not in codes:
            codes.append(code)
    return codes


def _birth_date(values: list[str], report: ImportReport, where: str) -> str:
    for value in values:
        try:
            return str(parse_partial_date(value[:10]))
        except PartialDateError as error:
            report.notes.append(f"{where}: birth date left out ({error})")
    return ""


def _person_values(proxy: EntityProxy, report: ImportReport, where: str) -> dict[str, Any]:
    names = proxy.get("name")
    if not names:
        raise ValidationError({"name": "a Person entity needs a name"})
    kinds = {"previousName": "former"}
    name_rows: list[dict[str, str]] = []
    for prop in ("name", "alias", "weakAlias", "previousName"):
        for value in proxy.get(prop):
            if value != names[0] and value not in (row["full_name"] for row in name_rows):
                name_rows.append({"full_name": value, "kind": kinds.get(prop, "alias")})
    return {
        "primary_name": names[0],
        "names": name_rows,
        "dob": _birth_date(proxy.get("birthDate"), report, where),
        "sex": next((_SEX[g] for g in proxy.get("gender") if g in _SEX), ""),
        "nationalities": _countries(proxy.get("nationality") + proxy.get("citizenship"), report, where),
        "description": "\n".join(proxy.get("notes") + proxy.get("summary") + proxy.get("description")),
    }


def _organisation_values(proxy: EntityProxy, report: ImportReport, where: str) -> dict[str, Any]:
    names = proxy.get("name")
    if not names:
        raise ValidationError({"name": f"a {proxy.schema.name} entity needs a name"})
    countries = _countries(proxy.get("jurisdiction") + proxy.get("country"), report, where)
    return {
        "name": names[0],
        "aliases": [n for n in names[1:] + proxy.get("alias") + proxy.get("weakAlias") if n != names[0]],
        "kind": _ORGANISATION_SCHEMATA[proxy.schema.name],
        "country": countries[0] if countries else "",
        "description": "\n".join(proxy.get("notes") + proxy.get("summary") + proxy.get("description")),
    }


def _proxies(path: Path, report: ImportReport) -> Iterator[tuple[str, EntityProxy]]:
    """The file's entities one line at a time (a line that is not one is reported and skipped)."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in entity_lines(handle):
                if isinstance(line, BadLine):
                    report.add_problem(Problem(line.where, line.field, line.message))
                else:
                    yield line.where, line.proxy
    except UnicodeDecodeError:
        raise ImportRefused(f"{path.name} is not UTF-8 text") from None


def _line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(2**20), b""))


def read_ftm(path: Path, dry_run: bool, progress: Progress) -> ImportReport:
    """Read, check and create the entities one line at a time inside one transaction, undone when any line is
    refused (or on a dry run)."""
    report = ImportReport(source=path.name, dry_run=dry_run)
    skipped: dict[str, int] = {}
    report.created = {"persons": 0, "organisations": 0}
    try:
        with transaction.atomic(), progress("importing entities", _line_count(path)) as bar:
            for where, proxy in _proxies(path, report):
                bar.update(1)
                schema = proxy.schema.name
                try:
                    with transaction.atomic():
                        if schema == "Person":
                            services.create_person(None, _person_values(proxy, report, where))
                            report.created["persons"] += 1
                        elif schema in _ORGANISATION_SCHEMATA:
                            services.create_organisation(None, _organisation_values(proxy, report, where))
                            report.created["organisations"] += 1
                        else:
                            skipped[schema] = skipped.get(schema, 0) + 1
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        for message in messages:
                            report.add_problem(Problem(f"{where} ({proxy.id})", field, message))
            if not report.ok or dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    if skipped:
        report.notes.append("skipped (not people or organisations): "
                            + ", ".join(f"{n} {schema}" for schema, n in sorted(skipped.items())))
    return report


CONNECTOR = Connector(name="ftm", description="FollowTheMoney entities (JSON lines)", read=read_ftm,
                      write=write_ftm)
