"""A notice file imported through the web says who may read what it adds: public and published unless the
importer chooses otherwise, or confidential to their case teams, in the request and as a background job."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shelter.access.visibility import visible_to
from shelter.jobs.models import Job
from shelter.jobs.worker import run_queued
from shelter.notices.models import Notice
from tests.notices.conftest import NOTICE_FIXTURES

pytestmark = pytest.mark.django_db

CSV = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"


def _import(user: Any, **fields: Any) -> Any:
    client = Client()
    client.force_login(user)
    with CSV.open("rb") as handle:
        return client.post("/notices/import/", {"file": handle, **fields})


def _restricted_to_alpha(users: Any, teams: Any) -> None:
    notices = Notice.objects.all()
    assert notices.count() == 30
    assert {(n.confidentiality, n.published) for n in notices} == {("confidential", False)}
    assert all(list(n.teams.all()) == [teams["alpha"]] for n in notices)
    assert visible_to(Notice.objects.all(), users["viewer"]).count() == 0  # alpha, but internal clearance
    assert visible_to(Notice.objects.all(), users["researcher"]).count() == 0  # confidential clearance, team beta
    assert visible_to(Notice.objects.all(), users["editor"]).count() == 30


def test_the_form_offers_public_and_published_first(users: Any) -> None:
    client = Client()
    client.force_login(users["editor"])
    page = client.get("/notices/import/").content.decode()
    assert '<option value="public" selected>' in page
    assert '<input type="checkbox" name="published" id="id_published" checked>' in page
    assert 'name="teams"' in page


def test_an_import_restricted_to_a_case_team(users: Any, teams: Any) -> None:
    response = _import(users["editor"], confidentiality="confidential", teams=[teams["alpha"].pk])
    assert response.status_code == 302
    _restricted_to_alpha(users, teams)


def test_a_confidential_import_without_a_team_is_refused_whole(users: Any) -> None:
    response = _import(users["editor"], confidentiality="confidential", published="on")
    assert response.status_code == 200
    assert "needs at least one case team" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_team_the_importer_is_not_in_is_refused(users: Any, teams: Any) -> None:
    response = _import(users["editor"], confidentiality="confidential", teams=[teams["beta"].pk])
    assert response.status_code == 200 and not Notice.objects.exists()


def test_a_background_import_keeps_the_choice(users: Any, teams: Any, settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 100
    response = _import(users["editor"], confidentiality="confidential", teams=[teams["alpha"].pk])
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and not Notice.objects.exists()
    run_queued()
    job.refresh_from_db()
    assert job.status == "done", job.error
    _restricted_to_alpha(users, teams)


def _api_import(user: Any, query: str) -> Any:
    from shelter.access.models import ApiToken

    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
    return client.post(f"/api/v1/notices/import?{query}", CSV.read_bytes(), content_type="text/csv")


def test_the_api_import_restricts_to_a_case_team(users: Any, teams: Any) -> None:
    response = _api_import(users["editor"], "confidentiality=confidential&published=false&teams=alpha")
    assert response.status_code == 200, response.content
    _restricted_to_alpha(users, teams)


def test_the_api_import_is_public_and_published_unless_told(users: Any) -> None:
    assert _api_import(users["editor"], "").status_code == 200
    assert {(n.confidentiality, n.published) for n in Notice.objects.all()} == {("public", True)}
    assert visible_to(Notice.objects.all(), None).count() == 30


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("confidentiality=confidential&teams=beta", "not a member of case team 'beta'"),
        ("confidentiality=confidential&teams=nobody", "no case team named 'nobody'"),
    ],
)
def test_the_api_import_refuses_a_restriction_the_importer_cannot_keep(users: Any, teams: Any, query: str,
                                                                        words: str) -> None:
    response = _api_import(users["editor"], query)
    assert response.status_code == 422, response.content
    assert words in response.content.decode()
    assert not Notice.objects.exists()


def test_a_confidential_api_import_without_teams_is_filed_under_the_importer_s(users: Any, teams: Any) -> None:
    assert _api_import(users["editor"], "confidentiality=confidential&published=false").status_code == 200
    _restricted_to_alpha(users, teams)


def test_a_background_api_import_keeps_the_choice(users: Any, teams: Any, settings: Any) -> None:
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 100
    response = _api_import(users["editor"], "confidentiality=confidential&published=false&teams=alpha")
    assert "job" in response.json() and not Notice.objects.exists()
    run_queued()
    _restricted_to_alpha(users, teams)
