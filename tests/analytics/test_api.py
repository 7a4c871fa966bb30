"""The analytics API answers with the caller's figures, and anonymous callers get the public version."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import SECRET_MARK

pytestmark = pytest.mark.django_db


def test_figures_briefing_and_agreements_follow_the_token(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken
    from shelter.incidents.models import Incident

    anonymous = client.get("/api/v1/analytics/figures").json()
    assert anonymous["public"] is True
    assert SECRET_MARK not in str(client.get("/api/v1/analytics/agreements?state=UZ").json())

    token = ApiToken.issue(users["viewer"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    figures = client.get("/api/v1/analytics/figures?states=UZ&year_from=2015", **auth).json()
    assert figures["public"] is False
    visible = Incident.objects.visible_to(users["viewer"]).filter(origin_state="UZ", year__gte=2015)
    assert sum(row["count"] for row in figures["tables"]["by_tactic"]["rows"]) == visible.count()
    briefing = client.get("/api/v1/analytics/states/UZ/briefing", **auth).json()
    assert briefing["incidents_total"] == Incident.objects.visible_to(users["viewer"]).filter(
        origin_state="UZ").count()
    partners = {a["partner"] for a in client.get("/api/v1/analytics/agreements?state=UZ", **auth).json()}
    assert partners == {"European Union", "Germany"}

    assert client.get("/api/v1/analytics/figures?tactics=teleport", **auth).status_code == 422
    assert client.get("/api/v1/analytics/states/Narnia/briefing", **auth).status_code == 422
    assert client.get("/api/v1/analytics/figures", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_the_briefing_figures_speak_the_caller_s_language(client, workspace):  # type: ignore[no-untyped-def]
    english = client.get("/api/v1/analytics/states/UZ/briefing?public=true").json()
    russian = client.get("/api/v1/analytics/states/UZ/briefing?public=true", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert english.keys() == russian.keys() and english["incidents_total"] == russian["incidents_total"]
    assert "Uzbekistan" in str(english) and "Uzbekistan" not in str(russian) and "Узбекистан" in str(russian)
