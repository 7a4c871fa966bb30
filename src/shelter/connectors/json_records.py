"""Everything as one JSON object: ``{"sources": [...], "persons": [...], "organisations": [...],
"relationships": [...], "incidents": [...]}``, each record as the API shows it.

Import creates new records; the ``id`` of a record in the file is only its label inside the file, used
by the records that refer to it (targets, perpetrators, citations, relationship ends). Case teams are
referred to by name and created when missing. Every record goes through the same write services as the
API, so the same rules and messages apply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from ninja import Schema
from pydantic import ValidationError as PydanticError

from shelter.access.models import Team
from shelter.access.visibility import Viewer
from shelter.api.representations import COLLECTIONS
from shelter.api.schemas import IncidentIn, OrganisationIn, PersonIn, RelationshipIn, SourceIn
from shelter.connectors.base import Connector, DryRunRollback, ImportRefused, ImportReport, Problem, Progress
from shelter.incidents import services as incident_services
from shelter.incidents.evidence import FILE_FIELDS
from shelter.intake import InputRefused, read_json_file
from shelter.registry import services as registry_services

Writer = Callable[[Any, dict[str, Any]], models.Model]

# collection -> (service creating one record, {field: collection its ids refer to}, whether citations apply)
_CREATE: dict[str, tuple[Writer, dict[str, str], bool]] = {
    "sources": (incident_services.create_source, {}, False),
    "persons": (registry_services.create_person, {}, True),
    "organisations": (registry_services.create_organisation, {}, True),
    "relationships": (registry_services.create_relationship,
                      {"subject_person": "persons", "subject_organisation": "organisations",
                       "object_person": "persons", "object_organisation": "organisations"}, True),
    "incidents": (incident_services.create_incident, {}, False),
}
# list fields whose items refer to other records: field -> {item key: collection}
_NESTED_REFERENCES = {
    "targets": {"person": "persons"},
    "perpetrators": {"person": "persons", "organisation": "organisations"},
    "citations": {"source": "sources"},
}
# Fields the export writes that the file cannot set (derived by Shelter; a source's archived file is uploaded
# to it, never named by its digest).
_DERIVED = {"id", "year", *FILE_FIELDS}


def write_json(stream: IO[Any], viewer: Viewer, progress: Progress) -> int:
    """Stream the object collection by collection, so a large workspace never sits in memory at once."""
    count = 0
    stream.write("{")
    for position, (key, (queryset_for, build)) in enumerate(COLLECTIONS.items()):
        queryset = queryset_for(viewer)
        stream.write(("," if position else "") + f"\n{json.dumps(key)}: [")
        with progress(f"exporting {key}", queryset.count()) as bar:
            for index, record in enumerate(queryset.iterator(chunk_size=2000)):
                stream.write(("," if index else "") + "\n  " + json.dumps(build(record, viewer), ensure_ascii=False))
                count += 1
                bar.update(1)
        stream.write("\n]")
    stream.write("\n}\n")
    return count


class _IdMap:
    """File ids -> ids of the records created from them, per collection."""

    def __init__(self) -> None:
        self.ids: dict[str, dict[Any, int]] = {key: {} for key in _CREATE}

    def resolve(self, collection: str, file_id: Any, field: str) -> int:
        if file_id not in self.ids[collection]:
            raise ValidationError({field: f"refers to {collection[:-1]} id {file_id!r}, which is not in the file "
                                          "(or was refused)"})
        return self.ids[collection][file_id]


_SCHEMAS: dict[str, type[Schema]] = {"sources": SourceIn, "persons": PersonIn, "organisations": OrganisationIn,
                                     "relationships": RelationshipIn, "incidents": IncidentIn}


def _checked(collection: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's fields, type-checked by the API's input schema (unknown fields are refused)."""
    try:
        parsed = _SCHEMAS[collection].model_validate({k: v for k, v in record.items() if k not in _DERIVED})
    except PydanticError as error:
        raise ValidationError({".".join(str(part) for part in e["loc"]) or "record": e["msg"]
                               for e in error.errors()}) from None
    return parsed.model_dump(exclude_unset=True)


