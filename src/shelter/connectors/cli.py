"""``shelter import``, ``export``, ``backup`` and ``restore``: parse the options, call the connectors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from shelter.cli import setup_django
from shelter.progress import progress_bar

FORMAT_NAMES = ["csv", "xlsx", "json", "ftm"]
EXPORT_FORMATS = ["csv", "json", "ftm"]
SHOWN_PROBLEMS = 50


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(FORMAT_NAMES),
              help="File format (default: from the file name: .csv, .xlsx, .json, .ftm.json/.jsonl).")
@click.option("--dry-run", is_flag=True, help="Check every record and report, but write nothing.")
def import_command(file: Path, format_name: str | None, dry_run: bool) -> None:
    """Import FILE: all records or none. Each refused row is reported with its field and the reason."""
    setup_django()
    from shelter.connectors.base import ImportRefused
    from shelter.connectors.formats import connector, format_for

    try:
        chosen = connector(format_name or format_for(file.name))
    except LookupError as error:
        raise click.UsageError(str(error)) from error
    if chosen.read is None:
        raise click.UsageError(f"the {chosen.name} format can be exported but not imported")
    try:
        report = chosen.read(file, dry_run, progress_bar)
    except ImportRefused as error:
        raise click.ClickException(str(error)) from error
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"{report.source}, {problem}", err=True)
    more = len(report.problems) + report.unlisted - SHOWN_PROBLEMS
    if more > 0:
        click.echo(f"... and {more:,} more problem(s)", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@click.command("export")
@click.option("--format", "format_name", type=click.Choice(EXPORT_FORMATS), required=True,
              help="csv: incidents; json: everything (re-importable); ftm: FollowTheMoney entities.")
@click.option("--as", "as_user", metavar="USERNAME", help="Export only what this user may see.")
@click.option("--public", is_flag=True, help="Export only published public records (what anonymous visitors see).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
def export_command(format_name: str, as_user: str | None, public: bool, output: Path | None) -> None:
    """Export records through the visibility filter. Without --as or --public, the operator gets everything."""
    if as_user and public:
        raise click.UsageError("give --as USERNAME or --public, not both")
    setup_django()
    from django.contrib.auth.models import AnonymousUser

    from shelter.access.models import User
    from shelter.connectors.files import written_whole
    from shelter.connectors.formats import connector

    viewer: User | AnonymousUser | None = None
    if public:
        viewer = AnonymousUser()
    elif as_user:
        viewer = User.objects.filter(username=as_user, is_active=True).first()
        if viewer is None:
            raise click.UsageError(f"no active user named '{as_user}' (see: shelter users list)")
    chosen = connector(format_name)
    assert chosen.write is not None
    if viewer is None:
        # The operator at the console: a user object that passes the visibility filter as an administrator.
        viewer = User(username="operator", role="admin", is_superuser=True)
    if output is None:
        count = chosen.write(sys.stdout, viewer, progress_bar)
    else:
        with written_whole(output) as partial, partial.open("w", encoding="utf-8", newline="") as stream:
            count = chosen.write(stream, viewer, progress_bar)
    note_export(format_name, viewer)
    click.echo(f"exported {count} record(s)" + (f" to {output}" if output else ""), err=True)


def note_export(format_name: str, viewer: Any) -> None:
    """Note in the access log the confidential records of the exported kinds that ``viewer`` may see."""
    from shelter.access.access_log import log_access
    from shelter.access.visibility import visible_to
    from shelter.incidents.models import Incident, Source
    from shelter.registry.models import Organisation, Person, Relationship

    kinds = {"csv": [Incident], "xlsx": [Incident], "ftm": [Person, Organisation, Relationship, Incident],
             "json": [Source, Person, Organisation, Relationship, Incident]}[format_name]
    for model in kinds:  # type: ignore[attr-defined]
        log_access(viewer, visible_to(model.objects.all(), viewer), "exported")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a verified backup of the whole database and the evidence files to FILE (a ZIP archive)."""
    setup_django()
    from shelter.connectors.backup import BackupError, create_backup

    try:
        summary = create_backup(file, progress_bar)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {summary.rows} rows and {summary.files} evidence file(s) to {summary.path} "
               f"({summary.size / 1024 / 1024:.1f} MiB, verified)")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore a backup FILE into an empty database (it is migrated first); refuses a database in use."""
    setup_django(creates_database=True)
    from shelter.connectors.backup import BackupError, restore_backup

    try:
        counts = restore_backup(file, progress_bar)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {sum(counts.values())} rows from {file}; row counts match the backup")
