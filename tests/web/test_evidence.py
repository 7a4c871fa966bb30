"""Archived files: downloaded through their source (and the visibility filter), never by digest; never rendered
inline."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from shelter.incidents.evidence import store_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(records, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"

    def archive(level: str, content: bytes, name: str):  # type: ignore[no-untyped-def]
        stored = store_evidence([content])
        source = records[level]["source"]
        source.file_sha256, source.file_size, source.file_type, source.file_name = (
            stored.sha256, stored.size, stored.media_type, name)
        source.save()
        return source

    return archive


def test_html_is_downloaded_as_neutral_binary_with_nosniff(archived, client_for):  # type: ignore[no-untyped-def]
    source = archived("internal", b"<html><script>alert(1)</script></html>", "page.html")
    response = client_for("viewer").get(reverse("incidents:evidence", args=[source.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"  # sniffed text: a safe type, still an attachment
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<html><script>alert(1)</script></html>"


def test_unknown_binary_gets_octet_stream(archived, client_for):  # type: ignore[no-untyped-def]
    source = archived("public", b"MZ\x90\x00\x03binary", "tool.exe")
    response = client_for(None).get(reverse("incidents:evidence", args=[source.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert 'filename="tool.exe"' in response["Content-Disposition"]


def test_pdf_keeps_its_safe_type_but_is_still_an_attachment(archived, client_for):  # type: ignore[no-untyped-def]
    source = archived("public", b"%PDF-1.7 test", "report.pdf")
    response = client_for("viewer").get(reverse("incidents:evidence", args=[source.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_hidden_file_answers_404_like_a_missing_one(archived, client_for, records):  # type: ignore[no-untyped-def]
    source = archived("confidential", b"secret testimony", "testimony.txt")
    url = reverse("incidents:evidence", args=[source.pk])
    assert client_for("editor").get(url).status_code == 200
    hidden = client_for("researcher").get(url)
    missing = client_for("researcher").get(reverse("incidents:evidence", args=[source.pk + 1000]))
    without_file = client_for("researcher").get(reverse("incidents:evidence", args=[records["public"]["source"].pk]))
    assert hidden.status_code == missing.status_code == without_file.status_code == 404
    assert hidden.content == missing.content


def test_a_digest_opens_nothing(archived, client_for):  # type: ignore[no-untyped-def]
    """Files are reached through their source only: the old address by digest answers 404 to everyone, even to
    a user who may see the source holding the file, so holding a digest neither opens nor confirms a file."""
    source = archived("confidential", b"extradition request", "request.pdf")
    for url in (f"/incidents/evidence/{source.file_sha256}/", f"/incidents/evidence/{'0' * 64}/",
                "/incidents/evidence/..%2F..%2Fetc%2Fpasswd/"):
        assert client_for("editor").get(url).status_code == 404


def test_a_researcher_cannot_claim_someone_elses_file_by_its_digest(archived, client_for, records):  # type: ignore[no-untyped-def]
    """The attack: a researcher outside team alpha knows the digest of alpha's confidential file and files a source
    of their own "holding" it. The forms have no digest field, so the source gets no file and nothing leaks."""
    from shelter.incidents.models import Source

    secret = archived("confidential", b"the requesting state's own extradition request", "request.pdf")
    client = client_for("researcher")
    data = {"title": "Claimed", "kind": "document", "reliability": "high", "confidentiality": "internal",
            "file_sha256": secret.file_sha256, "file_name": "x.pdf", "file_type": "application/pdf"}
    assert client.post(reverse("incidents:source_new"), data).status_code == 302
    claimed = Source.objects.get(title="Claimed")
    assert claimed.file_sha256 == "" and claimed.file_name == ""
    assert client.get(reverse("incidents:evidence", args=[claimed.pk])).status_code == 404
    page = client.get(reverse("incidents:source", args=[claimed.pk])).content.decode()
    assert secret.file_sha256 not in page


def test_source_form_uploads_and_refuses_oversized_files(records, client_for, settings, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelter.incidents.models import Source

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.MAX_UPLOAD_BYTES = 100
    client = client_for("researcher")
    data = {"title": "Screenshot", "kind": "document", "reliability": "high", "confidentiality": "internal"}
    response = client.post(reverse("incidents:source_new"), {**data, "file": SimpleUploadedFile("a.png", b"x" * 500)})
    assert response.status_code == 200 and "largest accepted upload" in response.content.decode()
    assert not Source.objects.filter(title="Screenshot").exists()
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    response = client.post(reverse("incidents:source_new"), {**data, "file": SimpleUploadedFile("a.png", png)})
    assert response.status_code == 302
    source = Source.objects.get(title="Screenshot")
    assert source.file_type == "image/png" and source.file_size == len(png)
    assert source.file_sha256 == hashlib.sha256(png).hexdigest() and source.file_name == "a.png"
    assert b"".join(client.get(reverse("incidents:evidence", args=[source.pk])).streaming_content) == png


def test_source_form_saves_through_the_audited_write_path(users, settings, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelter.incidents.forms import SourceForm
    from shelter.incidents.models import Source

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    data = {"title": "Court ruling", "kind": "court_record", "reliability": "high", "confidentiality": "internal"}
    upload = {"file": SimpleUploadedFile("ruling.txt", b"the ruling", content_type="text/plain")}
    form = SourceForm(data, upload, user=users["researcher"])
    assert form.is_valid(), form.errors
    source = form.save()
    assert Source.objects.get(pk=source.pk).file_sha256 == hashlib.sha256(b"the ruling").hexdigest()
    assert source.history.get().history_user == users["researcher"]
    refused = SourceForm(dict(data, title="By a viewer"), user=users["viewer"])
    assert refused.is_valid(), refused.errors
    with pytest.raises(PermissionDenied):
        refused.save()
    assert not Source.objects.filter(title="By a viewer").exists()
