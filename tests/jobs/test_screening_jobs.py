"""Screening after an import as a job: notices imported within a request, or people saved in one batch, are
screened by a worker when they are more than ``SHELTER_SCREEN_IN_REQUEST``; the asker learns only what they
may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.jobs.models import Job
from shelter.jobs.tasks import run_job
from shelter.jobs.worker import run_queued
from shelter.notices.models import ScreeningMatch
from shelter.notices.screening.registry_changes import screening_for
from shelter.registry import services
from tests.notices.conftest import NOTICE_FIXTURES, imported  # noqa: F401

DETAILS = NOTICE_FIXTURES / "red_notices_details_excerpt.json"
AYUBOV = {"primary_name": "Абдукарим Аюбов", "dob": "1983-04-05", "nationalities": ["TJ"], "sex": "m",
          "confidentiality": "confidential", "at_risk": True}


@pytest.fixture(autouse=True)
def _few_in_request(settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 * 1024 * 1024
    settings.SHELTER_SCREEN_IN_REQUEST = 2


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def _import(user: Any) -> dict[str, Any]:
    answer = _api(user).post("/api/v1/notices/import", DETAILS.read_bytes(), content_type="application/json")
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def test_notices_imported_in_the_request_are_screened_by_a_worker(db, users, ayubov) -> None:  # type: ignore[no-untyped-def]
    answer = _import(users["editor"])
    job = Job.objects.get()
    assert answer["import"].startswith("9 read") and f"job {job.pk}" in answer["screening"]
    assert job.kind == "notices.screen" and job.asker == users["editor"] and not ScreeningMatch.objects.exists()
    run_job.enqueue(str(job.pk))  # a second task naming the same job does not run it twice
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1 and job.done == job.total == 9
    assert job.summary == "9 notices screened: 1 candidates you can see, 1 alerts for people at risk"
    assert ScreeningMatch.objects.filter(person=ayubov).count() == 1


def test_the_screening_summary_follows_the_askers_visibility(db, users, ayubov) -> None:  # type: ignore[no-untyped-def]
    _import(users["outsider"])  # an editor of no team: ayubov (team alpha, confidential) is not theirs to see
    run_queued()
    job = Job.objects.get()
    assert job.status == "done" and ScreeningMatch.objects.filter(person=ayubov).count() == 1
    assert job.summary == "9 notices screened: 0 candidates you can see, 0 alerts for people at risk"


def test_few_notices_are_still_screened_within_the_request(db, users, ayubov, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_SCREEN_IN_REQUEST = 200
    answer = _import(users["editor"])
    assert answer["screening"].startswith("9 notices screened: 1 candidates you can see")
    assert not Job.objects.exists()


@pytest.mark.usefixtures("imported")
def test_people_saved_in_one_batch_are_screened_by_a_worker_for_whoever_saved_them(  # type: ignore[no-untyped-def]
        db, users, django_capture_on_commit_callbacks) -> None:
    with screening_for(users["admin"]), django_capture_on_commit_callbacks(execute=True):
        people = [services.create_person(None, {**AYUBOV, "primary_name": name})
                  for name in ("Абдукарим Аюбов", "Abdukarim Ayubov", "Karina Lindqvist")]
    job = Job.objects.get()
    assert job.kind == "notices.screen_people" and job.asker == users["admin"]
    # (with any saved earlier in this thread by a transaction that rolled back: the job leaves those out)
    assert {person.pk for person in people} <= set(job.params["people"]) and not ScreeningMatch.objects.exists()
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1
    assert ScreeningMatch.objects.filter(person__in=people[:2]).count() == 2
    assert not ScreeningMatch.objects.filter(person=people[2]).exists()
    assert job.summary == "3 people screened: 2 candidates you can see, 2 alerts for people at risk"


def test_a_job_whose_asker_was_deactivated_fails_in_one_line(db, users, ayubov) -> None:  # type: ignore[no-untyped-def]
    _import(users["editor"])
    users["editor"].is_active = False
    users["editor"].save()
    run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and job.error == ("the account of editor, who asked for this job, is "
                                                    "deactivated")
    assert not ScreeningMatch.objects.exists() and job.runs == 0


@pytest.mark.usefixtures("imported")
def test_people_saved_at_the_command_line_are_screened_in_place_however_many(  # type: ignore[no-untyped-def]
        db, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        people = [services.create_person(None, {**AYUBOV, "primary_name": name})
                  for name in ("Абдукарим Аюбов", "Abdukarim Ayubov", "Karina Lindqvist")]
    assert not Job.objects.exists() and ScreeningMatch.objects.filter(person__in=people[:2]).count() == 2
