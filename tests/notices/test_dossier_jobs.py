"""A dossier PDF is laid out by a worker the first time a reader asks for it: the page (or the API) answers at once
with the job, later requests get the stored file while the dossier is unchanged for that reader, whatever the
time, and the file follows its asker's visibility."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from shelter.access.models import AccessEvent, ApiToken
from shelter.jobs.models import Job
from shelter.jobs.worker import run_queued
from shelter.notices.models import Notice
from tests.notices.test_dossier import case  # noqa: F401

pytestmark = pytest.mark.django_db


def _browser(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _downloads(notice: Notice) -> int:
    return AccessEvent.objects.filter(action="downloaded", kind="notices.notice", record_id=notice.pk).count()


def test_the_page_answers_with_the_job_then_the_stored_file_whatever_the_time(  # type: ignore[no-untyped-def]
        case, users, teams, monkeypatch) -> None:  # noqa: F811
    case.confidentiality = "confidential"  # the access log notes confidential records
    case.save()
    case.teams.add(teams["alpha"])
    url = f"/notices/{case.pk}/dossier.pdf"
    editor = _browser(users["editor"])
    first = editor.get(url)
    assert first.status_code == 202 and 'id="job-document"' in first.content.decode()
    assert editor.get(url).status_code == 202 and Job.objects.filter(kind="notices.dossier_pdf").count() == 1
    assert _downloads(case) == 0  # nothing sent yet
    run_queued()
    assert "hx-get" not in editor.get(url, HTTP_HX_REQUEST="true").content.decode()  # ready: the page stops looking
    answer = editor.get(url)
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment; filename=\"dossier-")
    pdf = answer.getvalue()
    assert "Аюбов" in _text(pdf) and _downloads(case) == 1
    later = timezone.now() + timedelta(hours=5)  # a dossier asked for again later: the same facts, the same file
    monkeypatch.setattr("shelter.notices.assessment.dossier.timezone.now", lambda: later)
    assert editor.get(url).getvalue() == pdf and Job.objects.filter(kind="notices.dossier_pdf").count() == 1
    case.surname = "AYUBOV-CHANGED"
    case.save()
    assert editor.get(url).status_code == 202  # the notice changed: laid out again
    assert Job.objects.filter(kind="notices.dossier_pdf").count() == 2


def test_the_file_follows_the_asker_s_visibility(case, users, teams) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = f"/notices/{case.pk}/dossier.pdf"
    editor, researcher = _browser(users["editor"]), _browser(users["researcher"])
    editor.get(url)
    run_queued()
    (editor_job,) = Job.objects.filter(kind="notices.dossier_pdf")
    assert editor_job.asker == users["editor"]
    # The researcher (another team) gets a job of their own, without the confidential client, not the editor's.
    assert researcher.get(url).status_code == 202
    assert researcher.get(f"/jobs/{editor_job.pk}/result/").status_code == 404
    run_queued()
    text = _text(researcher.get(url).getvalue())
    assert "2019/34876" in text and "Аюбов" not in text and "Худжанде" not in text
    # A notice its asker may no longer see when the job runs: the job fails in one line, nothing is kept.
    case.confidentiality = "confidential"
    case.save()
    case.teams.add(teams["alpha"])
    outsider = _browser(users["outsider"])
    assert outsider.get(url).status_code == 404  # hidden: answered "not found" before any job
    case.confidentiality = "public"
    case.save()
    assert outsider.get(url).status_code == 202
    case.confidentiality = "confidential"
    case.save()
    run_queued()
    failed = Job.objects.filter(kind="notices.dossier_pdf", asker=users["outsider"]).get()
    assert failed.status == "failed" and "not visible" in failed.error and not hasattr(failed, "result")


def test_the_api_answers_202_with_the_job_then_the_pdf(case, users) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(users['editor'])}")
    url = f"/api/v1/notices/{case.pk}/dossier.pdf"
    answer = api.get(url)
    assert answer.status_code == 202 and answer["Retry-After"] == "2"
    body = answer.json()
    assert body["result"] == url and body["status"] == "queued"
    assert api.get(body["progress"]).json()["kind"] == "notices.dossier_pdf"
    run_queued()
    pdf = api.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and b"%PDF" in pdf.getvalue()
    # An anonymous caller of the published notice: a job of no asker, laid out with what anyone may see.
    assert Client().get(url).status_code == 202
    assert Job.objects.filter(kind="notices.dossier_pdf", asker=None).count() == 1
    run_queued()
    public = Client().get(url)
    assert public.status_code == 200 and "Аюбов" not in _text(public.getvalue())