def _translated(collection: str, record: Mapping[str, Any], references: dict[str, str],
                ids: _IdMap) -> dict[str, Any]:
    values = _checked(collection, record)
    for field, target in references.items():
        if values.get(field) is not None:
            values[field] = ids.resolve(target, values[field], field)
    for field, keys in _NESTED_REFERENCES.items():
        if not isinstance(values.get(field), list):
            continue
        items = []
        for index, item in enumerate(values[field]):
            if not isinstance(item, dict):
                raise ValidationError({f"{field}[{index}]": "expected an object"})
            item = dict(item)
            for key, target in keys.items():
                if item.get(key) is not None:
                    item[key] = ids.resolve(target, item[key], f"{field}[{index}].{key}")
            items.append(item)
        values[field] = items
    return values


def _load(path: Path) -> dict[str, Any]:
    try:
        data = read_json_file(path)  # size and nesting limits of every importer
    except InputRefused as error:
        raise ImportRefused(str(error)) from None
    if not isinstance(data, dict):
        raise ImportRefused(f"{path.name}: expected one JSON object with lists {', '.join(COLLECTIONS)}")
    unknown = set(data) - set(COLLECTIONS)
    if unknown:
        raise ImportRefused(f"{path.name}: unknown key(s) {', '.join(sorted(unknown))} "
                            f"(expected {', '.join(COLLECTIONS)})")
    for key, value in data.items():
        if not isinstance(value, list):
            raise ImportRefused(f"{path.name}: '{key}' must be a list of records")
    return data


def _ensure_teams(data: Mapping[str, list[Any]], report: ImportReport) -> None:
    """Create the case teams the records name; a team list that is not a list of names is reported (with the
    record) when the record is checked."""
    names = {name for records in data.values() for record in records if isinstance(record, dict)
             and isinstance(record.get("teams"), list) for name in record["teams"] if isinstance(name, str)}
    for name in sorted(names):
        if not Team.objects.filter(name=name).exists():
            team = Team(name=name)
            try:
                team.full_clean()
            except ValidationError as error:
                report.problems.extend(Problem(f"case team '{name[:40]}'", "name", message)
                                       for message in error.message_dict.get("name", error.messages))
                continue
            team.save()
            report.notes.append(f"created case team '{name}'")


def _file_id(collection: str, record: Mapping[str, Any], ids: _IdMap) -> Any:
    """The record's ``id`` in the file: a number or a text, not seen before in its collection."""
    if "id" not in record:
        return None
    file_id = record["id"]
    if isinstance(file_id, bool) or not isinstance(file_id, int | str):
        raise ValidationError({"id": f"must be a number or a text, not {type(file_id).__name__}"})
    if file_id in ids.ids[collection]:
        raise ValidationError({"id": f"{file_id!r} is used by an earlier record in {collection}: each record "
                                     "needs its own id"})
    return file_id


def _create_all(data: Mapping[str, list[Any]], report: ImportReport, progress: Progress) -> None:
    ids = _IdMap()
    for collection, (create, references, cited) in _CREATE.items():
        records = data.get(collection, [])
        created = 0
        with progress(f"importing {collection}", len(records)) as bar:
            for index, record in enumerate(records):
                where = f"{collection}[{index}]" + (f" (id {record.get('id')})" if isinstance(record, dict) else "")
                try:
                    if not isinstance(record, dict):
                        raise ValidationError("expected an object")
                    file_id = _file_id(collection, record, ids)
                    values = _translated(collection, record, references, ids)
                    citations = values.pop("citations", None) if cited else None
                    with transaction.atomic():
                        made = create(None, values)
                        if citations is not None:
                            incident_services.set_citations(None, made, citations)
                except ValidationError as error:
                    fields = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                    report.problems.extend(Problem(where, field if field != "__all__" else "", message)
                                           for field, messages in fields for message in messages)
                    continue
                except (TypeError, ValueError, AttributeError) as error:
                    report.problems.append(Problem(where, "", f"malformed record ({error})"))
                    continue
                if file_id is not None:
                    ids.ids[collection][file_id] = made.pk
                created += 1
                bar.update(1)
        report.created[collection] = created


def read_json(path: Path, dry_run: bool, progress: Progress) -> ImportReport:
    report = ImportReport(source=path.name, dry_run=dry_run)
    data = _load(path)
    try:
        with transaction.atomic():
            _ensure_teams(data, report)
            _create_all(data, report, progress)
            if report.problems or dry_run:
                # Validating needs the earlier records in place (for references), so a dry run writes and undoes.
                raise DryRunRollback
    except DryRunRollback:
        pass
    return report


CONNECTOR = Connector(name="json", description="everything as one JSON object (round trip)", read=read_json,
                      write=write_json)
