"""Platform commands: serve, migrate, users, token, demo, trash."""

from __future__ import annotations

import sys

import click

from shelter.cli import setup_django


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=48, show_default=True, type=int,
              help="Request threads: enough for every client waiting on a write (see docs/operations.md).")
@click.option("--no-worker", is_flag=True, help="Run no background jobs here (run `shelter worker` elsewhere).")
def serve(host: str, port: int, threads: int, no_worker: bool) -> None:
    """Serve the web interface and API with a production WSGI server (waitress), with a worker for background
    jobs in the same process unless --no-worker.

    Needs a database created by 'shelter migrate'; applies pending migrations and collects the static files
    when this version's are not collected yet."""
    setup_django()
    from shelter.platform import serve as serve_platform

    serve_platform(host, port, threads, on_ready=_no_worker_here if no_worker else _start_worker_here)


# Called once the server listens and is prepared, so that a server that cannot start says only why.
def _start_worker_here() -> None:
    from shelter.jobs.worker import start_in_process

    start_in_process()
    click.echo("background jobs: run by a worker in this process", err=True)


def _no_worker_here() -> None:
    click.echo("background jobs: not run here (--no-worker); run `shelter worker` beside this server", err=True)


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema, and collect the static files for this version."""
    setup_django(creates_database=True)
    from shelter.platform import migrate as migrate_platform

    migrate_platform(verbosity=1)


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "researcher", "viewer"]))
@click.option("--clearance", type=click.Choice(["public", "internal", "confidential"]), default=None,
              help="Most sensitive level the user may see (default: internal; admins: confidential).")
@click.option("--team", "teams", multiple=True, help="Case team to join (created if new); repeatable.")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
def users_add(username: str, role: str, clearance: str | None, teams: tuple[str, ...], password_stdin: bool) -> None:
    """Create a user, or update the role, clearance and teams of an existing one."""
    setup_django()
    from shelter.access.services import AccessError, create_or_update_user

    password = sys.stdin.readline().rstrip("\n")
    try:
        user, created = create_or_update_user(username, role, password, clearance=clearance, teams=teams)
    except AccessError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{'created' if created else 'updated'} {user.username} (role {user.role}, clearance {user.clearance})")


@users.command("list")
def users_list() -> None:
    """List users with role, clearance, teams and whether two-factor authentication is on (2fa or -)."""
    setup_django()
    from shelter.access.models import User
    from shelter.access.twofactor import is_enabled

    for user in User.objects.order_by("username").prefetch_related("teams"):
        teams = ",".join(t.name for t in user.teams.all()) or "-"
        click.echo(f"{user.username}\t{user.role}\t{user.clearance}\t{teams}\t{'2fa' if is_enabled(user) else '-'}")


@users.command("2fa-reset")
@click.argument("username")
def users_2fa_reset(username: str) -> None:
    """Remove USERNAME's authenticator app and recovery codes (a lost phone); they set it up again at next sign-in."""
    setup_django()
    from shelter.access.models import User
    from shelter.access.twofactor import required_for, turn_off

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"no user named '{username}' (see: shelter users list)")
    if not turn_off(user):
        click.echo(f"{username} had no two-factor authentication; nothing changed")
        return
    then = "must set it up again at next sign-in" if required_for(user) else "can set it up again"
    click.echo(f"two-factor authentication removed for {username}; they {then}")


@click.command()
@click.argument("username")
@click.option("--label", default="", help="A note to recognise the token by.")
def token(username: str, label: str) -> None:
    """Issue a new API token for USERNAME; the token is printed on the last line."""
    setup_django()
    from shelter.access.models import ApiToken, User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise click.ClickException(f"no active user named '{username}' (create one with: shelter users add)")
    click.echo("Use it as: Authorization: Bearer <token>. It is shown once; store it safely.", err=True)
    click.echo(ApiToken.issue(user, label))


@click.command()
@click.option("--load-only", is_flag=True, help="Load the demo workspace and users, then exit without serving.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(load_only: bool, host: str, port: int) -> None:
    """Migrate, load the fictional demo workspace, create demo users (passwords printed), then serve."""
    setup_django(creates_database=True)
    from shelter.demo import load_demo_workspace

    credentials = load_demo_workspace(progress=lambda msg: click.echo(msg, err=True))
    click.echo("Demo users (fictional workspace):")
    for username, role, password in credentials:
        click.echo(f"  {username:<12} {role:<11} {password}")
    if load_only:
        return
    from shelter.platform import serve as serve_platform

    click.echo(f"Open http://{host}:{port}/ in a browser.")
    serve_platform(host, port, 8)


@click.group()
def trash() -> None:
    """Deleted records: list, restore, or purge them for good."""


@trash.command("list")
def trash_list() -> None:
    """List deleted records (kind, id, when deleted, label), oldest first."""
    setup_django()
    from shelter.access.writes import trash as deleted_records

    for record in deleted_records():
        click.echo(f"{record._meta.model_name}\t{record.pk}\t{record.deleted:%Y-%m-%d %H:%M}\t{record}")


@trash.command("restore")
@click.argument("kind")
@click.argument("record_id", type=int)
def trash_restore(kind: str, record_id: int) -> None:
    """Restore the deleted record KIND RECORD_ID (e.g. person 12)."""
    setup_django()
    from django.core.exceptions import ValidationError

    from shelter.access.writes import describe, restore_record, trashed

    try:
        record = trashed(kind, record_id)
    except ValidationError as error:
        raise click.ClickException(describe(error)) from None
    restore_record(None, record)
    click.echo(f"restored {kind} {record_id}: {record}")


@trash.command("purge")
@click.option("--older-than", "older_than", default=30, show_default=True, type=click.IntRange(min=0),
              help="Only records deleted more than this many days ago.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def trash_purge(older_than: int, yes: bool) -> None:
    """Remove deleted records for good, with the rows that depend on them (their history stays)."""
    setup_django()
    from shelter.access.writes import purge_trash

    if not yes:
        click.confirm(f"Remove for good every record deleted more than {older_than} days ago?", abort=True)
    removed = purge_trash(older_than)
    if not removed:
        click.echo("nothing to purge")
    for label, count in sorted(removed.items()):
        click.echo(f"removed {count} {label}")
