"""Index rebuilds asked for through the API run as jobs: the full-text search index, kind by kind, and the
registry's names index; administrators only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from shelter.access.models import ApiToken
from shelter.jobs.models import Job
from shelter.jobs.worker import run_queued
from shelter.registry.models import Person
from shelter.search.index import searchable_kinds
from shelter.search.models import SearchDocument


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def test_an_administrator_rebuilds_both_indexes_as_jobs(db, users, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path
    Person.objects.create(primary_name="Rustam Nazarov", confidentiality="internal")
    Person.objects.create(primary_name="Karina Lindqvist", confidentiality="internal")
    SearchDocument.objects.all().delete()  # as if the index were lost
    for role in ("editor", "researcher"):
        refused = _api(users[role]).post("/api/v1/records/reindex")
        assert refused.status_code == 403 and "only an administrator" in refused.json()["detail"]
    answer = _api(users["admin"]).post("/api/v1/records/reindex")
    assert answer.status_code == 200 and len(answer.json()["jobs"]) == 2
    assert not SearchDocument.objects.exists()
    run_queued()
    search = Job.objects.get(kind="search.rebuild")
    names = Job.objects.get(kind="notices.registry_index")
    assert search.status == names.status == "done" and search.runs == names.runs == 1
    assert SearchDocument.objects.filter(kind="person").count() == 2
    assert search.summary.startswith(f"{SearchDocument.objects.count()} documents indexed: ")
    assert search.checkpoint["indexed"].keys() == set(searchable_kinds())
    assert names.summary == "names index rebuilt: 2 people"
    assert (tmp_path / "notices" / "registry.index").exists()


def test_a_retried_rebuild_resumes_after_the_kinds_it_committed(db, users) -> None:  # type: ignore[no-untyped-def]
    Person.objects.create(primary_name="Rustam Nazarov", confidentiality="internal")
    job = _api(users["admin"]).post("/api/v1/records/reindex").json()["jobs"][0]["job"]
    done_before = {kind: 0 for kind in searchable_kinds() if kind != "person"}
    Job.objects.filter(pk=job).update(checkpoint={"indexed": done_before})
    SearchDocument.objects.all().delete()
    run_queued()
    assert set(SearchDocument.objects.values_list("kind", flat=True)) == {"person"}
    assert Job.objects.get(pk=job).summary.startswith("1 documents indexed: ")


def test_an_administrator_rebuilds_the_indexes_from_the_import_page(db, users, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path
    admin, editor = Client(), Client()
    admin.force_login(users["admin"])
    editor.force_login(users["editor"])
    assert "Rebuild the indexes" in admin.get("/records/import/").content.decode()
    assert editor.post("/records/reindex/").status_code == 403 and not Job.objects.exists()
    answer = admin.post("/records/reindex/")
    assert answer.status_code == 302 and answer["Location"] == "/jobs/"
    assert sorted(Job.objects.values_list("kind", flat=True)) == ["notices.registry_index", "search.rebuild"]
    run_queued()
    assert set(Job.objects.values_list("status", flat=True)) == {"done"}
