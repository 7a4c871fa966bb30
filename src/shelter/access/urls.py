"""Sign-in, sign-out and two-factor authentication pages (under ``/accounts/``)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from shelter.access import accounts

urlpatterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("login/code/", accounts.sign_in_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", accounts.two_factor, name="two_factor"),
]
