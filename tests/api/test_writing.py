"""Writing through the API: roles, validation (422 naming the field), atomicity, history, hidden links."""

from __future__ import annotations

import pytest

from shelter.incidents.models import Incident, IncidentTarget
from shelter.registry.models import Person
from shelter.search.index import index_records

pytestmark = pytest.mark.django_db

NEW_INCIDENT = {"title": "Detention at Vnukovo airport", "tactic": "detention", "date": "2018-02-20",
                "origin_state": "TJ", "host_country": "RU", "confidentiality": "internal"}


def _fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    return {"/".join(str(part) for part in entry["loc"][1:]) for entry in response.json()["detail"]}


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403), ("viewer_public", 403),
                                              ("researcher", 201), ("editor", 201), ("outsider", 201),
                                              ("admin", 201)])
def test_who_may_create(role, status, call, records):  # type: ignore[no-untyped-def]
    response = call(role, "POST", "incidents/", NEW_INCIDENT)
    assert response.status_code == status, response.content
    assert Incident.objects.filter(title=NEW_INCIDENT["title"]).exists() == (status == 201)


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("researcher", 403), ("editor", 204),
                                              ("admin", 204)])
def test_who_may_delete(role, status, call, records):  # type: ignore[no-untyped-def]
    incident = records["internal"]
    assert call(role, "DELETE", f"incidents/{incident.pk}").status_code == status
    assert Incident.objects.filter(pk=incident.pk).exists() == (status != 204)
    if status == 204:
        assert call(role, "GET", f"incidents/{incident.pk}").status_code == 404
        latest = incident.history.first()
        assert latest.deleted is not None and latest.history_change_reason == "deleted"
        # Soft deleted: kept for admins (the trash), hidden from every manager and filter.
        assert Incident._base_manager.filter(pk=incident.pk, deleted__isnull=False).exists()


def test_create_with_targets_perpetrators_and_citations_is_recorded_in_history(call, records, users):  # type: ignore[no-untyped-def]
    body = {**NEW_INCIDENT, "title": "Relatives threatened", "tactic": "Угрозы родственникам",
            "description": "<img src=x onerror=alert(1)>",
            "targets": [{"person": records["person_public"].pk, "role": "relative"}],
            "perpetrators": [{"organisation": records["agency"].pk, "degree": "direct"}],
            "citations": [{"source": records["source_public"].pk, "locator": "p. 7"}]}
    response = call("editor", "POST", "incidents/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["tactic"] == "threats_to_relatives"
    assert created["description"] == "<img src=x onerror=alert(1)>"  # stored and returned as text
    assert created["targets"] == [{"person": records["person_public"].pk, "role": "relative"}]
    assert created["perpetrators"][0]["degree"] == "direct"
    incident = Incident.objects.get(pk=created["id"])
    assert incident.history.last().history_user == users["editor"]
    assert IncidentTarget.objects.get(incident=incident).history.get().history_user == users["editor"]


@pytest.mark.parametrize(("change", "field"), [
    ({"date": "31/02/2019"}, "date"),
    ({"date": "2019-02-29"}, "date"),
    ({"tactic": "teleportation"}, "tactic"),
    ({"origin_state": "Atlantis"}, "origin_state"),
    ({"origin_state": "Uzbekistan"}, "origin_state"),
    ({"host_country": "XX"}, "host_country"),
    ({"verification": "maybe"}, "verification"),
    ({"confidentiality": "secret"}, "confidentiality"),
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"colour": "red"}, "payload/colour"),
    ({"targets": [{"person": "Alice"}]}, "payload/targets/0/person"),
    ({"targets": [{"person": 999999}]}, "targets[0].person"),
    ({"teams": ["no-such-team"]}, "teams"),
])
def test_invalid_values_are_422_naming_the_field_and_write_nothing(change, field, call, records):  # type: ignore[no-untyped-def]
    before = Incident.objects.count(), IncidentTarget.objects.count()
    response = call("editor", "POST", "incidents/", {**NEW_INCIDENT, **change})
    assert field in _fields(response)
    assert (Incident.objects.count(), IncidentTarget.objects.count()) == before


def test_a_failing_list_rolls_back_the_whole_write(call, records):  # type: ignore[no-untyped-def]
    incident = records["internal"]
    response = call("editor", "PATCH", f"incidents/{incident.pk}", {
        "title": "Changed", "targets": [{"person": records["person_public"].pk}, {"person": 999999}]})
    assert "targets[1].person" in _fields(response)
    incident.refresh_from_db()
    assert incident.title == "Incident internal" and not incident.targets.exists()


