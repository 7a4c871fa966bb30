"""Background jobs: a large notice import through the web or the API is queued, run once by a worker from the
database queue, followed by its asker only, cancelled, and retried or failed when its worker is lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone, translation

from shelter.access.models import ApiToken
from shelter.access.visibility import visible_to
from shelter.cli import main
from shelter.jobs.models import Job
from shelter.jobs.services import recover_lost, start
from shelter.jobs.tasks import run_job
from shelter.jobs.worker import run_queued
from shelter.notices.models import Notice, NoticeStatusEvent, ScreeningMatch
from tests.notices.conftest import NOTICE_FIXTURES

CSV = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"
DETAILS = NOTICE_FIXTURES / "red_notices_details_excerpt.json"


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 100


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def _web_import(user: Any) -> Job:
    with CSV.open("rb") as handle:
        response = _client(user).post("/notices/import/", {"file": handle, "confidentiality": "public", "published": "on"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job


def test_a_large_web_import_answers_at_once_and_a_worker_imports_it(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    assert job.status == "queued" and job.asker == users["editor"] and Notice.objects.count() == 0
    run_queued()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert Notice.objects.count() == 30 and job.runs == 1 and job.attempts == 1
    assert job.summary.startswith("interpol-list-csv: 30 read: 30 new") and "screened" in job.summary
    assert job.done == job.total == 30 and bytes(job.payload) == b""


def test_a_job_speaks_the_language_of_the_request_that_started_it(db, users) -> None:  # type: ignore[no-untyped-def]
    with CSV.open("rb") as handle:
        _client(users["editor"]).post("/notices/import/", {"file": handle, "confidentiality": "public", "published": "on"}, HTTP_ACCEPT_LANGUAGE="ru")
    russian = Job.objects.get()
    with translation.override("en"):  # the worker's thread has another language active
        run_queued()
    russian.refresh_from_db()
    assert russian.status == "done" and russian.summary.startswith("interpol-list-csv: прочитано: 30")
    Job.objects.all().delete()
    Notice.objects.all().delete()
    english = _web_import(users["editor"])
    with translation.override("ru"):
        run_queued()
    english.refresh_from_db()
    assert english.summary.startswith("interpol-list-csv: 30 read")


def test_an_import_below_the_threshold_stays_within_the_request(db, users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 * 1024 * 1024
    with CSV.open("rb") as handle:
        response = _client(users["editor"]).post("/notices/import/", {"file": handle, "confidentiality": "public", "published": "on"})
    assert response.status_code == 302 and Notice.objects.count() == 30 and not Job.objects.exists()


def test_a_large_api_import_returns_its_job_and_only_the_asker_and_admins_follow_it(  # type: ignore[no-untyped-def]
        db, users, ayubov) -> None:
    answer = _api(users["editor"]).post("/api/v1/notices/import", DETAILS.read_bytes(),
                                        content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    job_url = answer.json()["progress"]
    assert _api(users["editor"]).get(job_url).json()["status"] == "queued"
    run_queued()
    followed = _api(users["editor"]).get(job_url).json()
    assert followed["status"] == "done" and "1 candidates you can see" in followed["summary"]
    assert ScreeningMatch.objects.filter(person=ayubov).count() == 1
    assert _api(users["admin"]).get(job_url).status_code == 200
    for other in ("researcher", "viewer", "outsider"):
        assert _api(users[other]).get(job_url).status_code == 404
        assert _api(users[other]).get("/api/v1/jobs/").json()["count"] == 0
    assert Client().get(job_url).status_code == 401
    assert _api(users["editor"]).get("/api/v1/jobs/").json()["count"] == 1


def test_bad_input_is_refused_before_anything_is_queued(db, users) -> None:  # type: ignore[no-untyped-def]
    answer = _api(users["editor"]).post("/api/v1/notices/import", b"x" * 200, content_type="text/plain")
    assert answer.status_code == 415 and not Job.objects.exists()
    bad_id = _api(users["editor"]).get("/api/v1/jobs/not-a-job")
    assert bad_id.status_code == 422 and bad_id["Content-Type"].startswith("application/json")


def test_an_unreadable_file_fails_its_job_with_one_line_for_the_asker(db, users) -> None:  # type: ignore[no-untyped-def]
    answer = _api(users["editor"]).post("/api/v1/notices/import", b"{" * 200, content_type="application/json")
    run_queued()
    job = Job.objects.get(pk=answer.json()["job"])
    assert job.status == "failed" and job.error and "\n" not in job.error and Notice.objects.count() == 0


def test_the_jobs_pages_show_a_job_to_its_asker_and_admins_only(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    page = _client(users["editor"]).get(f"/jobs/{job.pk}/").content.decode()
    assert "waiting for a worker" in page and 'hx-get="/jobs/' in page
    fragment = _client(users["editor"]).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment
    run_queued()
    done = _client(users["editor"]).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "30 read" in done and "hx-get" not in done
    assert _client(users["admin"]).get(f"/jobs/{job.pk}/").status_code == 200
    assert str(job.pk) in _client(users["admin"]).get("/jobs/").content.decode()
    for other in ("researcher", "viewer"):
        assert _client(users[other]).get(f"/jobs/{job.pk}/").status_code == 404
        assert str(job.pk) not in _client(users[other]).get("/jobs/").content.decode()
    assert _client().get("/jobs/").status_code == 302
    assert not visible_to(Job.objects.all(), None).exists()


def test_a_job_runs_once_however_many_tasks_name_it(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    run_job.enqueue(str(job.pk))
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1 and Notice.objects.count() == 30
    assert NoticeStatusEvent.objects.count() == 30


def test_a_cancelled_job_is_not_run(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    assert _client(users["researcher"]).post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert _client(users["editor"]).post(f"/jobs/{job.pk}/cancel/").status_code == 302
    run_queued()
    job.refresh_from_db()
    assert job.status == "cancelled" and Notice.objects.count() == 0
    again = _api(users["editor"]).post(f"/api/v1/jobs/{job.pk}/cancel")
    assert again.status_code == 409 and "already cancelled" in again.json()["detail"]


def test_a_cancellation_during_the_run_keeps_nothing_of_the_import(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # as `cancel` does once the job runs
    run_queued()
    job.refresh_from_db()
    assert job.status == "cancelled" and Notice.objects.count() == 0 and job.runs == 0


def test_a_job_whose_worker_died_is_retried_once_then_failed(db, users, settings) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    long_ago = timezone.now() - timedelta(minutes=5)
    # The first worker claimed the job, then died before committing anything.
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, worker="gone", heartbeat=long_ago)
    assert [lost.pk for lost in recover_lost()] == [job.pk]
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.runs == 1 and Notice.objects.count() == 30

    second = start("notices.import", users["editor"], {"suffix": ".csv"}, payload=CSV.read_bytes())
    Job.objects.filter(pk=second.pk).update(status="running", attempts=2, worker="gone", heartbeat=long_ago)
    recover_lost()
    second.refresh_from_db()
    assert second.status == "failed" and "stopped mid-job 2 times" in second.error
    # A running job with a live heartbeat is left alone.
    third = start("notices.import", users["editor"], {"suffix": ".csv"}, payload=CSV.read_bytes())
    Job.objects.filter(pk=third.pk).update(status="running", attempts=1, worker="alive", heartbeat=timezone.now())
    assert recover_lost() == []


def test_the_command_line_lists_shows_and_cancels_jobs(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    runner = CliRunner()
    listed = runner.invoke(main, ["jobs", "list"])
    assert listed.exit_code == 0 and str(job.pk) in listed.output and "editor" in listed.output
    shown = runner.invoke(main, ["jobs", "show", str(job.pk)])
    assert shown.exit_code == 0 and "waiting for a worker" in shown.output
    cancelled = runner.invoke(main, ["jobs", "cancel", str(job.pk)])
    assert cancelled.exit_code == 0 and "cancelled" in cancelled.output
    missing = runner.invoke(main, ["jobs", "show", "nope"])
    assert missing.exit_code == 2 and "no job 'nope'" in missing.output


def test_the_command_line_follows_a_job_until_it_finishes(db, users) -> None:  # type: ignore[no-untyped-def]
    job = _web_import(users["editor"])
    run_queued()
    followed = CliRunner().invoke(main, ["jobs", "show", str(job.pk), "--wait"])
    assert followed.exit_code == 0 and " done " in followed.output and "summary: interpol-list-csv" in followed.output
