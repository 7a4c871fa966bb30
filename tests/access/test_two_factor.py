"""Two-factor authentication: set-up, sign-in with a code or a recovery code, the requirement for admins and
editors, sessions that skipped the code, throttling of codes, and the operator's reset."""

from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.access import twofactor
from shelter.access.models import ApiToken, User
from shelter.cli import main

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
SETUP = "/accounts/two-factor/"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_code_back_off(settings):  # type: ignore[no-untyped-def]
    # django-otp makes a person wait 1, 2, 4… seconds after each wrong code; tests that try a wrong code and then
    # a right one turn the wait off (test_wrong_codes_back_off keeps it on).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows (``steps_ahead`` 30-second steps from now)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the app does not show in any of the steps a code is accepted in."""
    accepted = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def enable(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator app and recovery codes for ``user``, no code used yet (the page is tested above)."""
    device = TOTPDevice.objects.create(user=user, name=twofactor.APP_DEVICE_NAME, confirmed=True)
    return device, twofactor.new_recovery_codes(user)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- set-up ------------------------------------------------------------------------------------------------

def test_set_up_shows_secret_and_uri_then_recovery_codes_once(client: Client, users) -> None:  # type: ignore[no-untyped-def]
    client.force_login(users["viewer"])
    page = client.get(SETUP)
    body = page.content.decode()
    assert page.status_code == 200
    secret = page.context["secret"]
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret) and secret in body
    uri = page.context["uri"]
    assert uri.startswith("otpauth://totp/Shelter%3Aviewer?secret=" + secret.replace(" ", ""))
    assert "issuer=Shelter" in uri and uri.replace("&", "&amp;") in body
    assert 'src="data:image/svg+xml' in body  # the QR code is drawn here, nothing is fetched
    assert not twofactor.is_enabled(users["viewer"])

    wrong = client.post(SETUP, {"code": wrong_code(TOTPDevice.objects.get())})
    assert "That code is not right" in wrong.content.decode()
    assert not twofactor.is_enabled(users["viewer"])

    done = client.post(SETUP, {"code": code_for(TOTPDevice.objects.get())})
    codes = done.context["codes"]
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == len(set(codes))
    assert all(code in done.content.decode() for code in codes)
    assert twofactor.is_enabled(users["viewer"])
    # the session that set it up counts as verified; the codes are never shown again
    later = client.get(SETUP).content.decode()
    assert "is on" in later and not any(code in later for code in codes)
    assert client.get("/dashboard/").status_code == 200


def test_a_new_app_replaces_the_old_one_and_its_recovery_codes(users) -> None:  # type: ignore[no-untyped-def]
    first, first_codes = enable(users["viewer"])
    second = twofactor.pending_app(users["viewer"])
    confirmed = twofactor.confirm_app(users["viewer"], code_for(second))
    assert confirmed is not None and confirmed[0] == second
    second_codes = confirmed[1]
    assert list(TOTPDevice.objects.filter(user=users["viewer"])) == [second]
    assert twofactor.check_code(users["viewer"], first_codes[0]) is None
    assert twofactor.check_code(users["viewer"], second_codes[0]) is not None


def test_new_recovery_codes_need_a_code_and_replace_the_old(client: Client, users) -> None:  # type: ignore[no-untyped-def]
    device, old_codes = enable(users["viewer"])
    _sign_in(client, "viewer", code_for(device))
    refused = client.post(SETUP, {"action": "codes", "code": "12345"})
    assert "not right" in refused.content.decode()
    renewed = client.post(SETUP, {"action": "codes", "code": code_for(device, steps_ahead=1)})
    new_codes = renewed.context["codes"]
    assert set(new_codes).isdisjoint(old_codes)
    assert twofactor.check_code(users["viewer"], old_codes[1]) is None
    assert twofactor.check_code(users["viewer"], new_codes[1]) is not None


# --- signing in ------------------------------------------------------------------------------------------

def _sign_in(client: Client, username: str, code: str, next_url: str = "") -> object:
    first = client.post(LOGIN, {"username": username, "password": PASSWORD, "next": next_url})
    assert first.status_code == 302 and first["Location"] == CODE
    return client.post(CODE, {"code": code})


def test_sign_in_asks_for_the_code_after_the_password(users) -> None:  # type: ignore[no-untyped-def]
    device, _ = enable(users["editor"])
    client = Client()
    first = client.post(LOGIN, {"username": "editor", "password": PASSWORD, "next": "/incidents/"})
    assert first.status_code == 302 and first["Location"] == CODE
    assert not signed_in(client)  # the password alone signs nobody in
    assert client.get("/incidents/new/").status_code == 302
    page = client.get(CODE)
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    wrong = client.post(CODE, {"code": "12345x"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert not signed_in(client)
    right = client.post(CODE, {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == "/incidents/"
    assert signed_in(client)
    assert client.get("/incidents/new/").status_code == 200
    # the same code cannot be used twice
    other = Client()
    assert other.post(LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302
    assert "not right" in other.post(CODE, {"code": code_for(device)}).content.decode()
    assert not signed_in(other)


def test_a_recovery_code_signs_in_once(users) -> None:  # type: ignore[no-untyped-def]
    _, codes = enable(users["viewer"])
    client = Client()
    response = _sign_in(client, "viewer", codes[3].upper()[:4] + "-" + codes[3][4:])
    assert response.status_code == 302 and signed_in(client)
    assert not StaticToken.objects.filter(token=codes[3]).exists()
    again = Client()
    assert "not right" in _sign_in(again, "viewer", codes[3]).content.decode()  # type: ignore[attr-defined]
    assert not signed_in(again)


def test_the_code_step_needs_the_password_step_and_lapses(users) -> None:  # type: ignore[no-untyped-def]
    device, _ = enable(users["viewer"])
    client = Client()
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": code_for(device)})["Location"] == LOGIN
    assert not signed_in(client)
    client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    session = client.session
    session["shelter_2fa_pending"]["at"] -= 301
    session.save()
    assert client.post(CODE, {"code": code_for(device)})["Location"] == LOGIN
    assert not signed_in(client)


def test_accounts_without_two_factor_sign_in_with_the_password(users) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert signed_in(client)


def test_wrong_codes_count_as_failed_sign_ins(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    device, _ = enable(users["viewer"])
    client = Client()
    client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    statuses = [client.post(CODE, {"code": "99999x"}).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200] and statuses[2] == 429
    locked = client.post(CODE, {"code": code_for(device)})
    assert locked.status_code == 429 and not signed_in(client)
    assert TOTPDevice.objects.get(pk=device.pk).last_t < 0  # the right code was not even tried


def test_wrong_codes_back_off(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _ = enable(users["viewer"])
    assert twofactor.check_code(users["viewer"], wrong_code(device)) is None
    assert twofactor.check_code(users["viewer"], code_for(device)) is None  # must wait first
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert twofactor.check_code(users["viewer"], code_for(device)) == device


def test_admin_sign_in_goes_through_the_code_step(users) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_a_session_that_skipped_the_code_is_signed_out(users) -> None:  # type: ignore[no-untyped-def]
    enable(users["editor"])
    client = Client()
    client.force_login(users["editor"])  # as a session begun before the app was set up, or by another path
    for path in ("/dashboard/", "/admin/", SETUP):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), path
        assert not signed_in(client)
        client.force_login(users["editor"])


# --- required for admins and editors ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ["admin", "editor"])
def test_required_two_factor_keeps_admins_and_editors_out_until_set_up(role: str, users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_REQUIRE_2FA = True
    client = Client()
    assert client.post(LOGIN, {"username": role, "password": PASSWORD}).status_code == 302
    for path in ("/dashboard/", "/admin/", "/registry/people/", "/incidents/new/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP, path
    assert "requires two-factor" in client.get(SETUP).content.decode()
    client.post(SETUP, {"code": code_for(TOTPDevice.objects.get(user=users[role]))})
    assert client.get("/admin/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
    # and it cannot be turned off while required
    refused = client.post(SETUP, {"action": "off", "code": code_for(TOTPDevice.objects.get(user=users[role]), 1)})
    assert refused.status_code == 403 and twofactor.is_enabled(users[role])


def test_required_two_factor_leaves_other_roles_and_api_tokens_alone(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_REQUIRE_2FA = True
    client = Client()
    client.force_login(users["researcher"])
    assert client.get("/dashboard/").status_code == 200
    token = ApiToken.issue(users["editor"])
    api = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and "items" in api.json()


def test_turning_off_needs_a_code_when_not_required(client: Client, users) -> None:  # type: ignore[no-untyped-def]
    device, _ = enable(users["viewer"])
    _sign_in(client, "viewer", code_for(device))
    assert client.post(SETUP, {"action": "off", "code": "1234567"}).status_code == 200
    assert twofactor.is_enabled(users["viewer"])
    off = client.post(SETUP, {"action": "off", "code": code_for(device, steps_ahead=1)})
    assert off.status_code == 302 and not twofactor.is_enabled(users["viewer"])
    assert client.get("/dashboard/").status_code == 200


# --- the operator's reset -----------------------------------------------------------------------------------

def test_operator_resets_two_factor_of_a_user(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_REQUIRE_2FA = True
    enable(users["editor"])
    runner = CliRunner()
    listed = runner.invoke(main, ["users", "list"])
    assert "editor\teditor\tconfidential\talpha\t2fa" in listed.output
    result = runner.invoke(main, ["users", "2fa-reset", "editor"])
    assert result.exit_code == 0, result.output
    assert "removed for editor; they must set it up again" in result.output
    assert not twofactor.is_enabled(users["editor"]) and not StaticToken.objects.exists()
    again = runner.invoke(main, ["users", "2fa-reset", "editor"])
    assert "nothing changed" in again.output
    missing = runner.invoke(main, ["users", "2fa-reset", "nobody"])
    assert missing.exit_code == 2 and "no user named 'nobody'" in missing.output
    # signing in now leads straight to the set-up page
    client = Client()
    assert client.post(LOGIN, {"username": "editor", "password": PASSWORD})["Location"] == "/dashboard/"
    assert client.get("/dashboard/")["Location"] == SETUP
