"""The notices pages and API: what each user sees, and the workflow from import to dossier."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.notices.models import Alert, Notice, ScreeningMatch
from shelter.notices.screening.notices import screen_notices
from tests.notices.conftest import NOTICE_FIXTURES


@pytest.fixture
def screened(imported, ayubov):  # type: ignore[no-untyped-def]
    screen_notices(imported.to_screen)
    return ScreeningMatch.objects.get(person=ayubov)


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user=None) -> Client:  # type: ignore[no-untyped-def]
    if user is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def test_the_list_and_a_notice_page_show_charges_and_candidates_to_the_team(screened, users) -> None:  # type: ignore[no-untyped-def]
    listing = _client(users["editor"]).get("/notices/?q=AYUBOV")
    assert listing.status_code == 200 and "2019/34876" in listing.content.decode()
    page = _client(users["editor"]).get(f"/notices/{screened.notice_id}/").content.decode()
    assert "terrorist organization" in page and "Абдукарим Аюбов" in page
    other_team = _client(users["researcher"]).get(f"/notices/{screened.notice_id}/").content.decode()
    assert "Абдукарим Аюбов" not in other_team  # the candidate is confidential to team alpha


def test_a_confidential_notice_is_404_for_others(db, users, teams) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="DIFF-1", kind="diffusion", surname="X", confidentiality="confidential")
    notice.teams.add(teams["alpha"])
    assert _client(users["editor"]).get(f"/notices/{notice.pk}/").status_code == 200
    assert _client(users["researcher"]).get(f"/notices/{notice.pk}/").status_code == 404
    assert _client().get(f"/notices/{notice.pk}/").status_code == 404
    assert _api(users["researcher"]).get(f"/api/v1/notices/{notice.pk}").status_code == 404


def test_deciding_on_a_candidate_and_acknowledging_the_alert(screened, users) -> None:  # type: ignore[no-untyped-def]
    editor = _client(users["editor"])
    assert "Аюбов" in editor.get("/notices/alerts/").content.decode()
    editor.post(f"/notices/matches/{screened.pk}/decision/", {"decision": "confirmed", "note": "same passport"})
    screened.refresh_from_db()
    assert screened.decision == "confirmed" and screened.decided_by == users["editor"]
    alert = Alert.objects.get()
    editor.post(f"/notices/alerts/{alert.pk}/acknowledge/")
    assert "Аюбов" not in editor.get("/notices/alerts/").content.decode()
    assert _client(users["viewer"]).post(f"/notices/matches/{screened.pk}/decision/",
                                         {"decision": "rejected"}).status_code == 403


def test_reviewing_an_indicator_in_the_ui(screened, users) -> None:  # type: ignore[no-untyped-def]
    editor = _client(users["editor"])
    editor.post(f"/notices/{screened.notice_id}/assessment/RN-02/", {"answer": "present", "note": "no act described"})
    editor.post(f"/notices/{screened.notice_id}/assessment/RN-02/", {"answer": "absent", "note": "act in the file"})
    page = editor.get(f"/notices/{screened.notice_id}/assessment/").content.decode()
    assert "act in the file" in page and "answered by a person" in page
    assert "History of the answers" in page and "no act described" in page  # the earlier answer


def test_record_a_diffusion_by_hand(db, users) -> None:  # type: ignore[no-untyped-def]
    response = _client(users["editor"]).post("/notices/new/", {
        "entity_id": "DIFF-2024-7", "kind": "diffusion", "forename": "Gulnora", "surname": "Rahimova",
        "dob": "1988", "nationalities": "UZ", "issuing_state": "UZ", "confidentiality": "confidential",
        "charges_text": "Посягательство на конституционный строй || Encroachment on the constitutional order",
    })
    assert response.status_code == 302
    notice = Notice.objects.get(entity_id="DIFF-2024-7")
    assert notice.origin == "manual" and notice.charges.get().translation.startswith("Encroachment")
    bad = _client(users["editor"]).post("/notices/new/", {"entity_id": "DIFF-8", "kind": "diffusion",
                                                           "dob": "31/02/2019", "confidentiality": "internal"})
    assert bad.status_code == 200 and "is not a date" in bad.content.decode()


def test_import_page_for_curators(db, users) -> None:  # type: ignore[no-untyped-def]
    with (NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv").open("rb") as handle:
        response = _client(users["editor"]).post("/notices/import/", {"file": handle, "confidentiality": "public", "published": "on"})
    assert response.status_code == 302 and Notice.objects.count() == 30
    assert _client(users["viewer"]).get("/notices/import/").status_code == 403


def test_record_content_is_escaped_everywhere(db, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="X-1", surname="<script>alert(1)</script>", confidentiality="internal")
    for path in (f"/notices/{notice.pk}/", f"/notices/{notice.pk}/dossier/", "/notices/"):
        body = _client(users["editor"]).get(path).content.decode()
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_api_lists_only_visible_notices_and_assesses(screened, users, teams) -> None:  # type: ignore[no-untyped-def]
    hidden = Notice.objects.create(entity_id="EXT-1", kind="extradition", confidentiality="confidential")
    hidden.teams.add(teams["beta"])
    anonymous = _api().get("/api/v1/notices/?limit=100").json()
    assert anonymous["count"] == 9
    assert _api(users["researcher"]).get("/api/v1/notices/?kind=extradition").json()["count"] == 1
    assert _api(users["editor"]).get("/api/v1/notices/?kind=extradition").json()["count"] == 0
    assessment = _api(users["viewer"]).get(f"/api/v1/notices/{screened.notice_id}/assessment").json()
    assert assessment["entity_id"] == "2019/34876"
    answers = {item["id"]: item["answer"] for item in assessment["indicators"]}
    assert answers["RN-11"] == "present"
    assert all("verified" in evidence for item in assessment["indicators"] for evidence in item["evidence"])
    assert [reading["confidence"] for reading in assessment["charges"]] == ["high"]
    assert assessment["charges"][0]["offences"] == ["terrorism"]


def test_api_candidates_decision_review_and_events(screened, users) -> None:  # type: ignore[no-untyped-def]
    editor = _api(users["editor"])
    notice_id = screened.notice_id
    assert [m["person_id"] for m in editor.get(f"/api/v1/notices/{notice_id}/matches").json()] == [screened.person_id]
    assert _api(users["researcher"]).get(f"/api/v1/notices/{notice_id}/matches").json() == []
    decided = editor.post(f"/api/v1/notices/matches/{screened.pk}/decision",
                          json.dumps({"decision": "confirmed", "note": "fingerprints"}), content_type="application/json")
    assert decided.status_code == 200 and decided.json()["decision"] == "confirmed"
    review = editor.put(f"/api/v1/notices/{notice_id}/reviews/RN-02", json.dumps({"answer": "present", "note": "n"}),
                        content_type="application/json")
    assert review.status_code == 200
    event = editor.post(f"/api/v1/notices/{notice_id}/events",
                        json.dumps({"kind": "refused_by_court", "state": "DE", "date": "2021-06",
                                    "detail": "extradition refused"}), content_type="application/json")
    assert event.status_code == 201
    bad = editor.post(f"/api/v1/notices/{notice_id}/events", json.dumps({"kind": "refused_by_court", "date": "2021-13"}),
                      content_type="application/json")
    assert bad.status_code == 422 and "no month 13" in bad.content.decode()
    assert _api(users["viewer"]).put(f"/api/v1/notices/{notice_id}/reviews/RN-02",
                                     json.dumps({"answer": "absent", "note": "n"}),
                                     content_type="application/json").status_code == 403
    alerts = editor.get("/api/v1/notices/alerts").json()
    assert alerts and alerts[0]["entity_id"] == "2019/34876"


def test_api_manual_entry_and_import(db, users) -> None:  # type: ignore[no-untyped-def]
    editor = _api(users["editor"])
    created = editor.post("/api/v1/notices/", json.dumps({
        "entity_id": "EXT-2025-3", "kind": "extradition", "surname": "KARIMOV", "issuing_state": "TJ",
        "charges": [{"text": "участие в экстремистской организации"}]}), content_type="application/json")
    assert created.status_code == 201 and created.json()["charges"][0]["issuing_state"] == "TJ"
    body = (NOTICE_FIXTURES / "red_notices_list_page.json").read_bytes()
    imported = editor.post("/api/v1/notices/import", body, content_type="application/json")
    assert imported.status_code == 200 and imported.json()["created"] == 9
    assert _api(users["researcher"]).post("/api/v1/notices/import", body,
                                          content_type="application/json").status_code == 403


def test_dossier_pdf_downloads(screened, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.jobs.worker import run_queued

    urls = [f"/notices/{screened.notice_id}/dossier.pdf", f"/notices/{screened.notice_id}/ccf-annex.pdf?lang=ru"]
    api_url = f"/api/v1/notices/{screened.notice_id}/dossier.pdf"
    # Laid out by a worker the first time: the page and the API answer at once with the job.
    assert [_client(users["editor"]).get(url).status_code for url in urls] == [202, 202]
    assert _api(users["editor"]).get(api_url).status_code == 202
    run_queued()
    response = _client(users["editor"]).get(urls[0])
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF-")
    api_pdf = _api(users["editor"]).get(api_url)
    assert api_pdf.status_code == 200 and api_pdf["Content-Type"] == "application/pdf"
    annex = _client(users["editor"]).get(urls[1])
    assert annex.status_code == 200 and annex.getvalue().startswith(b"%PDF-")
    assert "ccf-annex-" in annex["Content-Disposition"]
    wrong = _client(users["editor"]).get(f"/notices/{screened.notice_id}/ccf-annex.pdf?lang=xx")
    assert wrong.status_code == 400 and b"choose en or ru" in wrong.content


def test_values_left_out_of_an_import_are_said_by_the_api_and_the_page(users) -> None:  # type: ignore[no-untyped-def]
    """A nationality that names no country is left out, and the API's answer and the page's messages say so."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from shelter.access.models import ApiToken

    content = (Path(__file__).resolve().parents[1] / "fixtures" / "bad" / "unknown-nationality.csv").read_bytes()
    token = ApiToken.issue(users["editor"])
    answer = Client().post("/api/v1/notices/import", {"file": SimpleUploadedFile("list.csv", content)},
                           HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert answer["notes"] == ["row 2: nationality 'Narnia' is not a known country and was left out"]
    client = Client()
    client.force_login(users["editor"])
    page = client.post("/notices/import/", {"file": SimpleUploadedFile("list2.csv", content),
                                          "confidentiality": "public", "published": "on"}, follow=True)
    assert "nationality &#x27;Narnia&#x27; is not a known country and was left out" in page.content.decode()
