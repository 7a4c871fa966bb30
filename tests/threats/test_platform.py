"""Triage in the platform: upload, safe report page, record as incident, access control."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shelter.incidents.models import Incident
from shelter.registry.models import Person
from shelter.threats.models import ThreatReport
from shelter.threats.storage import load_message

pytestmark = pytest.mark.django_db

PHISHING = (
    b"From: Google Security <no-reply@accounts-google-security.top>\r\n"
    b"To: exile@example.org\r\n"
    b"Subject: =?utf-8?b?0JLQsNGIINCw0LrQutCw0YPQvdGCINC30LDQsdC70L7QutC40YDQvtCy0LDQvQ==?=\r\n"
    b"Date: Tue, 14 May 2024 09:12:00 +0000\r\n"
    b"Reply-To: recovery.team2024@gmail.com\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><body><script>alert('x')</script><p>Verify your password now:</p>"
    b"<a href=\"http://accounts-google-security.top/signin/verify?user=exile\">https://accounts.google.com</a>"
    b"<img src=\"http://tracker.example/p.gif\" width=1 height=1></body></html>\r\n"
)


@pytest.fixture
def target(teams):  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Dilnoza Karimova", confidentiality="confidential",
                                   country_of_residence="DE")
    person.teams.add(teams["alpha"])
    return person


def upload(client, user, teams, **extra):  # type: ignore[no-untyped-def]
    client.force_login(user)
    data = {"message": SimpleUploadedFile("summons.eml", PHISHING), "confidentiality": "confidential",
            "teams": [teams["alpha"].pk], **extra}
    return client.post(reverse("threats:upload"), data)


def test_upload_gives_a_verdict_and_stores_the_message(client, users, teams):  # type: ignore[no-untyped-def]
    response = upload(client, users["editor"], teams)
    assert response.status_code == 302
    report = ThreatReport.objects.get()
    assert report.verdict in ("malicious", "suspicious")
    assert report.report["verdict"]["findings"]
    assert load_message(report.message_sha256) == PHISHING
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in body, "message HTML must never be rendered"
    assert "accounts-google-security.top" in body
    assert "Ваш аккаунт заблокирован" in body


def test_report_hidden_from_those_outside_its_team(client, users, teams):  # type: ignore[no-untyped-def]
    upload(client, users["editor"], teams)
    report = ThreatReport.objects.get()
    for who in ("researcher", "viewer", "outsider"):
        client.force_login(users[who])
        assert client.get(reverse("threats:report", args=[report.pk])).status_code == 404
        assert report.subject not in client.get(reverse("threats:list")).content.decode()
    client.logout()
    assert client.get(reverse("threats:report", args=[report.pk])).status_code == 302


def test_record_as_incident_links_person_and_keeps_confidentiality(client, users, teams, target):  # type: ignore[no-untyped-def]
    upload(client, users["editor"], teams)
    report = ThreatReport.objects.get()
    response = client.post(reverse("threats:record_incident", args=[report.pk]),
                           {"tactic": "phishing", "origin_state": "UZ", "person": target.pk, "date": ""})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.tactic == "phishing" and incident.date == "2024-05-14"
    assert incident.confidentiality == "confidential" and list(incident.teams.all()) == [teams["alpha"]]
    assert incident.host_country == "DE"
    assert list(incident.targets.values_list("person_id", flat=True)) == [target.pk]
    report.refresh_from_db()
    assert report.incident == incident and report.person == target


def test_cannot_link_a_person_one_cannot_see(client, users, teams, target):  # type: ignore[no-untyped-def]
    response = upload(client, users["researcher"], {"alpha": teams["beta"]}, person=target.pk)
    assert response.status_code == 200
    assert "may not see it" in response.content.decode()
    assert not ThreatReport.objects.exists()


def test_viewer_cannot_record_incidents(client, users, teams, target):  # type: ignore[no-untyped-def]
    upload(client, users["editor"], teams)
    report = ThreatReport.objects.get()
    client.force_login(users["viewer"])
    report.confidentiality = "internal"
    report.save()
    response = client.post(reverse("threats:record_incident", args=[report.pk]),
                           {"tactic": "phishing", "origin_state": "UZ", "person": target.pk})
    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_values_are_checked(client, users, teams):  # type: ignore[no-untyped-def]
    client.force_login(users["editor"])
    response = client.post(reverse("threats:upload"), {"values": "accounts-google-security.top\n8.8.8.8",
                                                       "confidentiality": "internal"})
    assert response.status_code == 302
    assert ThreatReport.objects.filter(kind="value").count() == 2


def test_empty_submission_is_a_clear_error(client, users):  # type: ignore[no-untyped-def]
    client.force_login(users["editor"])
    response = client.post(reverse("threats:upload"), {"confidentiality": "internal"})
    assert response.status_code == 200
    assert "Upload a message or enter at least one value" in response.content.decode()


def test_report_page_in_russian(client, users, teams):  # type: ignore[no-untyped-def]
    response = upload(client, users["editor"], teams)
    client.cookies["django_language"] = "ru"
    body = client.get(response.url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Советы для человека" in body and "Находки" in body


def test_api_reports_follow_visibility_and_check_is_offline(client, users, teams):  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    upload(client, users["editor"], teams)
    report = ThreatReport.objects.get()
    client.logout()
    editor = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(users['editor'])}"}
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(users['outsider'])}"}
    assert client.get("/api/v1/threats/reports", **editor).json()["count"] == 1
    assert client.get("/api/v1/threats/reports", **outsider).json() == {"items": [], "count": 0}
    assert client.get(f"/api/v1/threats/reports/{report.pk}", **outsider).status_code == 404
    assert client.get(f"/api/v1/threats/reports/{report.pk}", **editor).json()["report"]["sha256"]
    assert client.get("/api/v1/threats/reports").status_code == 401
    checked = client.post("/api/v1/threats/check", {"values": ["accounts-google-security.top"]},
                          content_type="application/json", **editor).json()
    assert checked[0]["value"] == "accounts-google-security.top" and checked[0]["verdict"]
