"""The at-risk flag is for signed-in users only: an anonymous visitor never learns who is at risk, even of a
published public person, by any path (pages, API, exports, history)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from shelter.access.models import ApiToken
from shelter.registry import services
from shelter.registry.models import Person

pytestmark = pytest.mark.django_db

BADGE = 'class="badge warn">at risk<'


@pytest.fixture
def exile(users) -> Person:  # type: ignore[no-untyped-def]
    """A published public person whom an editor then marks at risk (so the history holds the change)."""
    person = services.create_person(users["editor"], {"primary_name": "Zafar Qodirov", "nationalities": ["UZ"],
                                                      "confidentiality": "public", "published": True})
    services.update_person(users["editor"], person, {"at_risk": True})
    return person


def _page(user: Any, url: str) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url).content.decode()


def _api(user: Any, url: str) -> Any:
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"} if user is not None else {}
    return Client(headers=headers).get(url)


def test_pages_show_the_flag_to_signed_in_users_only(exile, users) -> None:  # type: ignore[no-untyped-def]
    for url in (exile.get_absolute_url(), "/registry/people/"):
        anonymous = _page(None, url)
        assert "Zafar Qodirov" in anonymous and BADGE not in anonymous, url
        assert BADGE in _page(users["viewer_public"], url), url


def test_history_does_not_tell_anonymous_visitors_who_was_marked_at_risk(exile, users) -> None:  # type: ignore[no-untyped-def]
    anonymous = _page(None, exile.get_absolute_url())
    assert "at risk" not in anonymous.lower() and "at_risk" not in anonymous
    assert "at risk" in _page(users["viewer_public"], exile.get_absolute_url()).split('id="history"')[1].lower()


def test_a_candidate_on_a_public_notice_is_not_flagged_to_anonymous_visitors(exile, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.models import Notice, ScreeningMatch

    notice = Notice.objects.create(entity_id="2024/100", forename="Zafar", surname="Qodirov", issuing_state="UZ",
                                   confidentiality="public", published=True)
    ScreeningMatch.objects.create(notice=notice, person=exile, score=0.97, explanation="same name")
    anonymous = _page(None, notice.get_absolute_url())
    assert "Zafar Qodirov" in anonymous and BADGE not in anonymous
    assert BADGE in _page(users["viewer"], notice.get_absolute_url())


def test_the_api_gives_anonymous_callers_no_flag_and_no_filter(exile, users) -> None:  # type: ignore[no-untyped-def]
    one = _api(None, f"/api/v1/people/{exile.pk}").json()
    assert one["primary_name"] == "Zafar Qodirov" and one["at_risk"] is None
    assert [p["at_risk"] for p in _api(None, "/api/v1/people/").json()["items"]] == [None]
    refused = _api(None, "/api/v1/people/?at_risk=true")
    assert refused.status_code == 422 and "signed-in" in refused.content.decode()
    assert _api(users["viewer_public"], f"/api/v1/people/{exile.pk}").json()["at_risk"] is True
    assert _api(users["viewer_public"], "/api/v1/people/?at_risk=true").json()["count"] == 1


def test_the_public_export_has_no_flag(exile, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.cli import main

    public = CliRunner().invoke(main, ["export", "--format", "json", "--public"], catch_exceptions=False)
    people = json.loads(public.stdout)["persons"]
    assert [(p["primary_name"], p["at_risk"]) for p in people] == [("Zafar Qodirov", None)]
    signed = CliRunner().invoke(main, ["export", "--format", "json", "--as", "viewer_public"], catch_exceptions=False)
    assert json.loads(signed.stdout)["persons"][0]["at_risk"] is True
