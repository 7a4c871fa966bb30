"""Lawyers' review notes are records with their own confidentiality (internal unless chosen otherwise): a public
notice does not make its notes public, and a note a reader may not see is neither shown nor changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.notices.models import IndicatorReview, Notice

pytestmark = pytest.mark.django_db

NOTE = "ZQNOTE client's asylum file, page 12"


def _api(user: Any = None) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"} if user else {})


def _browser(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _review(user: Any, notice: Notice, body: dict[str, Any], indicator: str = "RN-02") -> Any:
    return _api(user).put(f"/api/v1/notices/{notice.pk}/reviews/{indicator}",
                          json.dumps({"answer": "present", "note": NOTE, **body}), content_type="application/json")


def _reads(user: Any, notice: Notice) -> list[str]:
    """Every place a note is shown: the API assessment, the assessment page, the dossier (page and API)."""
    return [
        _api(user).get(f"/api/v1/notices/{notice.pk}/assessment").content.decode(),
        _browser(user).get(f"/notices/{notice.pk}/assessment/").content.decode(),
        _browser(user).get(f"/notices/{notice.pk}/dossier/").content.decode(),
        _api(user).get(f"/api/v1/notices/{notice.pk}/dossier.html").content.decode(),
    ]


@pytest.fixture
def public_notice(imported) -> Notice:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2022/46614")
    assert notice.confidentiality == "public" and notice.published
    return notice


def test_a_note_on_a_public_notice_is_internal_by_default(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    response = _review(users["editor"], public_notice, {})
    assert response.status_code == 200, response.content
    assert IndicatorReview.objects.get().confidentiality == "internal"
    for role in (None, "viewer_public"):
        for text in _reads(users.get(role), public_notice):
            assert "ZQNOTE" not in text, role
        answers = _api(users.get(role)).get(f"/api/v1/notices/{public_notice.pk}/assessment").json()
        rn02 = next(item for item in answers["indicators"] if item["id"] == "RN-02")
        assert "review" not in rn02 and not rn02["overridden"], role
    for text in _reads(users["viewer"], public_notice):
        assert "ZQNOTE" in text


def test_a_note_made_public_and_published_reaches_everyone(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    assert _review(users["editor"], public_notice, {"confidentiality": "public", "published": True}).status_code == 200
    assessment = _api().get(f"/api/v1/notices/{public_notice.pk}/assessment").json()
    rn02 = next(item for item in assessment["indicators"] if item["id"] == "RN-02")
    assert rn02["review"]["note"] == NOTE
    assert rn02["review"]["reviewer"] is None  # no usernames for anonymous visitors
    for text in _reads(None, public_notice):
        assert "ZQNOTE" in text and "editor" not in text
    team = _api(users["viewer"]).get(f"/api/v1/notices/{public_notice.pk}/assessment").json()
    assert next(i for i in team["indicators"] if i["id"] == "RN-02")["review"]["reviewer"] == "editor"


def test_a_hidden_note_is_neither_shown_nor_overwritten(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    """Team alpha's confidential note; the researcher (team beta) answers the same indicator beside it."""
    assert _review(users["editor"], public_notice, {"confidentiality": "confidential"}).status_code == 200
    for text in _reads(users["researcher"], public_notice):
        assert "ZQNOTE" not in text
    response = _api(users["researcher"]).put(f"/api/v1/notices/{public_notice.pk}/reviews/RN-02",
                                             json.dumps({"answer": "absent", "note": "court file describes the act"}),
                                             content_type="application/json")
    assert response.status_code == 200, response.content
    assert "ZQNOTE" not in response.content.decode()
    notes = dict(IndicatorReview.objects.values_list("reviewer__username", "note"))
    assert notes == {"editor": NOTE, "researcher": "court file describes the act"}
    # the team, who may see both, is given the latest answer, and keeps its own note in the history of answers
    team = _api(users["editor"]).get(f"/api/v1/notices/{public_notice.pk}/assessment").json()
    assert next(i for i in team["indicators"] if i["id"] == "RN-02")["review"]["reviewer"] == "researcher"
    assert "ZQNOTE" in _browser(users["editor"]).get(f"/notices/{public_notice.pk}/assessment/").content.decode()


def test_the_history_of_answers_shows_only_versions_the_reader_could_see(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    _review(users["editor"], public_notice, {"confidentiality": "confidential"})
    _review(users["editor"], public_notice, {"confidentiality": "public", "published": True, "note": "ZQLATER"})
    anonymous = _browser().get(f"/notices/{public_notice.pk}/assessment/").content.decode()
    assert "ZQLATER" in anonymous and "ZQNOTE" not in anonymous
    assert ">editor<" not in anonymous  # no usernames for anonymous visitors
    team = _browser(users["editor"]).get(f"/notices/{public_notice.pk}/assessment/").content.decode()
    assert "ZQLATER" in team and "ZQNOTE" in team


def test_evidence_attached_to_a_hidden_note_is_hidden(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    _review(users["editor"], public_notice, {"confidentiality": "confidential"})
    attached = _browser(users["editor"]).post(f"/notices/{public_notice.pk}/assessment/RN-02/evidence/",
                                              {"note": "ZQATTACHED witness statement"})
    assert attached.status_code == 302
    for text in _reads(users["researcher"], public_notice) + _reads(None, public_notice):
        assert "ZQATTACHED" not in text
    assert any("ZQATTACHED" in text for text in _reads(users["editor"], public_notice))


def test_a_note_above_the_writers_clearance_is_refused(public_notice, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import User

    users["viewer"].role = "researcher"
    users["viewer"].save()
    refused = _review(User.objects.get(pk=users["viewer"].pk), public_notice, {"confidentiality": "confidential"})
    assert refused.status_code == 422 and "above your clearance" in refused.content.decode()
    assert not IndicatorReview.objects.exists()
