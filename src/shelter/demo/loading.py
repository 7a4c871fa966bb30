"""``shelter demo``: load the workspace once into the database and (re)create the demo users."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from shelter.demo.builder import ANCHOR_TITLE, CENTRAL_ASIA_DESK, EURASIA_DESK
from shelter.demo.workspace import build_workspace, save_workspace

MARKER_FILE = "DEMO"

# username, role, clearance, case teams
DEMO_USERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("demo-admin", "admin", "confidential", ()),
    ("demo-editor", "editor", "confidential", (CENTRAL_ASIA_DESK,)),
    ("demo-researcher", "researcher", "confidential", (EURASIA_DESK,)),
    ("demo-viewer", "viewer", "internal", (CENTRAL_ASIA_DESK,)),
)


def _demo_users() -> list[tuple[str, str, str]]:
    from shelter.access.services import create_or_update_user

    credentials = []
    for username, role, clearance, teams in DEMO_USERS:
        # A fresh random password each run: the old one cannot be shown again (only its Argon2 hash is kept).
        password = secrets.token_urlsafe(12)
        create_or_update_user(username, role, password, clearance=clearance, teams=teams)
        credentials.append((username, role, password))
    return credentials


def load_demo_workspace(progress: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """Migrate, load the fictional workspace once, (re)create the demo users; returns (username, role, password).

    Running it again leaves the records as they are and issues new passwords to the same demo users.
    """
    from django.conf import settings
    from django.core.management import call_command

    from shelter.incidents.models import Source

    progress("Migrating the database...")
    call_command("migrate", interactive=False, verbosity=0)
    if Source.objects.filter(title=ANCHOR_TITLE).exists():
        progress("Demo workspace already loaded; keeping it.")
    else:
        progress("Loading the fictional demo workspace...")
        save_workspace(build_workspace(), progress)
        from shelter.network.demo import add_informant_network

        add_informant_network(progress)
        from shelter.monitoring.demo import add_demo_returnees

        add_demo_returnees(progress)
        from shelter.demo.surveillance import add_demo_surveillance

        add_demo_surveillance(progress)
        from shelter.notices.demo import add_demo_notices

        add_demo_notices(progress)
    (Path(settings.SHELTER_HOME) / MARKER_FILE).write_text(
        "This Shelter workspace holds the fictional demo data (shelter demo).\n", encoding="utf-8")
    progress("Creating demo users...")
    return _demo_users()
