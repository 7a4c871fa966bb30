"""Running the platform: check that the database is there, collect static files once, serve under waitress."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from shelter.config import env_flag

# Headers a TLS-terminating proxy sets; waitress drops them unless they come from a proxy it trusts.
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for"}
# Written into STATIC_ROOT once the static files of this version of Shelter are collected and compressed.
STATIC_STAMP = ".shelter-static-version"


class NotReady(Exception):
    """The installation cannot do what was asked yet; the message says what to run or change."""


def _database_location() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings["NAME"])
    return f"database '{settings['NAME']}' on {settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"


def database_initialised() -> bool:
    """Whether the database exists and has been migrated at least once. A missing SQLite file is not created."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        if not Path(connection.settings_dict["NAME"]).exists():
            return False
    return MigrationRecorder(connection).has_table()


def require_database() -> None:
    if not database_initialised():
        raise NotReady(f"the database is not initialised ({_database_location()}): run `shelter migrate` to create "
                       "it, or set SHELTER_HOME (or SHELTER_DATABASE_URL) to your installation's")


def migrate(verbosity: int = 0) -> None:
    """Create or upgrade the schema, then make sure the static files are collected for this version."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    collect_static_files()


def _static_fingerprint() -> str:
    """This version of Shelter, the static files storage and every static source file (name, size, modification time): collected files
    are reused until one of them changes."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    try:
        installed = version("shelter")
    except PackageNotFoundError:
        installed = "unknown"
    digest = hashlib.sha256(f"{installed}\0{settings.STORAGES['staticfiles']['BACKEND']}".encode())
    for finder in get_finders():
        for name, storage in finder.list([]):
            stat = os.stat(storage.path(name))
            digest.update(f"\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def collect_static_files() -> bool:
    """Collect and compress the static files into STATIC_ROOT unless this version's are already there.
    Returns whether they were collected."""
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text().strip() == fingerprint:
        return False
    stamp.unlink(missing_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint + "\n")
    return True


def prepare_to_serve() -> None:
    """Refuse a database that was never created; apply pending migrations (after an upgrade); collect static
    files only when this version's are not collected yet."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    require_database()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        migrate()
    else:
        collect_static_files()


def proxy_options() -> dict[str, Any]:
    """Behind TLS (``SHELTER_HTTPS``), trust the scheme and client address sent by the proxy at
    ``SHELTER_TRUSTED_PROXY`` (default 127.0.0.1); without this every request looks like plain HTTP and the
    HTTPS redirect would loop."""
    if not env_flag("SHELTER_HTTPS"):
        return {}
    return {"trusted_proxy": os.environ.get("SHELTER_TRUSTED_PROXY", "127.0.0.1"),
            "trusted_proxy_headers": PROXY_HEADERS, "trusted_proxy_count": 1}


def listen(host: str, port: int, threads: int) -> Any:
    """Open the listening socket (so that a port in use is reported before anything else is done)."""
    from django.conf import settings
    from waitress.server import create_server

    from shelter.wsgi import application

    # Refuse oversized bodies before they reach Django (the largest upload plus room for the form around it).
    body_limit = settings.MAX_UPLOAD_BYTES + 1024 * 1024
    try:
        return create_server(application, host=host, port=port, threads=threads, ident="Shelter",
                             max_request_body_size=body_limit, **proxy_options())
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise NotReady(f"port {port} on {host} is already in use (another `shelter serve`?): stop that "
                           "server or choose another port with --port") from None
        if error.errno == errno.EACCES:
            raise NotReady(f"not allowed to listen on port {port} on {host} (ports below 1024 need privileges): "
                           "choose another port with --port") from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise NotReady(f"cannot listen on {host}: not an address of this machine") from None
        raise


def serve(host: str, port: int, threads: int, on_ready: Callable[[], object] | None = None) -> None:
    """Listen, prepare (database check, migrations, static files), call ``on_ready`` (e.g. start a worker), then
    answer requests until stopped."""
    server = listen(host, port, threads)
    try:
        prepare_to_serve()
        if on_ready is not None:
            on_ready()
    except BaseException:
        server.close()
        raise
    server.print_listen("Serving on http://{}:{}")
    server.run()
