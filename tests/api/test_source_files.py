"""A source's archived file through the API: uploaded as bytes (Shelter computes the digest), downloaded through
its source, never claimed or fetched by digest."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shelter.access.models import ApiToken
from shelter.incidents.evidence import store_evidence
from shelter.incidents.models import Source

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.7 the requesting state's own extradition request"


@pytest.fixture
def evidence(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


@pytest.fixture
def secret_file(evidence, records):  # type: ignore[no-untyped-def]
    """Team beta's confidential source holds a file."""
    source, stored = records["source_secret"], store_evidence([SECRET])
    source.file_sha256, source.file_size, source.file_type, source.file_name = (
        stored.sha256, stored.size, stored.media_type, "request.pdf")
    source.save()
    return source


def _upload(users, role: str, source_id: int, content: bytes, name: str = "letter.pdf"):  # type: ignore[no-untyped-def]
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(users[role])}"})
    return client.post(f"/api/v1/sources/{source_id}/file", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_digest_sent_by_the_caller_is_refused(method, call, records, secret_file):  # type: ignore[no-untyped-def]
    """The attack: the editor (team alpha, not beta) names beta's file by its digest on a source of their own."""
    claim = {"file_sha256": secret_file.file_sha256, "file_name": "request.pdf", "file_type": "application/pdf"}
    if method == "POST":
        response = call("editor", "POST", "sources/", {"title": "Claimed", **claim})
    else:
        response = call("editor", "PATCH", f"sources/{records['source_public'].pk}", claim)
    assert response.status_code == 422, response.content
    assert "file_sha256" in response.content.decode()
    assert not Source.objects.filter(title="Claimed").exists()
    assert not Source.objects.exclude(pk=secret_file.pk).filter(file_sha256=secret_file.file_sha256).exists()


def test_the_write_services_refuse_a_named_file(records, users, secret_file):  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from shelter.incidents import services

    with pytest.raises(ValidationError) as refused:
        services.create_source(users["editor"], {"title": "Claimed", "file_sha256": secret_file.file_sha256})
    assert "file_sha256" in refused.value.message_dict


def test_upload_computes_the_digest_from_the_bytes(call, users, records, evidence):  # type: ignore[no-untyped-def]
    source = records["source_public"]
    payload = b"\x89PNG\r\n\x1a\n" + b"screenshot"
    response = _upload(users, "researcher", source.pk, payload, "screen.png")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["file_sha256"] == hashlib.sha256(payload).hexdigest()
    assert body["file_type"] == "image/png" and body["file_size"] == len(payload) and body["file_name"] == "screen.png"
    assert Source.objects.get(pk=source.pk).history.first().history_user == users["researcher"]
    download = call("viewer", "GET", f"sources/{source.pk}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == payload
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_upload_needs_an_editing_role_and_a_visible_source(call, users, records, secret_file):  # type: ignore[no-untyped-def]
    assert _upload(users, "viewer", records["source_public"].pk, b"x").status_code == 403
    hidden = _upload(users, "editor", secret_file.pk, b"replacement")
    missing = _upload(users, "editor", secret_file.pk + 1000, b"replacement")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert Source.objects.get(pk=secret_file.pk).file_sha256 == hashlib.sha256(SECRET).hexdigest()


def test_an_oversized_upload_is_refused_and_changes_nothing(users, records, evidence, settings):  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_BYTES = 10
    response = _upload(users, "editor", records["source_public"].pk, b"x" * 100)
    assert response.status_code == 422
    assert "larger than" in response.json()["detail"][0]["msg"]
    assert Source.objects.get(pk=records["source_public"].pk).file_sha256 == ""


def test_download_answers_404_for_hidden_missing_and_fileless_sources(call, records, secret_file):  # type: ignore[no-untyped-def]
    path = f"sources/{secret_file.pk}/file"
    assert b"".join(call("researcher", "GET", path).streaming_content) == SECRET
    answers = [call(role, "GET", path) for role in (None, "viewer", "editor")]
    answers.append(call("editor", "GET", f"sources/{secret_file.pk + 1000}/file"))
    answers.append(call("editor", "GET", f"sources/{records['source_public'].pk}/file"))
    assert {response.status_code for response in answers} == {404}
    assert len({response.content for response in answers}) == 1


def test_a_json_import_never_gives_a_source_someone_elses_file(users, records, secret_file, tmp_path):  # type: ignore[no-untyped-def]
    """An exported file lists each source's digest; importing it back makes sources without files."""
    import json

    from shelter.connectors.json_records import read_json
    from tests.connectors.conftest import SILENT

    path = tmp_path / "records.json"
    path.write_text(json.dumps({"sources": [{"id": 1, "title": "Claimed", "file_sha256": secret_file.file_sha256,
                                             "file_name": "request.pdf", "file_size": 10, "file_type": "text/plain"}]}))
    report = read_json(path, dry_run=False, progress=SILENT)
    assert not report.problems, report.problems
    assert Source.objects.get(title="Claimed").file_sha256 == ""

