"""A job's progress in the web: its page and the jobs page poll a fragment (htmx) that shows the progress as the
worker reports it and stops polling once the job is finished; the fragment answers the asker (and admins) only;
whichever page a started job leads to shows the asker's jobs under way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shelter.jobs.models import Job
from shelter.jobs.services import Progress
from shelter.jobs.worker import run_queued
from tests.notices.conftest import NOTICE_FIXTURES

CSV = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 100


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fragment(user: Any, job: Job) -> Any:
    return _client(user).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")


def _import(user: Any) -> tuple[Job, Any]:
    with CSV.open("rb") as handle:
        answer = _client(user).post("/notices/import/", {"file": handle, "confidentiality": "public", "published": "on"}, follow=True)
    return Job.objects.get(), answer


def test_the_fragment_shows_the_progress_as_it_changes_and_stops_polling_when_done(users: Any) -> None:
    job, _ = _import(users["editor"])
    queued = _fragment(users["editor"], job).content.decode()
    assert "waiting for a worker" in queued and 'hx-trigger="every 2s"' in queued and "<progress" in queued
    Job.objects.filter(pk=job.pk).update(status="running")
    Progress(job).update("importing notices", 6, 30)
    running = _fragment(users["editor"], job).content.decode()
    assert "importing notices: 6 of 30" in running and 'value="20"' in running and "hx-get" in running
    Progress(job).update("screening notices", 27, 30)
    assert 'value="90"' in _fragment(users["editor"], job).content.decode()
    Job.objects.filter(pk=job.pk).update(status="queued")
    run_queued()
    done = _fragment(users["editor"], job).content.decode()
    assert "30 read" in done and "hx-get" not in done and "<progress" not in done and 'data-status="done"' in done
    finished_page = _client(users["editor"]).get(f"/jobs/{job.pk}/?cancellable=1", HTTP_HX_REQUEST="true")
    assert "/cancel/" not in finished_page.content.decode()


def test_the_cancel_button_is_polled_with_the_progress_on_the_job_page_only(users: Any) -> None:
    job, answer = _import(users["editor"])
    page = answer.content.decode()
    assert f'hx-get="/jobs/{job.pk}/?cancellable=1"' in page and f'action="/jobs/{job.pk}/cancel/"' in page
    fragment = _client(users["editor"]).get(f"/jobs/{job.pk}/?cancellable=1", HTTP_HX_REQUEST="true").content
    assert f'action="/jobs/{job.pk}/cancel/"'.encode() in fragment and b"csrfmiddlewaretoken" in fragment
    listed = _client(users["editor"]).get("/jobs/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/"' in listed and "/cancel/" not in listed


def test_the_fragment_answers_the_asker_and_admins_only(users: Any) -> None:
    job, _ = _import(users["editor"])
    Job.objects.filter(pk=job.pk).update(status="running")
    Progress(job).update("importing notices", 6, 30)
    assert _fragment(users["admin"], job).status_code == 200
    for other in ("researcher", "viewer", "outsider"):
        answer = _fragment(users[other], job)
        assert answer.status_code == 404 and b"importing notices" not in answer.content
    anonymous = Client().get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_the_page_a_started_job_leads_to_shows_its_live_progress(users: Any, settings: Any) -> None:
    job, answer = _import(users["editor"])
    page = answer.content.decode()
    assert answer.redirect_chain[-1][0] == f"/jobs/{job.pk}/"
    assert page.count(f'id="job-{job.pk}"') == 1 and f'hx-get="/jobs/{job.pk}/?cancellable=1"' in page  # once

    # A small import is done within the request, and its screening handed to a worker: the notices page it
    # leads to shows that job under way, to its asker only.
    Job.objects.all().delete()
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 * 1024 * 1024
    settings.SHELTER_SCREEN_IN_REQUEST = 0
    screening, answer = _import(users["editor"])
    assert answer.redirect_chain[-1][0] == "/notices/" and screening.kind != job.kind
    page = answer.content.decode()
    assert 'class="running-jobs"' in page and f'hx-get="/jobs/{screening.pk}/"' in page
    for other in ("admin", "researcher"):
        assert str(screening.pk) not in _client(users[other]).get("/notices/").content.decode()
    run_queued()
    assert 'class="running-jobs"' not in _client(users["editor"]).get("/notices/").content.decode()


def test_pages_load_htmx_from_the_copy_vendored_with_its_licence(users: Any) -> None:
    import hashlib
    import json
    from pathlib import Path

    import shelter.web

    vendor = Path(shelter.web.__file__).parent / "static" / "shelter" / "vendor"
    [entry] = [e for e in json.loads((vendor / "VENDOR.json").read_text(encoding="utf-8")) if e["name"] == "htmx.org"]
    assert entry["license"] == "0BSD" and "htmx.min.js" in entry["files"]
    for name, digest in entry["files"].items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest
    page = _client(users["editor"]).get("/jobs/").content.decode()
    assert '<script src="/static/shelter/vendor/htmx.min.js" defer>' in page