def test_linking_a_hidden_record_looks_like_linking_a_missing_one(call, records):  # type: ignore[no-untyped-def]
    hidden = call("editor", "POST", "incidents/", {**NEW_INCIDENT, "targets": [{"person": records["person_secret"].pk}]})
    missing = call("editor", "POST", "incidents/", {**NEW_INCIDENT, "targets": [{"person": 999999}]})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"][0]["msg"].replace(str(records["person_secret"].pk), "N") == \
        missing.json()["detail"][0]["msg"].replace("999999", "N")


def test_changing_or_deleting_a_hidden_record_is_404(call, records):  # type: ignore[no-untyped-def]
    secret = records["confidential_beta"]
    assert call("editor", "PATCH", f"incidents/{secret.pk}", {"title": "mine now"}).status_code == 404
    assert call("editor", "DELETE", f"incidents/{secret.pk}").status_code == 404
    secret.refresh_from_db()
    assert secret.title == "Incident confidential_beta"


def test_clearance_and_teams_bound_what_a_writer_may_file(call, records, users):  # type: ignore[no-untyped-def]
    users["viewer"].role = "researcher"  # internal clearance, team alpha
    users["viewer"].save()
    assert "confidentiality" in _fields(call("viewer", "POST", "incidents/",
                                             {**NEW_INCIDENT, "confidentiality": "confidential"}))
    assert "teams" in _fields(call("editor", "POST", "incidents/", {**NEW_INCIDENT, "teams": ["beta"]}))
    response = call("editor", "POST", "incidents/", {**NEW_INCIDENT, "confidentiality": "confidential"})
    assert response.status_code == 201
    assert response.json()["teams"] == ["alpha"]  # a confidential record is filed under the writer's teams
    assert call("editor", "GET", f"incidents/{response.json()['id']}").status_code == 200


def test_patch_changes_only_what_is_sent(call, records):  # type: ignore[no-untyped-def]
    incident = records["internal"]
    response = call("editor", "PATCH", f"incidents/{incident.pk}", {"verification": "verified"})
    assert response.status_code == 200
    assert response.json()["verification"] == "verified" and response.json()["title"] == "Incident internal"
    assert incident.history.count() == 2


def test_people_organisations_relationships_and_sources(call, records):  # type: ignore[no-untyped-def]
    person = call("editor", "POST", "people/", {
        "primary_name": "Zarina Nazarova", "dob": "1985-03", "nationalities": ["TJ"],
        "names": [{"full_name": "Зарина Назарова", "language": "ru"}],
        "citations": [{"source": records["source_public"].pk}]})
    assert person.status_code == 201, person.content
    assert person.json()["names"][0]["script"] == "Cyrl"
    assert "nationalities" in _fields(call("editor", "POST", "people/", {"primary_name": "X", "nationalities": ["XX"]}))
    assert "names[0].kind" in _fields(call("editor", "POST", "people/", {
        "primary_name": "X", "names": [{"full_name": "Y", "kind": "nickname"}]}))
    organisation = call("editor", "POST", "organisations/", {"name": "Diaspora Council", "kind": "diaspora",
                                                             "country": "DE"})
    assert organisation.status_code == 201
    relationship = call("editor", "POST", "relationships/", {
        "kind": "member_of", "subject_person": person.json()["id"],
        "object_organisation": organisation.json()["id"], "start": "2015"})
    assert relationship.status_code == 201, relationship.content
    assert call("editor", "GET", f"relationships/?person={person.json()['id']}").json()["count"] == 1
    index_records("person")
    assert call("editor", "GET", "relationships/?q=назарова").json()["count"] == 1
    assert call("editor", "GET", "relationships/?q=nobody").json()["count"] == 0
    assert "subject" in _fields(call("editor", "POST", "relationships/", {
        "kind": "family", "object_person": person.json()["id"]}))
    source = call("researcher", "POST", "sources/", {"title": "Interview", "kind": "testimony",
                                                     "published_on": "2024-01", "url": "javascript:alert(1)"})
    assert source.status_code == 201 and source.json()["url"] == "javascript:alert(1)"
    assert "published_on" in _fields(call("researcher", "POST", "sources/", {"title": "T", "published_on": "soon"}))
    assert Person.objects.get(pk=person.json()["id"]).history.last().history_type == "+"


def test_oversized_request_body_is_refused(call, records, settings):  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = call("editor", "POST", "incidents/", {**NEW_INCIDENT, "description": "x" * 20_000})
    assert response.status_code == 413
    assert "larger than the 9 KiB limit" in response.json()["detail"]
    assert not Incident.objects.filter(title=NEW_INCIDENT["title"]).exists()
