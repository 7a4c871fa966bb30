"""A briefing PDF is laid out by a worker the first time it is asked for: the page answers at once with the job and
follows it, later requests get the stored file while the briefing is unchanged, and the file follows its asker's
visibility (never handed to someone whose own briefing differs)."""

from __future__ import annotations

import io

import pytest

from shelter.jobs.worker import run_queued
from tests.analytics.conftest import SECRET_MARK

pytestmark = pytest.mark.django_db

URL = "/analytics/states/UZ/briefing.pdf?year_from=2014&year_to=2026"


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _jobs():  # type: ignore[no-untyped-def]
    from shelter.jobs.models import Job

    return Job.objects.filter(kind="analytics.briefing_pdf").order_by("created")


def test_first_request_answers_with_the_job_then_the_stored_file(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_pdf
    from shelter.analytics.services import Audience

    client.force_login(users["viewer"])
    first = client.get(URL)
    assert first.status_code == 202 and first["Cache-Control"] == "private, no-store"
    page = first.content.decode()
    assert 'id="job-document"' in page and "hx-get=" in page and "waiting for a worker" in page
    assert client.get(URL).status_code == 202 and _jobs().count() == 1  # asked again: the same job
    (job,) = _jobs()
    assert job.asker == users["viewer"] and job.params["state"] == "UZ" and job.params["public"] is False

    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and "PDF" in job.summary
    polled = client.get(URL, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "hx-get" not in polled.content.decode()  # stops polling: ready
    assert f'href="{URL.replace("&", "&amp;")}"' in polled.content.decode()
    answer = client.get(URL)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pdf = answer.getvalue()
    assert pdf == render_pdf(build_briefing("UZ", Audience(users["viewer"]), 2014, 2026))
    assert client.get(URL).getvalue() == pdf and _jobs().count() == 1  # unchanged: the stored file

    from shelter.incidents.models import Incident

    Incident.objects.create(title="A new public case", tactic="detention", date="2020-05", origin_state="UZ",
                            host_country="TR", outcome="detained", confidentiality="public", published=True)
    assert client.get(URL).status_code == 202 and _jobs().count() == 2  # the data changed: laid out again
    run_queued()
    again = client.get(URL).getvalue()
    assert again == render_pdf(build_briefing("UZ", Audience(users["viewer"]), 2014, 2026)) != pdf


def test_the_file_follows_the_asker_s_visibility(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_pdf
    from shelter.analytics.services import Audience

    def own(user):  # type: ignore[no-untyped-def]
        return render_pdf(build_briefing("UZ", Audience(user), 2014, 2026))

    client.force_login(users["editor"])
    assert client.get(URL).status_code == 202
    run_queued()
    (editor_job,) = _jobs()
    editor_pdf = client.get(URL).getvalue()
    assert editor_pdf == own(users["editor"])

    # The researcher's own briefing differs (another team): not the editor's file, but a job of their own.
    client.force_login(users["researcher"])
    assert client.get(URL).status_code == 202 and _jobs().count() == 2
    assert client.get(f"/jobs/{editor_job.pk}/result/").status_code == 404
    run_queued()
    researcher_pdf = client.get(URL).getvalue()
    assert researcher_pdf == own(users["researcher"]) != editor_pdf

    # Anonymous visitors get the public briefing, laid out with what anyone may see.
    client.logout()
    assert client.get(URL).status_code == 202
    public_job = _jobs().last()
    assert public_job.asker is None and public_job.params["public"] is True
    run_queued()
    answer = client.get(URL)
    assert answer.status_code == 200 and 'filename="briefing-UZ-public.pdf"' in answer["Content-Disposition"]
    public_pdf = answer.getvalue()
    assert SECRET_MARK not in _text(public_pdf) and "Public Person" not in _text(public_pdf)
    # The public version asked for by a signed-in editor is the same document: the same stored file.
    client.force_login(users["editor"])
    assert client.get(f"{URL}&public=on").getvalue() == public_pdf and _jobs().count() == 3


def test_a_failed_job_is_shown_failed_and_started_again_only_when_asked(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.jobs.models import Job

    client.force_login(users["viewer"])
    client.get(URL)
    Job.objects.filter(kind="analytics.briefing_pdf").update(status="failed", error="the worker ran out of memory")
    polled = client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    assert "the worker ran out of memory" in polled and "hx-get" not in polled and _jobs().count() == 1
    assert client.get(URL).status_code == 202 and _jobs().count() == 2  # asked again: a new job
    assert client.get("/analytics/states/UZ/briefing.pdf?year_from=2030&year_to=2010").status_code == 400
