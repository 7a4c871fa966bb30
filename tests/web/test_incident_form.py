"""The one form that records an incident with its targets, perpetrators and sources."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.registry.models import Person, PersonName

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 2) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "50"}


def incident_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Detention of a blogger in Istanbul",
        "tactic": "detention",
        "date": "2021-03-14",
        "origin_state": "UZ",
        "host_country": "TR",
        "place": "Istanbul",
        "outcome": "detained",
        "verification": "verified",
        "description": "Held for two days on an Interpol diffusion.",
        "confidentiality": "internal",
        **management("targets"), **management("perpetrators"), **management("sources"),
        "targets-0-role": "target", "targets-1-role": "target",
        "perpetrators-0-degree": "suspected", "perpetrators-1-degree": "suspected",
        "sources-0-kind": "url", "sources-1-kind": "url",
        "sources-0-reliability": "unknown", "sources-1-reliability": "unknown",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Incident, Person, PersonName, Source, Citation, IncidentTarget,
                                             IncidentPerpetrator))


def test_records_incident_with_new_target_existing_perpetrator_and_new_source_with_file(
        records, client_for, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    client = client_for("researcher")
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 evidence", content_type="application/x-msdownload")
    response = client.post(reverse("incidents:new"), incident_post(**{
        "targets-0-new_name": "Алишер Усманов", "targets-0-new_alias": "Alisher Usmanov",
        "targets-1-person": str(records["internal"]["person"].pk), "targets-1-role": "relative",
        "perpetrators-0-organisation": str(records["internal"]["organisation"].pk),
        "perpetrators-0-degree": "direct",
        "sources-0-title": "Court ruling", "sources-0-url": "https://example.org/ruling",
        "sources-0-publisher": "Istanbul court", "sources-0-published_on": "2021-04", "sources-0-file": upload,
        "sources-0-locator": "para. 12",
        "sources-1-source": str(records["public"]["source"].pk),
    }))
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get(title="Detention of a blogger in Istanbul")
    assert response["Location"] == incident.get_absolute_url()
    assert incident.year == 2021 and incident.origin_state == "UZ"
    new_person = Person.objects.get(primary_name="Алишер Усманов")
    assert sorted(new_person.all_names()) == ["Alisher Usmanov", "Алишер Усманов"]
    assert new_person.confidentiality == "internal"
    roles = dict(IncidentTarget.objects.filter(incident=incident).values_list("person__primary_name", "role"))
    assert roles == {"Алишер Усманов": "target", "Rustam Internalov": "relative"}
    assert IncidentPerpetrator.objects.get(incident=incident).organisation == records["internal"]["organisation"]
    new_source = Source.objects.get(title="Court ruling")
    assert new_source.file_type == "application/pdf" and new_source.file_size == 17
    assert len(new_source.file_sha256) == 64 and new_source.file_name == "letter.pdf"
    cited = set(Citation.objects.filter(incident=incident).values_list("source__title", "locator"))
    assert cited == {("Court ruling", "para. 12"), ("Report public", "")}


@pytest.mark.parametrize("field, value, message", [
    ("date", "2019-02-31", "February 2019 has 28 days"),
    ("date", "31/02/2019", "is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("origin_state", "XX", "“XX” is not a known country"),
    ("host_country", "Narnia", "“Narnia” is not a known country"),
    ("tactic", "teleportation", "“teleportation” is not a tactic in the taxonomy"),
    ("title", "", "This field is required"),
    ("sources-0-published_on", "2020-13", "there is no month 13"),
])
def test_bad_input_is_a_clear_error_and_nothing_is_written(records, client_for, field, value, message):  # type: ignore[no-untyped-def]
    before = counts()
    data = incident_post(**{"targets-0-new_name": "New Person", "sources-0-title": "A source", field: value})
    response = client_for("editor").post(reverse("incidents:new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[page.find("error"):][:500]
    assert "Nothing was saved" in page
    assert counts() == before


def test_oversized_upload_is_refused_before_anything_is_written(records, client_for, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_BYTES = 1024
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    before = counts()
    upload = SimpleUploadedFile("big.bin", b"x" * 4096)
    response = client_for("editor").post(reverse("incidents:new"), incident_post(**{
        "targets-0-new_name": "New Person", "sources-0-title": "Leaked file", "sources-0-file": upload}))
    assert response.status_code == 200
    assert "the largest accepted upload is 0.0 MiB" in response.content.decode() or \
        "largest accepted upload" in response.content.decode()
    assert counts() == before
    assert not any((tmp_path / "evidence").rglob("*")) if (tmp_path / "evidence").exists() else True


def test_script_in_text_fields_is_stored_as_text_and_shown_escaped(client_for, users):  # type: ignore[no-untyped-def]
    client = client_for("editor")
    response = client.post(reverse("incidents:new"), incident_post(**{
        "title": "<script>alert(1)</script>", "targets-0-new_name": '<img src=x onerror="alert(2)">'}))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.title == "<script>alert(1)</script>"
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src=x onerror' not in page


def test_a_hidden_person_cannot_be_attached_by_posting_its_id(records, client_for):  # type: ignore[no-untyped-def]
    before = counts()
    hidden = records["confidential"]["person"]
    response = client_for("researcher").post(reverse("incidents:new"), incident_post(**{
        "targets-0-person": str(hidden.pk)}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not exist or you may not see it" in page
    assert hidden.primary_name not in page
    assert counts() == before


def test_the_same_person_twice_and_person_plus_new_name_are_refused(records, client_for):  # type: ignore[no-untyped-def]
    person = str(records["public"]["person"].pk)
    client = client_for("editor")
    page = client.post(reverse("incidents:new"), incident_post(**{
        "targets-0-person": person, "targets-1-person": person})).content.decode()
    assert "The same person is listed twice" in page
    page = client.post(reverse("incidents:new"), incident_post(**{
        "targets-0-person": person, "targets-0-new_name": "Someone"})).content.decode()
    assert "not both" in page


def test_confidential_incident_needs_a_team_and_its_new_target_inherits_it(users, teams, client_for):  # type: ignore[no-untyped-def]
    client = client_for("editor")
    page = client.post(reverse("incidents:new"), incident_post(confidentiality="confidential")).content.decode()
    assert "needs at least one case team" in page
    response = client.post(reverse("incidents:new"), incident_post(**{
        "confidentiality": "confidential", "teams": [str(teams["alpha"].pk)],
        "targets-0-new_name": "Hidden Witness"}))
    assert response.status_code == 302
    witness = Person.objects.get(primary_name="Hidden Witness")
    assert witness.confidentiality == "confidential"
    assert list(witness.teams.all()) == [teams["alpha"]]
    assert client_for("researcher").get(witness.get_absolute_url()).status_code == 404


def test_team_choices_are_limited_to_the_users_teams(users, teams, client_for):  # type: ignore[no-untyped-def]
    before = counts()
    page = client_for("editor").post(reverse("incidents:new"), incident_post(confidentiality="confidential", teams=[str(teams["beta"].pk)])).content.decode()
    assert "Select a valid choice" in page
    assert counts() == before


def test_viewers_cannot_record_or_edit(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    assert client.get(reverse("incidents:new")).status_code == 403
    assert client.post(reverse("incidents:new"), incident_post()).status_code == 403
    assert client.get(reverse("incidents:edit", args=[records["internal"]["incident"].pk])).status_code == 403
    assert client_for(None).get(reverse("incidents:new")).status_code == 302
    assert Incident.objects.filter(title="Detention of a blogger in Istanbul").count() == 0


def test_editing_keeps_links_and_removes_ticked_ones(records, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    target = IncidentTarget.objects.get(incident=incident)
    client = client_for("researcher")
    assert client.get(reverse("incidents:edit", args=[incident.pk])).status_code == 200
    response = client.post(reverse("incidents:edit", args=[incident.pk]), incident_post(**{
        "title": "Detention in Istanbul (updated)", "remove_target": [str(target.pk)],
        "targets-0-new_name": "Second Target"}))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Detention in Istanbul (updated)"
    names = set(IncidentTarget.objects.filter(incident=incident).values_list("person__primary_name", flat=True))
    assert names == {"Second Target"}
    assert Citation.objects.filter(incident=incident).count() == 1


def test_hidden_incident_cannot_be_edited(records, client_for):  # type: ignore[no-untyped-def]
    hidden = records["confidential"]["incident"]
    assert client_for("researcher").get(reverse("incidents:edit", args=[hidden.pk])).status_code == 404


def test_editing_keeps_a_case_team_the_editor_is_not_in(records, teams, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    incident.teams.set([teams["beta"]])
    client = client_for("editor")
    form = client.get(reverse("incidents:edit", args=[incident.pk])).content.decode()
    offered = set(re.findall(r'name="(?:[\w-]+-)?teams" value="(\d+)"', form))
    assert offered == {str(teams["alpha"].pk)}  # the editor's own teams only
    response = client.post(reverse("incidents:edit", args=[incident.pk]),
                           incident_post(title="Renamed", teams=[str(teams["alpha"].pk)]))
    assert response.status_code == 302
    assert set(incident.teams.all()) == {teams["alpha"], teams["beta"]}
