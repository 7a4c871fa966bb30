"""Case documents on a notice, and notices changed by hand (re-screened, history kept)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shelter.notices.assessment.dossier import render_dossier_html
from shelter.notices.models import Notice, NoticeDocument, ScreeningMatch


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_document_is_stored_listed_and_downloaded_only_by_those_who_may_see_it(db, users, teams) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="EXT-9", kind="extradition", surname="RAHIMOV",
                                   confidentiality="confidential")
    notice.teams.add(teams["alpha"])
    upload = SimpleUploadedFile("request.html", b"<script>alert(1)</script>", content_type="text/html")
    response = _client(users["editor"]).post(f"/notices/{notice.pk}/documents/",
                                             {"title": "Extradition request", "date": "2024-02", "file": upload})
    assert response.status_code == 302
    document = NoticeDocument.objects.get()
    assert document.file_type == "text/plain" and len(document.file_sha256) == 64
    assert "Extradition request" in _client(users["editor"]).get(f"/notices/{notice.pk}/").content.decode()
    download = _client(users["editor"]).get(f"/notices/documents/{document.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert _client(users["researcher"]).get(f"/notices/documents/{document.pk}/").status_code == 404
    assert "Extradition request" in render_dossier_html(notice, users["editor"])


def test_editing_a_notice_rescreens_it_and_records_the_change(db, users, ayubov) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="DIFF-5", kind="diffusion", surname="UNKNOWN", confidentiality="internal")
    response = _client(users["editor"]).post(f"/notices/{notice.pk}/edit/", {
        "entity_id": "DIFF-5", "kind": "diffusion", "forename": "Abdukarim", "surname": "Ayubov",
        "dob": "1983-04-05", "nationalities": "TJ", "issuing_state": "TJ", "confidentiality": "internal",
        "charges_text": "Экстремизм || Extremism",
    })
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.surname == "Ayubov" and notice.charges.get().translation == "Extremism"
    assert ScreeningMatch.objects.filter(notice=notice, person=ayubov).exists()
    assert notice.history.count() == 2 and notice.events.filter(kind="modified").exists()


def test_an_edit_the_editor_may_not_make_is_refused_with_a_message(db, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="DIFF-6", kind="diffusion", surname="KARIMOV", confidentiality="internal")
    # An editor in no case team cannot file a record as confidential: nobody but admins could see it.
    response = _client(users["outsider"]).post(f"/notices/{notice.pk}/edit/", {
        "entity_id": "DIFF-6", "kind": "diffusion", "surname": "KARIMOVA", "confidentiality": "confidential"})
    assert response.status_code == 200
    assert "needs a case team, and you belong to none" in response.content.decode()
    notice.refresh_from_db()
    assert (notice.surname, notice.confidentiality) == ("KARIMOV", "internal")
    assert notice.history.count() == 1
