"""JSON: export everything, wipe, import, export again: the same records come back."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest

from shelter.access.models import Team
from shelter.connectors.base import ImportRefused
from shelter.connectors.json_records import read_json, write_json
from shelter.incidents import services as incident_services
from shelter.incidents.models import Incident, Source
from shelter.registry import services as registry_services
from shelter.registry.models import Organisation, Person, Relationship
from tests.connectors.conftest import SILENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(teams):  # type: ignore[no-untyped-def]
    source = incident_services.create_source(None, {
        "title": "Court ruling", "kind": "court_record", "url": "https://example.org/ruling", "published_on": "2020-02",
        "reliability": "high", "confidentiality": "public"})
    person = registry_services.create_person(None, {
        "primary_name": "Rustam Nazarov", "dob": "1980-04", "sex": "m", "nationalities": ["TJ", "RU"],
        "names": [{"full_name": "Рустам Назаров", "language": "ru"}], "profile": ["opposition"],
        "confidentiality": "confidential", "teams": ["alpha"]})
    relative = registry_services.create_person(None, {"primary_name": "Zarina Nazarova", "confidentiality": "internal"})
    agency = registry_services.create_organisation(None, {
        "name": "State Committee for National Security", "aliases": ["GKNB"], "kind": "security_service",
        "country": "TJ", "confidentiality": "public", "published": True})
    relationship = registry_services.create_relationship(None, {
        "kind": "family", "detail": "sister", "subject_person": relative.pk, "object_person": person.pk,
        "confidentiality": "internal"})
    incident_services.set_citations(None, relationship, [{"source": source.pk, "locator": "p. 4"}])
    incident_services.create_incident(None, {
        "title": "Sister questioned in Dushanbe", "tactic": "threats_to_relatives", "date": "2021-06-03",
        "origin_state": "TJ", "host_country": "TJ", "description": "<b>not markup</b>",
        "confidentiality": "confidential", "teams": ["alpha", "beta"],
        "targets": [{"person": relative.pk, "role": "relative"}, {"person": person.pk}],
        "perpetrators": [{"organisation": agency.pk, "degree": "direct"}],
        "citations": [{"source": source.pk, "locator": "§ 12"}]})


def _export(viewer: Any = None) -> dict[str, list[dict[str, Any]]]:
    from shelter.access.models import User

    buffer = io.StringIO()
    write_json(buffer, viewer or User(username="operator", role="admin", is_superuser=True), SILENT)
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def _without_ids(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Replace every id (and reference) by the referenced record's position, so two exports compare."""
    position = {key: {r["id"]: i for i, r in enumerate(records)} for key, records in data.items()}
    refs = {"person": "persons", "organisation": "organisations", "source": "sources",
            "subject_person": "persons", "object_person": "persons",
            "subject_organisation": "organisations", "object_organisation": "organisations"}

    def strip(value: Any) -> Any:
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: (position[refs[k]][v] if k in refs and v is not None else strip(v))
                    for k, v in value.items() if k != "id"}
        return value

    return {key: strip(records) for key, records in data.items()}


def test_round_trip_keeps_every_record_and_link(workspace, tmp_path):  # type: ignore[no-untyped-def]
    first = _export()
    assert {k: len(v) for k, v in first.items()} == {"sources": 1, "persons": 2, "organisations": 1,
                                                      "relationships": 1, "incidents": 1}
    path = tmp_path / "workspace.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    for model in (Incident, Relationship, Person, Organisation, Source, Team):
        model.objects.all().delete()
    report = read_json(path, False, SILENT)
    assert report.ok, report.problems
    assert report.notes == ["created case team 'alpha'", "created case team 'beta'"]
    assert _without_ids(_export()) == _without_ids(first)
    incident = Incident.objects.get()
    assert incident.description == "<b>not markup</b>"
    assert incident.history.last().history_type == "+"  # oldest entry: the creation


def _without_id(problem: str) -> str:
    """Problems name the record's id in the file; ids differ between databases, so tests leave them out."""
    return re.sub(r" \(id \d+\)", "", problem)


def test_dry_run_and_bad_records_write_nothing(workspace, tmp_path):  # type: ignore[no-untyped-def]
    data = _export()
    data["sources"][0]["colour"] = "red"
    data["persons"][0]["nationalities"] = ["Atlantis"]
    data["organisations"][0]["kind"] = "cartel"
    data["incidents"][0]["targets"].append({"person": 999})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = Incident.objects.count(), Person.objects.count(), Source.objects.count()
    problems = [_without_id(str(p)) for p in read_json(path, False, SILENT).problems]
    assert "sources[0], colour: Extra inputs are not permitted" in problems
    assert any(p.startswith("persons[0], nationalities:") and "'Atlantis'" in p for p in problems), problems
    assert any(p.startswith("organisations[0], kind:") and "cartel" in p for p in problems), problems
    assert any(p.startswith("incidents[0], targets[") for p in problems), problems
    assert (Incident.objects.count(), Person.objects.count(), Source.objects.count()) == before

    data = _export()
    data["incidents"][0]["date"] = "2021-02-30"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = [_without_id(str(p)) for p in read_json(path, False, SILENT).problems]
    assert problems == ["incidents[0], date: date '2021-02-30' is not a date: February 2021 has 28 days"]
    assert Incident.objects.count() == before[0]

    path.write_text(json.dumps(_export()), encoding="utf-8")
    report = read_json(path, True, SILENT)
    assert report.ok and report.created["incidents"] == 1
    assert (Incident.objects.count(), Person.objects.count(), Source.objects.count()) == before


@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "expected one JSON object"),
    ('{"incidents": {}}', "'incidents' must be a list"),
    ('{"people": []}', "unknown key"),
])
def test_malformed_json_is_refused(tmp_path, text, expected):  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused, match=expected):
        read_json(path, False, SILENT)


def test_export_hides_what_the_viewer_may_not_see(workspace, users):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    public = _export(AnonymousUser())
    assert {k: len(v) for k, v in public.items()} == {"sources": 0, "persons": 0, "organisations": 1,
                                                       "relationships": 0, "incidents": 0}
    viewer = _export(users["viewer"])
    assert [p["primary_name"] for p in viewer["persons"]] == ["Zarina Nazarova"]
    assert viewer["incidents"] == [] and len(viewer["relationships"]) == 0  # its object person is confidential
    researcher = _export(users["researcher"])  # team beta: sees the incident, not Rustam (team alpha)
    [incident] = researcher["incidents"]
    assert [t["role"] for t in incident["targets"]] == ["relative"]
