"""Shared fixtures: one user per role, two case teams, and records at every confidentiality level."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Keep test runs away from a developer's real SHELTER_HOME.
os.environ.setdefault("SHELTER_HOME", tempfile.mkdtemp(prefix="shelter-test-"))

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; the test is skipped with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (tests that need the full ../shared/data skip without it)")
    return path


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
        user = User.objects.create_user(name, password="correct-horse-battery", role=role, clearance=clearance)
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
