"""Imports change and count only the notices the importer may see (finding 2); entity ids never confirm a hidden
notice nor control a download's file name (finding 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shelter.access.models import ApiToken
from shelter.notices.models import Notice, NoticeStatus

pytestmark = pytest.mark.django_db

HEADER = "entity_id,forename,name,date_of_birth,nationalities\n"


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hidden_notice(teams: dict[str, Any]) -> Notice:
    """A red notice of team beta's confidential case: the editor (team alpha) may not see it."""
    notice = Notice.objects.create(entity_id="2019/34876", origin="interpol_list", forename="Abdukarim",
                                   surname="Ayubov", dob="1983-04-05", nationalities=["TJ"],
                                   confidentiality="confidential")
    notice.teams.add(teams["beta"])
    return notice


@pytest.fixture
def visible_notice(db: Any) -> Notice:
    return Notice.objects.create(entity_id="2022/46614", origin="interpol_list", forename="Rustam",
                                 surname="Nazarov", nationalities=["UZ"], confidentiality="internal")


def _import(user: Any, rows: str, full_list: bool = False) -> dict[str, Any]:
    response = _api(user).post(f"/api/v1/notices/import?full_list={'true' if full_list else 'false'}",
                               HEADER + rows, content_type="text/csv")
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_importing_a_hidden_notices_id_creates_a_new_notice_beside_it(hidden_notice, users) -> None:  # type: ignore[no-untyped-def]
    versions = hidden_notice.history.count()
    answer = _import(users["editor"], "2019/34876,ABDUKARIM,CHANGED,1983/04/05,TJ\n")
    assert (answer["created"], answer["updated"]) == (1, 0), answer
    assert "0 updated" in answer["import"], answer
    hidden_notice.refresh_from_db()
    assert hidden_notice.surname == "Ayubov" and hidden_notice.history.count() == versions
    beside = Notice.objects.exclude(pk=hidden_notice.pk).get(entity_id="2019/34876")
    assert beside.surname == "CHANGED"
    assert _api(users["editor"]).get(f"/api/v1/notices/{beside.pk}").status_code == 200
    # the team that holds the hidden notice sees both: the import did not touch its own
    seen = _api(users["researcher"]).get("/api/v1/notices/?entity_id=2019/34876").json()
    assert sorted(n["surname"] for n in seen["results"]) == ["Ayubov", "CHANGED"]


def test_importing_again_updates_the_importers_copy_only(hidden_notice, users) -> None:  # type: ignore[no-untyped-def]
    _import(users["editor"], "2019/34876,ABDUKARIM,FIRST,1983/04/05,TJ\n")
    answer = _import(users["editor"], "2019/34876,ABDUKARIM,SECOND,1983/04/05,TJ\n")
    assert (answer["created"], answer["updated"]) == (0, 1), answer
    hidden_notice.refresh_from_db()
    assert hidden_notice.surname == "Ayubov"
    assert Notice.objects.filter(entity_id="2019/34876").count() == 2


def test_a_team_member_updates_the_notice_they_see(hidden_notice, users) -> None:  # type: ignore[no-untyped-def]
    users["researcher"].role = "editor"
    users["researcher"].save()
    answer = _import(users["researcher"], "2019/34876,ABDUKARIM,AYUBOV,1983/04/05,TJ\n")
    assert (answer["created"], answer["updated"]) == (0, 1), answer
    hidden_notice.refresh_from_db()
    assert hidden_notice.surname == "AYUBOV"


def test_a_full_list_withdraws_and_counts_only_visible_notices(hidden_notice, visible_notice, users) -> None:  # type: ignore[no-untyped-def]
    answer = _import(users["editor"], "2001/1,SOMEONE,ELSE,1970,RU\n", full_list=True)
    assert answer["withdrawn"] == 1 and "1 withdrawn" in answer["import"], answer
    hidden_notice.refresh_from_db()
    visible_notice.refresh_from_db()
    assert hidden_notice.status == NoticeStatus.ACTIVE and hidden_notice.events.count() == 0
    assert visible_notice.status == NoticeStatus.WITHDRAWN


def test_the_import_page_reports_only_visible_notices(hidden_notice, users) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("list.csv", (HEADER + "2019/34876,ABDUKARIM,CHANGED,1983/04/05,TJ\n").encode())
    response = _browser(users["editor"]).post("/notices/import/", {"file": upload, "confidentiality": "public", "published": "on", "full_list": "on"})
    assert response.status_code == 302, response.content
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "1 new, 0 updated" in text and "0 withdrawn" in text, text
    hidden_notice.refresh_from_db()
    assert hidden_notice.surname == "Ayubov" and hidden_notice.status == NoticeStatus.ACTIVE


def test_an_import_files_confidential_notices_where_the_importer_sees_them(db, users) -> None:  # type: ignore[no-untyped-def]
    response = _api(users["editor"]).post("/api/v1/notices/import?confidentiality=confidential",
                                          HEADER + "2020/1,A,B,1970,RU\n", content_type="text/csv")
    assert response.status_code == 200, response.content
    notice = Notice.objects.get(entity_id="2020/1")
    assert [team.name for team in notice.teams.all()] == ["alpha"]
    assert _api(users["editor"]).get(f"/api/v1/notices/{notice.pk}").status_code == 200


def test_importing_needs_an_editor(db, users) -> None:  # type: ignore[no-untyped-def]
    response = _api(users["researcher"]).post("/api/v1/notices/import", HEADER + "2020/1,A,B,1970,RU\n",
                                              content_type="text/csv")
    assert response.status_code == 403 and "editor" in response.json()["detail"]
    assert not Notice.objects.exists()


