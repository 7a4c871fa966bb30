"""The records import and export of the API as jobs: a large file is imported by a worker, all or nothing, by
an administrator only; an export is made when its job runs, through the asker's visibility as it is then, and
its file is handed to the asker and admins only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.jobs.models import Job
from shelter.jobs.services import result_parts
from shelter.jobs.tasks import run_job
from shelter.jobs.worker import run_queued
from shelter.registry.models import Person
from tests.conftest import FIXTURES

ENTITIES = FIXTURES / "connectors" / "entities.ftm.json"


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 100


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def _import(user: Any, body: bytes) -> Any:
    return _api(user).post("/api/v1/records/import", body, content_type="application/x-ndjson")


def test_a_large_import_is_done_once_by_a_worker_all_records_at_once(db, users) -> None:  # type: ignore[no-untyped-def]
    answer = _import(users["admin"], ENTITIES.read_bytes())
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    job = Job.objects.get(pk=answer.json()["job"])
    assert job.kind == "records.import" and job.asker == users["admin"] and not Person.objects.exists()
    run_job.enqueue(str(job.pk))
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1 and bytes(job.payload) == b""
    assert Person.objects.count() == 3 and job.summary.startswith("upload.jsonl: created ")
    assert _api(users["admin"]).get(f"/api/v1/jobs/{job.pk}").json()["summary"] == job.summary
    assert _api(users["editor"]).get(f"/api/v1/jobs/{job.pk}").status_code == 404


def test_only_an_administrator_imports_records(db, users) -> None:  # type: ignore[no-untyped-def]
    for role in ("editor", "researcher", "viewer"):
        answer = _import(users[role], ENTITIES.read_bytes())
        assert answer.status_code == 403 and "only an administrator" in answer.json()["detail"]
    assert not Job.objects.exists() and not Person.objects.exists()


def test_a_refused_file_fails_its_job_in_one_line_and_writes_nothing(db, users) -> None:  # type: ignore[no-untyped-def]
    lines = ENTITIES.read_bytes() + b'{"id": "p-9", "schema": "Person", "properties": {"birthDate": ["x"]}}\n'
    job_id = _import(users["admin"], lines).json()["job"]
    run_queued()
    job = Job.objects.get(pk=job_id)
    assert job.status == "failed" and "\n" not in job.error and not Person.objects.exists()
    assert job.error.startswith("upload.jsonl: refused, nothing was written") and "; first: " in job.error


def test_a_small_import_stays_within_the_request(db, users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 * 1024 * 1024
    answer = _import(users["admin"], ENTITIES.read_bytes())
    assert answer.status_code == 200 and answer.json()["import"].startswith("upload.jsonl: created ")
    assert Person.objects.count() == 3 and not Job.objects.exists()
    unknown = _api(users["admin"]).post("/api/v1/records/import", b"x" * 10, content_type="text/plain")
    assert unknown.status_code == 415 and unknown["Content-Type"].startswith("application/json")


@pytest.fixture
def two_people(db, teams) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    made = {}
    for team in ("alpha", "beta"):
        person = Person.objects.create(primary_name=f"Client of {team}", confidentiality="confidential")
        person.teams.add(teams[team])
        made[team] = person
    return made


def _export(user: Any, format_name: str = "json") -> Job:
    answer = _api(user).post(f"/api/v1/records/export?format={format_name}")
    assert answer.status_code == 200, answer.content
    job = Job.objects.get(pk=answer.json()["job"])
    assert answer.json()["result"] == f"/api/v1/jobs/{job.pk}/result"
    return job


def test_an_export_holds_what_its_asker_may_see_and_only_they_and_admins_fetch_it(  # type: ignore[no-untyped-def]
        db, users, two_people) -> None:
    job = _export(users["editor"])
    assert _api(users["editor"]).get(f"/api/v1/jobs/{job.pk}/result").status_code == 404  # not made yet
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1 and f"/jobs/{job.pk}/result/" in job.summary
    answer = _api(users["editor"]).get(f"/api/v1/jobs/{job.pk}/result")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    body = answer.getvalue()
    names = [person["primary_name"] for person in json.loads(body)["persons"]]
    assert names == ["Client of alpha"]
    assert _api(users["admin"]).get(f"/api/v1/jobs/{job.pk}/result").getvalue() == body
    assert _api(users["researcher"]).get(f"/api/v1/jobs/{job.pk}/result").status_code == 404
    web = Client()
    web.force_login(users["editor"])
    assert web.get(f"/jobs/{job.pk}/result/").getvalue() == body
    web.force_login(users["researcher"])
    assert web.get(f"/jobs/{job.pk}/result/").status_code == 404


def test_an_export_follows_the_askers_visibility_when_it_runs(db, users, two_people, teams) -> None:  # type: ignore[no-untyped-def]
    job = _export(users["editor"], "ftm")
    users["editor"].teams.remove(teams["alpha"])  # left the team after asking, before a worker ran the job
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and "Client of" not in b"".join(result_parts(job.result)).decode()


def test_an_unknown_export_format_is_refused_in_json(db, users) -> None:  # type: ignore[no-untyped-def]
    answer = _api(users["editor"]).post("/api/v1/records/export?format=pdf")
    assert answer.status_code == 422 and "unknown export format 'pdf'" in answer.json()["detail"]
    assert not Job.objects.exists()


def test_an_import_whose_asker_is_no_longer_an_administrator_fails_in_one_line(db, users) -> None:  # type: ignore[no-untyped-def]
    admin = users["admin"]
    job_id = _import(admin, ENTITIES.read_bytes()).json()["job"]
    admin.role = "editor"
    admin.save()
    run_queued()
    job = Job.objects.get(pk=job_id)
    assert job.status == "failed" and job.error == "only an administrator may import records from a file"
    assert not Person.objects.exists()


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_import_page_queues_a_large_file_and_imports_a_small_one_at_once(db, users, settings) -> None:  # type: ignore[no-untyped-def]
    assert _browser(users["editor"]).get("/records/import/").status_code == 403
    admin = _browser(users["admin"])
    with ENTITIES.open("rb") as handle:
        answer = admin.post("/records/import/", {"file": handle})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/" and not Person.objects.exists()
    run_queued()
    assert Person.objects.count() == 3
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 * 1024 * 1024
    with ENTITIES.open("rb") as handle:
        again = admin.post("/records/import/", {"file": handle, "dry_run": "on"}, follow=True)
    assert "upload" not in again.content.decode() and "entities.ftm.json: would create" in again.content.decode()
    assert Person.objects.count() == 3 and Job.objects.count() == 1


def test_the_export_page_starts_a_job_for_whoever_is_signed_in(db, users, two_people) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/records/export/").status_code == 302
    answer = _browser(users["editor"]).post("/records/export/", {"format": "ftm"})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/" and job.asker == users["editor"]
    run_queued()
    job.refresh_from_db()
    exported = _browser(users["editor"]).get(f"/jobs/{job.pk}/result/").getvalue().decode()
    assert job.status == "done" and "Client of alpha" in exported and "Client of beta" not in exported


def test_a_cancelled_export_keeps_no_file(db, users, two_people) -> None:  # type: ignore[no-untyped-def]
    job = _export(users["editor"])
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # as `cancel` does once the job runs
    run_queued()
    job.refresh_from_db()
    assert job.status == "cancelled" and job.runs == 0
    assert _api(users["editor"]).get(f"/api/v1/jobs/{job.pk}/result").status_code == 404


def test_an_export_is_kept_and_sent_in_parts_exactly_as_the_command_line_writes_it(  # type: ignore[no-untyped-def]
        db, users, two_people, monkeypatch) -> None:
    """Written to a temporary file record by record, kept in parts of PART_BYTES (small here, so that a small export
    takes several), sent a part at a time: the download is byte for byte the command line's export."""
    import io

    from shelter.connectors.base import no_progress
    from shelter.connectors.formats import connector
    from shelter.jobs import services

    monkeypatch.setattr(services, "PART_BYTES", 100)
    job = _export(users["editor"], "json")
    run_queued()
    job.refresh_from_db()
    expected = io.StringIO(newline="")
    connector("json").write(expected, users["editor"], no_progress)  # type: ignore[misc]
    data = expected.getvalue().encode("utf-8")
    parts = list(job.result.parts.values_list("number", flat=True))
    assert len(data) > 300 and parts == list(range(len(parts))) and len(parts) == -(-len(data) // 100)
    assert job.result.size == len(data)
    answer = _api(users["editor"]).get(f"/api/v1/jobs/{job.pk}/result")
    assert answer.streaming and answer["Content-Length"] == str(len(data)) and answer.getvalue() == data
