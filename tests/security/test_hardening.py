"""Production hardening: password hashing, login throttling, CSRF, secure headers, deploy checks, debug default,
upload limits."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):  # type: ignore[no-untyped-def]
    # Pages link static files; tests run without collectstatic's manifest.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _platform_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment for a separate Django process: fresh SHELTER_HOME, no inherited Shelter settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env.update({"SHELTER_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shelter.settings", **extra})
    return env


def _run_django(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "django", *args], env=_platform_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=180, check=False)


def _setting(tmp_path: Path, name: str, **env: str) -> str:
    """The value of a setting as a separate process started with ``env`` sees it."""
    script = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", script], env=_platform_env(tmp_path, **env),
                            capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- passwords --------------------------------------------------------------------------------------------

def test_passwords_are_hashed_with_argon2(users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "argon2"
    stored = users["viewer"].password
    assert stored.startswith("argon2$argon2id$")
    assert "correct-horse-battery" not in stored
    assert users["viewer"].check_password("correct-horse-battery")


def test_weak_passwords_are_refused_when_accounts_are_made(db) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.services import AccessError, create_or_update_user

    for weak in ("password123", "12345678901", "short"):
        with pytest.raises(AccessError, match="password rejected"):
            create_or_update_user("newcomer", "viewer", weak)


# --- login throttling -------------------------------------------------------------------------------------

def test_login_locks_after_repeated_failures(users, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    good = {"username": "viewer", "password": "correct-horse-battery"}
    assert client.post(LOGIN, good).status_code == 302  # the right password works before any failure
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed = client.post(LOGIN, {"username": "viewer", "password": "wrong-guess"})
        assert failed.status_code in (200, 429)
    locked = client.post(LOGIN, good)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # other accounts are not locked by one account's failures from another address (the address itself is locked:
    # tests/access/test_login_throttling.py)
    elsewhere = Client(REMOTE_ADDR="203.0.113.5")
    assert elsewhere.post(LOGIN, {"username": "editor", "password": "correct-horse-battery"}).status_code == 302


# --- CSRF ---------------------------------------------------------------------------------------------------

def test_csrf_is_enforced_on_forms(users) -> None:  # type: ignore[no-untyped-def]
    browser = Client(enforce_csrf_checks=True)
    credentials = {"username": "editor", "password": "correct-horse-battery"}
    assert browser.post(LOGIN, credentials).status_code == 403
    page = browser.get(LOGIN)
    token = page.context["csrf_token"]
    assert f'name="csrfmiddlewaretoken" value="{token}"' in page.content.decode()
    assert browser.post(LOGIN, {**credentials, "csrfmiddlewaretoken": str(token)}).status_code == 302
    # signed in, state-changing posts still need the token
    assert browser.post("/accounts/logout/").status_code == 403
    assert browser.post("/i18n/setlang/", {"language": "ru"}).status_code == 403


# --- headers ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [LOGIN, "/", "/api/v1/openapi.json"])
def test_secure_headers(path: str, client: Client) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only(users, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.get(LOGIN)
    response = client.post(LOGIN, {"username": "viewer", "password": "correct-horse-battery"})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# --- deployment checks and defaults ----------------------------------------------------------------------

def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    production = {"SHELTER_HTTPS": "1", "SHELTER_SECRET_KEY": secrets.token_urlsafe(64),
                  "SHELTER_ALLOWED_HOSTS": "shelter.example.org"}
    result = _run_django(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_deployment_without_https(tmp_path: Path) -> None:
    # The same check fails loudly when the TLS settings are missing, so the test above can fail.
    result = _run_django(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                         SHELTER_SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS
    assert "security.W008" in result.stderr + result.stdout  # SSL redirect


def test_generated_secret_key_is_long_and_private(tmp_path: Path) -> None:
    key = _setting(tmp_path, "SECRET_KEY")
    assert len(key) >= 50
    assert _setting(tmp_path, "SECRET_KEY") == key  # generated once, kept in SHELTER_HOME
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("0", "False"), ("1", "True")])
def test_debug_is_off_unless_asked_for(tmp_path: Path, value: str | None, expected: str) -> None:
    extra = {} if value is None else {"SHELTER_DEBUG": value}
    assert _setting(tmp_path, "DEBUG", **extra) == expected


def test_errors_do_not_leak_debug_pages(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content and b"URLconf" not in response.content


# --- upload limits ----------------------------------------------------------------------------------------

def test_request_bodies_over_the_limit_are_rejected(users, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(LOGIN, {"username": "viewer", "password": "x" * 4096})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_evidence_over_the_limit_is_refused_and_nothing_is_kept(settings, tmp_path: Path) -> None:
    from shelter.incidents.evidence import EvidenceTooLarge, evidence_dir, store_evidence

    settings.SHELTER_HOME = tmp_path
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.MAX_UPLOAD_BYTES = 4096
    with pytest.raises(EvidenceTooLarge, match="larger than"):
        store_evidence(iter([b"a" * 3000, b"b" * 3000]))
    assert not [p for p in evidence_dir().rglob("*") if p.is_file()]
    stored = store_evidence(iter([b"a" * 3000]))
    assert stored.size == 3000


def test_an_oversized_evidence_upload_is_a_form_error(users, client: Client, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelter.incidents.models import Source

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.MAX_UPLOAD_BYTES = 2048
    client.force_login(users["editor"])
    upload = SimpleUploadedFile("leak.pdf", b"%PDF-1.4 " + b"x" * 4096, content_type="application/pdf")
    response = client.post("/incidents/sources/new/", {"title": "Court ruling", "kind": "court_record",
                                                       "reliability": "high", "confidentiality": "internal",
                                                       "file": upload})
    assert response.status_code == 200
    assert "the largest accepted upload is" in response.content.decode()
    assert not Source.objects.filter(title="Court ruling").exists()
    assert not (tmp_path / "evidence").exists() or not any(p.is_file() for p in (tmp_path / "evidence").rglob("*"))
