from __future__ import annotations

import hashlib

import pytest

from shelter.incidents.evidence import EvidenceTooLarge, path_for, read_evidence, store_evidence


def test_store_is_content_addressed_and_idempotent(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path
    payload = b"%PDF-1.4 court summons"
    first = store_evidence([payload[:5], payload[5:]])
    second = store_evidence([payload])
    assert first == second
    assert first.sha256 == hashlib.sha256(payload).hexdigest()
    assert first.media_type == "application/pdf" and first.size == len(payload)
    assert read_evidence(first.sha256) == payload
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.sha256]


def test_oversized_upload_leaves_nothing_behind(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path
    with pytest.raises(EvidenceTooLarge):
        store_evidence([b"x" * 1000, b"y" * 1000], max_bytes=1500)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_digest_paths_reject_traversal() -> None:
    with pytest.raises(ValueError):
        path_for("../../etc/passwd")
