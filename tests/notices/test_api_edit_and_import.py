"""The API's edit endpoints (PATCH/PUT) for notices entered by hand, and its import of every notice format."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from shelter.access.models import ApiToken
from shelter.notices.models import Notice, ScreeningMatch
from tests.notices.conftest import NOTICE_FIXTURES

LIST_CSV = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def diffusion(db, users):  # type: ignore[no-untyped-def]
    created = _send(_api(users["editor"]), "post", "/api/v1/notices/", {
        "entity_id": "DIFF-2024-11", "kind": "diffusion", "surname": "KARIMOV", "forename": "ALISHER",
        "issuing_state": "UZ", "confidentiality": "internal",
        "charges": [{"text": "посягательство на конституционный строй"}]})
    assert created.status_code == 201, created.content
    return Notice.objects.get(entity_id="DIFF-2024-11")


def test_patch_changes_fields_charges_and_adds_events_with_history(diffusion, users) -> None:  # type: ignore[no-untyped-def]
    before = diffusion.history.count()
    response = _send(_api(users["editor"]), "patch", f"/api/v1/notices/{diffusion.pk}", {
        "dob": "1979-03", "nationalities": ["UZ"],
        "charges": [{"text": "посягательство на конституционный строй",
                     "translation": "encroachment on the constitutional order"}],
        "events": [{"kind": "refused_by_court", "date": "2024-12-02", "state": "DE",
                    "detail": "extradition refused: political offence", "reference": "OLG Hamm 2 Ausl 41/24"}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dob"] == "1979-03" and body["surname"] == "KARIMOV"  # fields not sent are kept
    assert body["charges"][0]["translation"] == "encroachment on the constitutional order"
    kinds = [event["kind"] for event in body["events"]]
    assert kinds == ["published", "modified", "refused_by_court"]
    modified = next(event for event in body["events"] if event["kind"] == "modified")
    assert modified["detail"] == "changed by hand: dob, nationalities, charges"
    diffusion.refresh_from_db()
    assert diffusion.history.count() == before + 1
    latest = diffusion.history.first()
    assert latest.dob == "1979-03" and latest.history_user == users["editor"]


def test_validation_errors_name_the_field_and_change_nothing(diffusion, users) -> None:  # type: ignore[no-untyped-def]
    api = _api(users["editor"])
    path = f"/api/v1/notices/{diffusion.pk}"
    bad_date = _send(api, "patch", path, {"dob": "1979-13-01", "surname": "OTHER"})
    assert bad_date.status_code == 422 and bad_date.json()["detail"].startswith("dob: ")
    assert "month 13" in bad_date.json()["detail"]
    bad_state = _send(api, "patch", path, {"issuing_state": "Uzbekistan"})
    assert bad_state.status_code == 422 and "issuing_state: " in bad_state.json()["detail"]
    assert "UZ" in bad_state.json()["detail"]
    bad_event = _send(api, "patch", path, {"surname": "OTHER", "events": [{"kind": "lost"}]})
    assert bad_event.status_code == 422 and bad_event.json()["detail"].startswith("events[1]: kind")
    empty_charge = _send(api, "patch", path, {"charges": [{"text": " "}]})
    assert empty_charge.status_code == 422 and "charge 1: the text is empty" in empty_charge.json()["detail"]
    not_a_member = _send(api, "patch", path, {"confidentiality": "confidential", "teams": ["beta"]})
    assert not_a_member.status_code == 422 and "not a member of case team 'beta'" in not_a_member.json()["detail"]
    diffusion.refresh_from_db()
    assert (diffusion.surname, diffusion.dob, diffusion.confidentiality) == ("KARIMOV", "", "internal")
    assert diffusion.charges.count() == 1


def test_put_replaces_fields_and_charges_but_keeps_confidentiality(diffusion, users, teams) -> None:  # type: ignore[no-untyped-def]
    api = _api(users["editor"])
    hidden = _send(api, "patch", f"/api/v1/notices/{diffusion.pk}", {"confidentiality": "confidential",
                                                                     "teams": ["alpha"]})
    assert hidden.status_code == 200 and hidden.json()["confidentiality"] == "confidential"
    replaced = _send(api, "put", f"/api/v1/notices/{diffusion.pk}", {
        "entity_id": "DIFF-2024-11", "kind": "extradition", "surname": "KARIMOV", "issuing_state": "UZ"})
    assert replaced.status_code == 200, replaced.content
    body = replaced.json()
    assert body["kind"] == "extradition" and body["forename"] == "" and body["charges"] == []
    assert body["confidentiality"] == "confidential"


def test_viewers_cannot_edit_and_hidden_notices_are_404(diffusion, users, teams) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/v1/notices/{diffusion.pk}"
    assert _send(_api(users["viewer"]), "patch", path, {"dob": "1979"}).status_code == 403
    assert _send(Client(), "patch", path, {"dob": "1979"}).status_code == 401
    diffusion.confidentiality = "confidential"
    diffusion.save()
    diffusion.teams.set([teams["alpha"]])
    assert _send(_api(users["researcher"]), "patch", path, {"dob": "1979"}).status_code == 404  # team beta
    assert _send(_api(users["researcher"]), "put", path, {"entity_id": "X", "kind": "diffusion"}).status_code == 404
    diffusion.refresh_from_db()
    assert diffusion.dob == "" and diffusion.entity_id == "DIFF-2024-11"


def test_a_changed_name_is_screened_again(imported, ayubov, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2022/46614")
    assert not ScreeningMatch.objects.filter(notice=notice).exists()
    response = _send(_api(users["admin"]), "patch", f"/api/v1/notices/{notice.pk}", {
        "forename": "Abdukarim", "surname": "Ayubov", "dob": "1983-04-05", "nationalities": ["TJ"]})
    assert response.status_code == 200
    assert ScreeningMatch.objects.get(notice=notice).person == ayubov


def _import(user, body: bytes, content_type: str, query: str = "") -> Any:  # type: ignore[no-untyped-def]
    return _api(user).post(f"/api/v1/notices/import{query}", body, content_type=content_type)


def test_api_imports_the_list_csv_and_xlsx_alike(db, users) -> None:  # type: ignore[no-untyped-def]
    response = _import(users["editor"], LIST_CSV.read_bytes(), "text/csv")
    assert response.status_code == 200, response.content
    assert response.json()["format"] == "interpol-list-csv" and response.json()["created"] == 30
    workbook = Workbook()
    for row in csv.reader(io.StringIO(LIST_CSV.read_text(encoding="utf-8"))):
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    again = _import(users["editor"], stream.getvalue(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert again.status_code == 200 and again.json()["format"] == "interpol-list-xlsx"
    assert again.json()["created"] == 0 and again.json()["updated"] == 0  # the same 30 rows
    assert Notice.objects.count() == 30


def test_api_imports_followthemoney_lines_and_multipart_uploads(db, users) -> None:  # type: ignore[no-untyped-def]
    ftm = (NOTICE_FIXTURES / "interpol_red_notices.ftm.json").read_bytes()
    response = _import(users["editor"], ftm, "application/x-ndjson", "?confidentiality=internal")
    assert response.status_code == 200, response.content
    assert response.json()["format"] == "ftm" and response.json()["skipped"] == 1
    assert set(Notice.objects.values_list("confidentiality", flat=True)) == {"internal"}
    with LIST_CSV.open("rb") as handle:
        uploaded = _api(users["editor"]).post("/api/v1/notices/import", {"file": handle})
    assert uploaded.status_code == 200 and uploaded.json()["created"] == 30


def test_api_import_refuses_what_it_cannot_read(db, users) -> None:  # type: ignore[no-untyped-def]
    editor = users["editor"]
    wrong_type = _import(editor, b"<html></html>", "text/html")
    assert wrong_type.status_code == 415 and "text/csv" in wrong_type.json()["detail"]
    not_utf8 = _import(editor, b"\xff\xfe\x00garbage", "application/json")
    assert not_utf8.status_code == 400
    bad_date = _import(editor, b"entity_id,forename,name,date_of_birth,nationalities\n2020/1,A,B,1990/02/31,TJ\n",
                       "text/csv")
    assert bad_date.status_code == 400 and "row 2" in bad_date.json()["detail"]
    bad_level = _import(editor, LIST_CSV.read_bytes(), "text/csv", "?confidentiality=secret")
    assert bad_level.status_code == 422
    assert _import(users["researcher"], LIST_CSV.read_bytes(), "text/csv").status_code == 403
    assert Notice.objects.count() == 0


def test_an_import_reports_only_the_candidates_the_importer_may_see(db, users, teams) -> None:  # type: ignore[no-untyped-def]
    from shelter.registry.models import Person

    hidden = Person.objects.create(primary_name="Mohammad Ayoub Jahangery", dob="1991-10-12", nationalities=["AF"],
                                   confidentiality="confidential")
    hidden.teams.add(teams["beta"])  # the editor is in team alpha
    response = _import(users["editor"], LIST_CSV.read_bytes(), "text/csv")
    assert response.status_code == 200, response.content
    assert ScreeningMatch.objects.filter(person=hidden).exists()
    assert "0 candidates you can see" in response.json()["screening"]
    from shelter.notices.screening.notices import ScreeningReport

    notice_ids = list(ScreeningMatch.objects.filter(person=hidden).values_list("notice_id", flat=True))
    assert "1 candidates you can see" in ScreeningReport().summary_for(users["admin"], notice_ids)
