"""Runtime configuration read from the environment and ``SHELTER_HOME``.

Kept free of Django imports so that the CLI can resolve paths before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def shelter_home() -> Path:
    """The directory holding the SQLite database, the secret key and evidence files."""
    home = Path(os.environ.get("SHELTER_HOME", "./var")).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key(home: Path) -> str:
    """``SHELTER_SECRET_KEY`` if set, else a key generated once and kept in ``SHELTER_HOME``."""
    from_env = os.environ.get("SHELTER_SECRET_KEY")
    if from_env:
        return from_env
    key_file = home / "secret_key"
    if not key_file.exists():
        key = secrets.token_urlsafe(50)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    return key_file.read_text().strip()
