"""FollowTheMoney: people and organisations in; people, organisations, relationships and events out."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from followthemoney import model

from shelter.connectors.ftm_entities import entity_id, read_ftm, write_ftm
from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
from shelter.registry.models import Organisation, Person, Relationship
from shelter.search.index import index_records, search
from tests.conftest import shared_data
from tests.connectors.conftest import SILENT, fixture

pytestmark = pytest.mark.django_db


def test_people_and_organisations_come_in_with_every_name():  # type: ignore[no-untyped-def]
    report = read_ftm(fixture("entities.ftm.json"), False, SILENT)
    assert report.ok, report.problems
    assert report.created == {"persons": 3, "organisations": 2}
    assert "skipped (not people or organisations): 1 Sanction" in report.notes
    assert any("'suhh' has no ISO 3166-1 code" in note for note in report.notes)
    karimova = Person.objects.get(primary_name="Гульнора Каримова")
    assert (karimova.dob, karimova.sex, karimova.nationalities) == ("1972-07-08", "f", ["UZ"])
    assert sorted(n.full_name for n in karimova.names.all()) == ["Gulnara Karimova", "Gulnora Karimova"]
    nazarov = Person.objects.get(primary_name="Rustam Nazarov")
    assert nazarov.nationalities == ["TJ"]
    assert [(n.full_name, n.kind, n.script) for n in nazarov.names.all()] == [("Рустам Назаров", "former", "Cyrl")]
    agency = Organisation.objects.get(name="State Security Service")
    assert (agency.kind, agency.country, agency.aliases) == ("ministry", "UZ", ["SGB"])
    assert Organisation.objects.get(name="Example Surveillance Ltd").kind == "company"
    assert Person.objects.filter(primary_name="Delta Person", confidentiality="internal").exists()
    index_records("person")
    assert list(search(Person.objects.all(), "karimova")) == [karimova]


def test_bad_lines_are_named_and_nothing_is_written(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.ftm.json"
    good = fixture("entities.ftm.json").read_text(encoding="utf-8").splitlines()[0]
    path.write_text("\n".join([
        good,
        "{not json",
        json.dumps({"id": "x", "schema": "Spaceship", "properties": {}}),
        json.dumps({"id": "y", "schema": "Person", "properties": {"alias": ["No Name"]}}),
    ]), encoding="utf-8")
    report = read_ftm(path, False, SILENT)
    problems = [str(p) for p in report.problems]
    assert problems[0].startswith("line 2: not a JSON object")
    assert problems[1].startswith("line 3, schema: not a FollowTheMoney entity")
    assert problems[2] == "line 4 (y), name: a Person entity needs a name"
    assert not Person.objects.exists()


def test_dry_run_writes_nothing():  # type: ignore[no-untyped-def]
    report = read_ftm(fixture("entities.ftm.json"), True, SILENT)
    assert report.ok and report.created["persons"] == 3
    assert not Person.objects.exists() and not Organisation.objects.exists()


def test_export_uses_ftm_schemata_and_the_visibility_filter(users):  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Alisher Usmonov", nationalities=["UZ"], dob="1975",
                                   confidentiality="public", published=True)
    hidden = Person.objects.create(primary_name="Hidden Informant", confidentiality="internal")
    agency = Organisation.objects.create(name="SNB", kind="security_service", country="UZ",
                                         confidentiality="public", published=True)
    Relationship.objects.create(kind="employed_by", subject_person=person, object_organisation=agency,
                                confidentiality="public", published=True)
    incident = Incident.objects.create(title="Abduction", tactic="rendition", date="2019-05", origin_state="UZ",
                                       host_country="TR", confidentiality="public", published=True)
    IncidentTarget.objects.create(incident=incident, person=person)
    IncidentTarget.objects.create(incident=incident, person=hidden)
    IncidentPerpetrator.objects.create(incident=incident, organisation=agency)

    def export(viewer):  # type: ignore[no-untyped-def]
        buffer = io.StringIO()
        write_ftm(buffer, viewer, SILENT)
        return {e["id"]: model.get_proxy(e) for e in map(json.loads, buffer.getvalue().splitlines())}

    public = export(AnonymousUser())
    assert entity_id("person", hidden.pk) not in public
    assert {e.schema.name for e in public.values()} == {"Person", "PublicBody", "Employment", "Event"}
    event = public[entity_id("incident", incident.pk)]
    assert event.get("involved") == [entity_id("person", person.pk)]
    assert event.get("organizer") == [entity_id("organisation", agency.pk)]
    assert event.get("country") == ["uz", "tr"]
    assert public[entity_id("person", person.pk)].get("birthDate") == ["1975"]
    inside = export(users["viewer"])
    assert sorted(inside[entity_id("incident", incident.pk)].get("involved")) == sorted(
        [entity_id("person", person.pk), entity_id("person", hidden.pk)])


@pytest.mark.shared_data
def test_real_opensanctions_entities_import():  # type: ignore[no-untyped-def]
    path = shared_data("opensanctions_ftm_samples", "yente_t1_entities.ftm.json")
    report = read_ftm(path, False, SILENT)
    assert report.ok, report.problems
    assert report.created == {"persons": 4, "organisations": 2}
    index_records("person")
    latin = list(search(Person.objects.all(), "pokhodova"))
    assert len(latin) == 1 and list(search(Person.objects.all(), "Паўлаўна ПАХОДАВА")) == latin


def test_values_the_library_would_drop_are_noted(tmp_path):  # type: ignore[no-untyped-def]
    """An invalid birth date or an unknown country is said in the report, not dropped without a word."""
    path = tmp_path / "odd.ftm.json"
    path.write_text(json.dumps({"id": "p1", "schema": "Person", "properties": {
        "name": ["Odd Values"], "birthDate": ["1970-13-45"], "nationality": ["Narnia"]}}) + "\n", encoding="utf-8")
    report = read_ftm(path, False, SILENT)
    assert report.ok, report.problems
    notes = " ".join(report.notes)
    assert "line 1: birth date left out" in notes
    assert "line 1: country 'Narnia' has no ISO 3166-1 code" in notes
    person = Person.objects.get(primary_name="Odd Values")
    assert person.dob == "" and person.nationalities == []
