"""Account management in the admin is for Shelter admins only; editors curate records but not access."""

from __future__ import annotations

import pytest

from shelter.access.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/access/user/", "/admin/access/team/", "/admin/access/apitoken/"])
def test_accounts_only_for_admins(client, users, path):  # type: ignore[no-untyped-def]
    ApiToken.issue(users["viewer"], "laptop")
    client.force_login(users["admin"])
    assert client.get(path).status_code == 200
    client.force_login(users["editor"])
    assert client.get(path).status_code == 403
    client.force_login(users["viewer"])
    assert client.get(path).status_code == 302  # not staff: sent to the admin login


def test_token_digest_is_never_shown(client, users):  # type: ignore[no-untyped-def]
    ApiToken.issue(users["viewer"], "laptop")
    token = ApiToken.objects.get()
    client.force_login(users["admin"])
    body = client.get(f"/admin/access/apitoken/{token.pk}/change/").content.decode()
    assert "laptop" in body and token.digest not in body


def test_threat_reports_in_admin_follow_visibility(client, users, teams):  # type: ignore[no-untyped-def]
    from shelter.threats.models import ThreatReport

    report = ThreatReport.objects.create(kind="value", subject="ZQSECRETREPORT", verdict="suspicious", score=40,
                                         report={}, confidentiality="confidential")
    report.teams.add(teams["beta"])
    client.force_login(users["editor"])
    assert "ZQSECRETREPORT" not in client.get("/admin/threats/threatreport/").content.decode()
    assert client.get(f"/admin/threats/threatreport/{report.pk}/change/").status_code in (302, 404)
    client.force_login(users["admin"])
    assert "ZQSECRETREPORT" in client.get("/admin/threats/threatreport/").content.decode()
