"""Shared fixtures: one user per role, two case teams, and records at every confidentiality level."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; the test is skipped with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (tests that need the full ../shared/data skip without it)")
    return path


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):  # type: ignore[no-untyped-def]
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks():  # type: ignore[no-untyped-def]
    """Each test starts in the default language, whatever an earlier test or request left active in this thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


PASSWORD = "correct-horse-battery"


def _password_hash() -> str:
    """Argon2 is slow by design: hash the shared test password once per run (per hasher in force)."""
    from django.contrib.auth.hashers import get_hasher

    return _hash_with(get_hasher().algorithm)


@functools.cache
def _hash_with(algorithm: str) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD, hasher=algorithm)


@pytest.fixture
def teams(db):  # type: ignore[no-untyped-def]
    from shelter.access.models import Team

    return {"alpha": Team.objects.create(name="alpha"), "beta": Team.objects.create(name="beta")}


@pytest.fixture
def users(db, teams):  # type: ignore[no-untyped-def]
    """admin; editor (alpha, confidential clearance); researcher (beta, confidential); viewer (internal);
    viewer_public (public clearance); outsider_editor (no team, confidential clearance)."""
    from shelter.access.models import User

    def make(name: str, role: str, clearance: str, *team_names: str) -> User:
        user = User(username=name, role=role, clearance=clearance, password=_password_hash())
        user.save()
        for team_name in team_names:
            user.teams.add(teams[team_name])
        return user

    return {
        "admin": make("admin", "admin", "confidential"),
        "editor": make("editor", "editor", "confidential", "alpha"),
        "researcher": make("researcher", "researcher", "confidential", "beta"),
        "viewer": make("viewer", "viewer", "internal", "alpha"),
        "viewer_public": make("viewer_public", "viewer", "public"),
        "outsider": make("outsider", "editor", "confidential"),
    }