# --- entity ids on entry ------------------------------------------------------------------------------


def _create(user: Any, entity_id: str) -> Any:
    return _api(user).post("/api/v1/notices/", json.dumps({"entity_id": entity_id, "kind": "diffusion",
                                                           "surname": "KARIMOV", "confidentiality": "internal"}),
                           content_type="application/json")


def test_entering_a_hidden_notices_id_is_accepted_like_a_new_one(hidden_notice, users) -> None:  # type: ignore[no-untyped-def]
    response = _create(users["editor"], "2019/34876")
    assert response.status_code == 201, response.content
    assert Notice.objects.filter(entity_id="2019/34876").count() == 2


def test_entering_a_visible_notices_id_is_refused_naming_the_field(visible_notice, users) -> None:  # type: ignore[no-untyped-def]
    response = _create(users["editor"], "2022/46614")
    assert response.status_code == 422, response.content
    assert "entity_id" in response.content.decode() and "already recorded" in response.content.decode()


def test_renaming_a_notice_to_a_hidden_notices_id_is_accepted(hidden_notice, visible_notice, users) -> None:  # type: ignore[no-untyped-def]
    response = _api(users["editor"]).patch(f"/api/v1/notices/{visible_notice.pk}",
                                           json.dumps({"entity_id": "2019/34876"}), content_type="application/json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("entity_id", ['2019/1"; filename="evil.exe', "2019/1\nSet-Cookie: x=1", "2019\\1"])
def test_an_entity_id_with_quotes_or_line_breaks_is_refused_on_entry(db, users, entity_id) -> None:  # type: ignore[no-untyped-def]
    response = _create(users["editor"], entity_id)
    assert response.status_code == 422, response.content
    assert "entity_id" in response.content.decode() and "letters, digits" in response.content.decode()
    assert not Notice.objects.exists()


def test_an_imported_entity_id_with_quotes_is_refused_naming_the_row(db, users) -> None:  # type: ignore[no-untyped-def]
    response = _api(users["admin"]).post("/api/v1/notices/import", HEADER + '"2019/1"";x",A,B,1970,RU\n',
                                         content_type="text/csv")
    assert response.status_code == 400, response.content
    assert "row 2" in response.json()["detail"] and not Notice.objects.exists()


@pytest.mark.parametrize("url", ["/notices/{pk}/dossier.pdf", "/api/v1/notices/{pk}/dossier.pdf",
                                 "/api/v1/notices/{pk}/dossier.html"])
def test_a_stored_entity_id_never_shapes_the_download_header(db, users, url) -> None:  # type: ignore[no-untyped-def]
    # Recorded before entity ids were checked.
    notice = Notice.objects.create(entity_id='2019/1"\r\nX-Evil: 1; filename="evil.exe', forename="A",
                                   surname="B", confidentiality="internal")
    from shelter.jobs.worker import run_queued

    client = _api(users["editor"]) if url.startswith("/api/") else _browser(users["editor"])
    response = client.get(url.format(pk=notice.pk))
    if response.status_code == 202:  # a PDF is laid out by a worker the first time
        run_queued()
        response = client.get(url.format(pk=notice.pk))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dossier-2019-1-X-Evil-1-filename-evil.exe')
    assert disposition.count('"') == 2 and "\n" not in disposition and "X-Evil" not in response.headers


def test_the_dossier_command_asks_which_of_two_notices_with_one_id(hidden_notice, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from shelter.notices.cli import notices

    _import(users["editor"], "2019/34876,ABDUKARIM,BESIDE,1983/04/05,TJ\n")
    beside = Notice.objects.exclude(pk=hidden_notice.pk).get(entity_id="2019/34876")
    output = tmp_path / "d.html"
    result = CliRunner().invoke(notices, ["dossier", "2019/34876", "-o", str(output)])
    assert result.exit_code != 0 and f"numbers {hidden_notice.pk}, {beside.pk}" in result.output
    result = CliRunner().invoke(notices, ["dossier", "2019/34876", "--number", str(beside.pk), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "BESIDE" in output.read_text()
    # the editor sees only their own: no choice to make, nothing said about the other
    result = CliRunner().invoke(notices, ["dossier", "2019/34876", "--user", "editor", "-o", str(output)])
    assert result.exit_code == 0 and "BESIDE" in output.read_text()


FORM = {"kind": "diffusion", "forename": "Alisher", "surname": "Karimov", "dob": "", "sex": "m",
        "nationalities": "UZ", "issuing_state": "UZ", "issued": "", "description": "", "confidentiality": "internal",
        "charges_text": ""}


def test_the_entry_page_refuses_a_bad_id_and_a_visible_clash_but_not_a_hidden_one(hidden_notice, visible_notice,  # type: ignore[no-untyped-def]
                                                                                  users) -> None:
    browser = _browser(users["editor"])
    response = browser.post("/notices/new/", {**FORM, "entity_id": 'DIFF-1"; x'})
    assert response.status_code == 200 and "is not an entity id" in response.content.decode()
    response = browser.post("/notices/new/", {**FORM, "entity_id": "2022/46614"})
    assert response.status_code == 200 and "already recorded as notice" in response.content.decode()
    response = browser.post("/notices/new/", {**FORM, "entity_id": "2019/34876"})
    assert response.status_code == 302
    assert Notice.objects.filter(entity_id="2019/34876").count() == 2 and Notice.objects.count() == 3
