"""The two uses of the network as jobs asked for through the API: the indicator feeds' update and the fetch of
notices from Interpol's public API, both answered here from recorded files (never the network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.jobs.models import Job
from shelter.jobs.worker import run_queued
from shelter.notices.intake import connector
from shelter.notices.models import Notice, ScreeningMatch
from shelter.triage import feeds
from tests.notices.test_connector import RecordedServer
from tests.triage.test_feeds import recorded_fetch


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Path:
    from shelter.triage.feeds import _loaded

    monkeypatch.setenv("SHELTER_HOME", str(tmp_path))
    settings.SHELTER_HOME = tmp_path
    settings.SHELTER_NOTICE_FETCH_DELAY = 0
    _loaded.clear()
    return tmp_path


def test_an_administrator_updates_the_feeds_through_a_job(db, users, private_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "fetch_over_https", recorded_fetch)
    assert _api(users["editor"]).post("/api/v1/threats/feeds/update").status_code == 403
    answer = _api(users["admin"]).post("/api/v1/threats/feeds/update")
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    assert Job.objects.count() == 1 and {spec.origin for spec in feeds.active_feeds()} == {"shipped"}
    run_queued()
    job = Job.objects.get()
    total = len(feeds.shipped_feeds())
    assert job.status == "done" and job.runs == 1 and job.summary == f"{total} of {total} feeds updated"
    assert {spec.origin for spec in feeds.active_feeds()} == {"updated"}


def test_a_feeds_update_that_updates_nothing_fails_in_one_line(db, users, private_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def offline(url: str) -> bytes:
        raise OSError("network unreachable")

    monkeypatch.setattr(feeds, "fetch_over_https", offline)
    _api(users["admin"]).post("/api/v1/threats/feeds/update")
    run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error.startswith("no feed was updated; ")
    assert job.error.endswith("kept the previous copy: network unreachable") and "\n" not in job.error


def test_a_notice_fetch_downloads_imports_and_screens_for_its_asker(  # type: ignore[no-untyped-def]
        db, users, ayubov, private_home, monkeypatch) -> None:
    server = RecordedServer()
    monkeypatch.setattr(connector, "http_get", server)
    assert _api(users["researcher"]).post("/api/v1/notices/fetch", {"nationality": "tj"},
                                          content_type="application/json").status_code == 403
    bad = _api(users["editor"]).post("/api/v1/notices/fetch", {"nationality": "T1"}, content_type="application/json")
    assert bad.status_code == 422 and "two-letter country code" in bad.json()["detail"]
    answer = _api(users["editor"]).post("/api/v1/notices/fetch", {"nationality": "tj"},
                                        content_type="application/json")
    assert answer.status_code == 200 and not server.requests  # nothing is fetched within the request
    run_queued()
    job = Job.objects.get(pk=answer.json()["job"])
    assert job.status == "done" and job.runs == 1 and job.asker == users["editor"]
    assert job.summary.startswith("fetched 3 notices listed; pages: 1 fetched")
    assert "1 candidates you can see" in job.summary and ScreeningMatch.objects.filter(person=ayubov).count() == 1
    assert Notice.objects.filter(entity_id__in=["2019/34876", "2021/69190"]).count() == 2
    assert not (private_home / "notices" / "fetched" / str(job.pk)).exists()


def test_a_refused_fetch_fails_in_one_line_and_imports_nothing(  # type: ignore[no-untyped-def]
        db, users, private_home, monkeypatch) -> None:
    monkeypatch.setattr(connector, "http_get", lambda url: b'{"error": "maintenance"}')
    answer = _api(users["editor"]).post("/api/v1/notices/fetch", {"nationality": "TJ"},
                                        content_type="application/json")
    run_queued()
    job = Job.objects.get(pk=answer.json()["job"])
    assert job.status == "failed" and "not a notices list page" in job.error and "\n" not in job.error
    assert job.error.endswith("(nothing was imported; ask again later)")
    assert not Notice.objects.exists() and not (private_home / "notices" / "fetched" / str(job.pk)).exists()


def test_the_fetch_page_starts_a_job_and_shows_its_page(db, users, private_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server = RecordedServer()
    monkeypatch.setattr(connector, "http_get", server)
    editor = Client()
    editor.force_login(users["editor"])
    assert "Interpol" in editor.get("/notices/import/").content.decode()
    refused = editor.post("/notices/fetch/", {"nationality": "T1", "details": "on"})
    assert refused.status_code == 200 and "two-letter country code" in refused.content.decode()
    researcher = Client()
    researcher.force_login(users["researcher"])
    assert researcher.post("/notices/fetch/", {"nationality": "TJ"}).status_code == 403
    assert not Job.objects.exists()
    answer = editor.post("/notices/fetch/", {"nationality": "tj", "details": "on"})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/" and not server.requests
    assert job.params == {"filters": {"nationality": "TJ"}, "max_pages": None, "with_details": True,
                          "language": "en"}
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and Notice.objects.count() == 3


def test_an_administrator_starts_the_feeds_update_from_the_reports_page(db, users, private_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "fetch_over_https", recorded_fetch)
    admin, editor = Client(), Client()
    admin.force_login(users["admin"])
    editor.force_login(users["editor"])
    assert "Update the indicator feeds" in admin.get("/threats/").content.decode()
    assert "Update the indicator feeds" not in editor.get("/threats/").content.decode()
    assert editor.post("/threats/feeds/update/").status_code == 403 and not Job.objects.exists()
    answer = admin.post("/threats/feeds/update/")
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/" and job.kind == "triage.feeds_update"
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.asker == users["admin"]
