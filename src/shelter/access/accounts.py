"""Sign-in with a password, then a code from the authenticator app; the two-factor set-up page."""

from __future__ import annotations

import time
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from shelter import flash
from shelter.access import twofactor
from shelter.access.models import User

# The password step leaves the account here until the code step signs it in; it lapses after five minutes.
PENDING_KEY = "shelter_2fa_pending"
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        help_text=gettext_lazy("Six digits from your authenticator app, or one of your recovery codes."),
    )


class SignInView(LoginView):
    """The password step. An account with two-factor authentication goes on to the code step, not yet signed in."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not twofactor.is_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                             "next": self.get_success_url()}
        return HttpResponseRedirect(reverse("login_code"))


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()  # type: ignore[misc]
    return (user, pending) if user is not None else None


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The code step: a code from the app (or a recovery code) signs in the account the password step named."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING_KEY, None)
        flash.info(request, gettext_noop("Sign in again: the code step lasts five minutes."))
        return redirect("login")
    user, pending = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        device = twofactor.check_code(user, form.cleaned_data["code"])
        if device is None:
            # Counts as a failed sign-in: the address and the username are locked out like for wrong passwords.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", _("That code is not right or was already used. Wait for the next code and "
                                     "try again."))
        else:
            del request.session[PENDING_KEY]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/login_code.html", {"form": form})


@login_required
@sensitive_post_parameters("code")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up, renew the recovery codes of, or turn off two-factor authentication for the signed-in account."""
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if twofactor.is_enabled(user):
        if request.method == "POST" and form.is_valid():
            if action == "off" and twofactor.required_for(user):
                raise PermissionDenied(_("Two-factor authentication is required for your role."))
            if action not in ("codes", "off"):
                form.add_error(None, _("Choose what to do: new recovery codes or turn off."))
            elif twofactor.check_code(user, form.cleaned_data["code"]) is None:
                form.add_error("code", _("That code is not right or was already used."))
            elif action == "codes":
                return _show_recovery_codes(request, twofactor.new_recovery_codes(user))
            else:
                twofactor.turn_off(user)
                flash.success(request, gettext_noop("Two-factor authentication is off."))
                return redirect("two_factor")
        return render(request, "registration/two_factor.html", {
            "enabled": True, "form": form, "required": twofactor.required_for(user),
        })
    if request.method == "POST" and form.is_valid():
        confirmed = twofactor.confirm_app(user, form.cleaned_data["code"])
        if confirmed is None:
            form.add_error("code", _("That code is not right. Check the app's clock and enter the code it shows "
                                     "now."))
        else:
            device, codes = confirmed
            otp_login(request, device)
            return _show_recovery_codes(request, codes)
    app = twofactor.pending_app(user)
    uri = app.config_url
    return render(request, "registration/two_factor.html", {
        "enabled": False, "form": form, "required": twofactor.required_for(user),
        "secret": twofactor.secret_of(app), "uri": uri, "qr": segno.make(uri, error="m").svg_data_uri(scale=4),
    })


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The only time the codes are shown: in the answer to the post that made them."""
    return render(request, "registration/recovery_codes.html", {"codes": codes})
