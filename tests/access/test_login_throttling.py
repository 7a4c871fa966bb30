"""Sign-in throttling counts failures per address and per username: one address cannot spray a password over
many usernames, and many addresses cannot take turns guessing one account's password."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_one_address_spraying_a_password_over_many_usernames_is_locked_out(users, settings) -> None:  # type: ignore[no-untyped-def]
    sprayer = _from("198.51.100.7")
    targets = ["viewer", "researcher", "editor", "admin", "outsider"][:settings.AXES_FAILURE_LIMIT]
    assert len(targets) == settings.AXES_FAILURE_LIMIT  # one try per username, never two on the same one
    for username in targets:
        assert sprayer.post(LOGIN, {"username": username, "password": "Spring2026!"}).status_code in (200, 429)
    # the address is locked out even for a username it never tried, with the right password
    refused = sprayer.post(LOGIN, {"username": "viewer_public", "password": PASSWORD})
    assert refused.status_code == 429 and not _signed_in(sprayer)
    # the same account from another address is not affected
    elsewhere = _from("203.0.113.9")
    assert elsewhere.post(LOGIN, {"username": "viewer_public", "password": PASSWORD}).status_code == 302
    assert _signed_in(elsewhere)


def test_a_forwarded_for_header_does_not_change_the_address_counted(users, settings) -> None:  # type: ignore[no-untyped-def]
    sprayer = _from("198.51.100.8")
    for n, username in enumerate(["viewer", "researcher", "editor", "admin", "outsider"][:settings.AXES_FAILURE_LIMIT]):
        sprayer.post(LOGIN, {"username": username, "password": "Spring2026!"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    refused = sprayer.post(LOGIN, {"username": "viewer_public", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert refused.status_code == 429


def test_many_addresses_guessing_one_account_lock_that_username(users, settings) -> None:  # type: ignore[no-untyped-def]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _from(f"198.51.100.{10 + n}").post(LOGIN, {"username": "editor", "password": f"guess-{n}"})
    owner = _from("203.0.113.20")
    refused = owner.post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert refused.status_code == 429 and not _signed_in(owner)
    # other accounts from that address still sign in
    assert owner.post(LOGIN, {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(users, settings) -> None:  # type: ignore[no-untyped-def]
    client = _from("198.51.100.50")
    for username in ["viewer", "researcher", "editor", "admin", "outsider"][:settings.AXES_FAILURE_LIMIT - 1]:
        client.post(LOGIN, {"username": username, "password": "wrong-guess"})
    assert client.post(LOGIN, {"username": "viewer_public", "password": PASSWORD}).status_code == 302


def test_the_limit_comes_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env.update({"SHELTER_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shelter.settings",
                "SHELTER_LOGIN_FAILURE_LIMIT": "12"})
    script = ("import django; django.setup(); from django.conf import settings; "
              "print(settings.AXES_FAILURE_LIMIT, settings.AXES_LOCKOUT_PARAMETERS)")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "12 ['ip_address', 'username']"
