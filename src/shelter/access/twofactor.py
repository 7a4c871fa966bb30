"""Two-factor authentication: a TOTP authenticator app per account, with single-use recovery codes.

Built on django-otp: a confirmed ``TOTPDevice`` is the authenticator app, a ``StaticDevice`` holds the recovery
codes (each removed when used). Both back off exponentially after wrong codes (django-otp's throttling), and the
sign-in code step also counts wrong codes as failed sign-ins for django-axes.

With ``SHELTER_REQUIRE_2FA=1`` admins and editors reach nothing but the set-up page until they have an app.
API tokens are not affected: the API never reads the browser session (see ``shelter.api.auth``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.access.models import Role, User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
# Paths a signed-in person who still has to set up two-factor authentication may reach. The API is listed
# because it never reads the browser session: it answers by bearer token only.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/")


def required_for(user: User) -> bool:
    """Whether this account must have two-factor authentication (``SHELTER_REQUIRE_2FA`` and admin or editor)."""
    return bool(settings.SHELTER_REQUIRE_2FA) and (user.is_superuser or user.role in (Role.ADMIN, Role.EDITOR))


def is_enabled(user: User) -> bool:
    """Whether the account has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app(user: User) -> TOTPDevice:
    """The authenticator app being set up (created with a fresh secret on first call, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The app's secret as people type it into an authenticator app: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_app(user: User, code: str) -> tuple[Device, list[str]] | None:
    """Confirm the app being set up with a code it shows: the app and fresh recovery codes, or None if wrong.

    A confirmed app replaces any earlier one, and earlier recovery codes stop working.
    """
    with transaction.atomic():
        device = verify_token(user, pending_app(user).persistent_id, normalise(code))
        if device is None:
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device, new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with new ones; they are shown once and each works once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                       defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check_code(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (six digits from the app, or an unused recovery code), else None."""
    code = normalise(code)
    model: type[Device] = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        accepted = verify_token(user, device.persistent_id, code)
        if accepted is not None:
            return accepted
    return None


def turn_off(user: User) -> int:
    """Remove the account's app and recovery codes (the person sets up again); returns how many were removed."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
    return removed


def normalise(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, letters in lower case."""
    return "".join(code.split()).replace("-", "").lower()


class TwoFactorMiddleware:
    """Keeps signed-in browser sessions to the two-factor rules (after django-otp's ``OTPMiddleware``).

    - An account with an app whose session was not verified with a code (a session begun before the app was set
      up, or by a path that skipped the code step) is signed out.
    - An account that must have two-factor authentication and has none reaches only the set-up page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            assert isinstance(user, User)
            if not user.is_verified() and is_enabled(user):  # type: ignore[attr-defined]
                logout(request)
                return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            setup = reverse("two_factor")
            if (required_for(user) and not user.is_verified()  # type: ignore[attr-defined]
                    and request.path not in (setup, reverse("logout"))):
                return HttpResponseRedirect(setup)
        return self.get_response(request)
