"""``shelter notices``: import, fetch, screen, assess, dossier, alerts. Parses and delegates."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from shelter.cli import setup_django
from shelter.progress import progress_bar

CONFIDENTIALITY = click.Choice(["public", "internal", "confidential"])
PROCESSES = click.option("--processes", type=click.IntRange(min=1), default=min(2, os.cpu_count() or 1),
                         show_default=True, help="Worker processes for screening (each shares the name index).")
ASSESSED_FIELDS = ("pk", "entity_id", "kind", "issuing_state", "status", "nationalities")
USER_HELP = ("See only what this user may see (the visibility filter). Without it the command acts as the "
             "operator of the installation, who holds the database and sees every record.")


def _viewer(username: str | None) -> Any:
    from shelter.access.models import Role, User

    if not username:
        return User(username="operator", role=Role.ADMIN)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise click.UsageError(f"no active user '{username}' (list them with: shelter users list)")
    return user


def _notices_for(viewer: Any, entity_ids: tuple[str, ...]) -> Any:
    from shelter.access.visibility import visible_to
    from shelter.notices.models import Notice

    queryset = visible_to(Notice.objects.order_by("pk"), viewer)
    if entity_ids:
        found = set(queryset.filter(entity_id__in=entity_ids).values_list("entity_id", flat=True))
        missing = [entity_id for entity_id in entity_ids if entity_id not in found]
        if missing:
            raise click.ClickException(f"no notice {', '.join(missing)} (or not visible to this user)")
        queryset = queryset.filter(entity_id__in=entity_ids)
    return queryset


@click.group()
def notices() -> None:
    """Interpol notices, diffusions, extradition and deportation requests: import, screen, assess, dossiers."""


@notices.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--full-list", is_flag=True,
              help="PATH is Interpol's complete current list: active notices absent from it are marked withdrawn.")
@click.option("--confidentiality", type=CONFIDENTIALITY, default="public", show_default=True)
@click.option("--unpublished", is_flag=True, help="Do not show the imported notices to anonymous visitors.")
@click.option("--team", "team_names", multiple=True, help="Case team that may see the notices (repeatable).")
@click.option("--no-screen", is_flag=True, help="Import only; screen later with 'shelter notices screen'.")
@PROCESSES
def import_command(path: Path, full_list: bool, confidentiality: str, unpublished: bool,
                   team_names: tuple[str, ...], no_screen: bool, processes: int) -> None:
    """Import notices from PATH: Interpol API JSON (list pages, detail records, arrays of either, or a
    directory saved by 'fetch'), the list-level CSV/XLSX, or FollowTheMoney entities (JSON lines)."""
    setup_django()
    from shelter.access.models import Team
    from shelter.notices.intake.formats import NoticeFormatError, read_notice_path
    from shelter.notices.intake.importing import import_notices

    teams = list(Team.objects.filter(name__in=team_names))
    unknown = set(team_names) - {team.name for team in teams}
    if unknown:
        raise click.UsageError(f"no team {', '.join(sorted(unknown))}")
    try:
        parsed = read_notice_path(path)
    except NoticeFormatError as error:
        raise click.ClickException(str(error)) from None
    for note in parsed.notes:
        click.echo(f"note: {path.name}, {note}", err=True)
    with progress_bar("importing notices", len(parsed.notices)) as bar:
        report = import_notices(parsed.notices, full_list=full_list, confidentiality=confidentiality,
                                published=not unpublished, teams=teams, on_progress=bar.update)
    click.echo(f"{parsed.format}: {report.summary()}"
               + (f"; {parsed.skipped} entities skipped (not wanted persons)" if parsed.skipped else ""))
    if not no_screen:
        click.echo(_screen(report.to_screen, processes=processes).summary())


def _screen(notice_ids: list[int], processes: int, rebuild_index: bool = False) -> Any:
    from shelter.notices.screening.notices import registry_index, screen_notices

    index = registry_index(rebuild=rebuild_index) if notice_ids or rebuild_index else None
    with progress_bar("screening notices", len(notice_ids)) as bar:
        return screen_notices(notice_ids, index=index, processes=processes, on_progress=bar.update)


@notices.command()
@click.option("-d", "--directory", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Where pages and details are saved; run again with the same directory to resume.")
@click.option("--nationality", default="", help="ISO-2 code, e.g. TJ.")
@click.option("--issuing-country", default="", help="ISO-2 code of the state that issued the warrant.")
@click.option("--name", default="", help="Surname to search for.")
@click.option("--forename", default="")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after this many list pages.")
@click.option("--no-details", is_flag=True, help="Save list pages only (no charges).")
@click.option("--delay", type=click.FloatRange(min=0.5), default=1.5, show_default=True,
              help="Seconds between requests (at least 0.5: the API is a public service).")
@click.option("--yes", is_flag=True, help="Confirm the use of the network without a prompt.")
def fetch(directory: Path, nationality: str, issuing_country: str, name: str, forename: str,
          max_pages: int | None, no_details: bool, delay: float, yes: bool) -> None:
    """Download notices from Interpol's public API into DIRECTORY (opt-in network use).

    Import them afterwards with 'shelter notices import DIRECTORY'."""
    from shelter.notices.intake.connector import FetchError, PoliteClient, fetch_notices

    if not yes:
        click.confirm(f"This contacts {('ws-public.interpol.int')} over the network. Continue?", abort=True)
    filters = {"nationality": nationality.upper(), "arrestWarrantCountryId": issuing_country.upper(),
               "name": name, "forename": forename}
    try:
        report = fetch_notices(directory, PoliteClient(delay=delay), filters, max_pages, not no_details,
                               progress=lambda message: click.echo(message, err=True))
    except FetchError as error:
        raise click.ClickException(f"{error} (what was saved so far stays in {directory}; run again to resume)") from None
    click.echo(report.summary())
    for error_message in report.errors:
        click.echo(f"  {error_message}", err=True)


@notices.command()
@click.option("--id", "entity_ids", multiple=True, help="Entity id (repeatable); default: every notice.")
@click.option("--rebuild-index", is_flag=True, help="Rebuild the registry index even if nothing changed.")
@PROCESSES
def screen(entity_ids: tuple[str, ...], rebuild_index: bool, processes: int) -> None:
    """Match notices against every person in the registry (a system job; what users see is filtered)."""
    setup_django()
    notice_ids = list(_notices_for(_viewer(None), entity_ids).values_list("pk", flat=True))
    click.echo(_screen(notice_ids, processes, rebuild_index).summary())


@notices.command()
@click.option("--id", "entity_ids", multiple=True, help="Entity id (repeatable); default: every notice.")
@click.option("--json", "as_json", is_flag=True, help="Write a JSON array, one object per notice.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--user", "username", default=None, help=USER_HELP)
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes evaluating the indicators for --json (the database is read by this one); "
                   "worth it on idle cores only: handing the work over costs about a quarter more CPU time.")
def assess(entity_ids: tuple[str, ...], as_json: bool, output: Path | None, username: str | None,
           processes: int) -> None:
    """Answer the legal indicators (present / absent / unknown, with evidence) for notices."""
    setup_django()
    from shelter.notices.assessment.as_json import assessments_as_json
    from shelter.notices.assessment.assess import assess_notices

    viewer = _viewer(username)
    # Only the fields the assessment reads: loading whole records is a noticeable share of a large run.
    notices = _notices_for(viewer, entity_ids).only(*ASSESSED_FIELDS).iterator(chunk_size=2000)
    handle = output.open("wb") if output else sys.stdout.buffer
    try:
        if as_json:
            handle.write(b"[")
            for number, encoded in enumerate(assessments_as_json(notices, viewer, processes)):
                handle.write((b"," if number else b"") + b"\n" + encoded)
            handle.write(b"\n]\n")
        else:
            for assessment in assess_notices(notices, viewer):
                present = [r.id for r in assessment.results if r.answer == "present"]
                handle.write(f"{assessment.notice.entity_id}\t{assessment.notice.issuing_state or '--'}\t"
                             f"present: {', '.join(present) or '-'}\n".encode())
    finally:
        if output:
            handle.close()
        else:
            handle.flush()


@notices.command()
@click.argument("entity_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.pdf, or FILE.html for the HTML version.")
@click.option("--user", "username", default=None, help=USER_HELP)
@click.option("--number", type=int, default=None,
              help="The notice's number, when several recorded notices carry ENTITY_ID (case teams may each "
                   "record the same notice).")
@click.option("--ccf", is_flag=True, help="Write the annex to a request to the Commission for the Control of "
                                          "INTERPOL's Files instead of the dossier.")
@click.option("--language", type=click.Choice(["en", "ru"]), default="en", show_default=True,
              help="Language of the document.")
def dossier(entity_id: str, output: Path, username: str | None, number: int | None, ccf: bool,
            language: str) -> None:
    """Write the dossier of ENTITY_ID: notice, matched people, indicators with evidence, incidents, timeline;
    with --ccf, the annex to a CCF request (grounds, open points, chronology, numbered exhibits)."""
    setup_django()
    from shelter.notices.assessment.dossier import render_dossier_html, render_dossier_pdf

    form = "ccf" if ccf else "dossier"

    viewer = _viewer(username)
    found = list(_notices_for(viewer, (entity_id,)))
    if number is not None:
        found = [notice for notice in found if notice.pk == number]
        if not found:
            raise click.ClickException(f"no notice {entity_id} numbered {number} (or not visible to this user)")
    if len(found) > 1:
        raise click.ClickException(f"{len(found)} notices carry {entity_id} (numbers "
                                   f"{', '.join(str(notice.pk) for notice in found)}): choose one with --number")
    notice = found[0]
    if output.suffix.lower() in (".html", ".htm"):
        output.write_text(render_dossier_html(notice, viewer, form=form, language=language), encoding="utf-8")
    else:
        output.write_bytes(render_dossier_pdf(notice, viewer, form=form, language=language))
    click.echo(f"{'CCF annex' if ccf else 'dossier'} of {entity_id} written to {output}")


@notices.command()
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged alerts.")
@click.option("--user", "username", default=None, help=USER_HELP)
def alerts(show_all: bool, username: str | None) -> None:
    """List alerts: people marked at risk who appear as candidates in new or changed notices."""
    setup_django()
    from shelter.notices.screening.alerts import alerts_for

    rows = alerts_for(_viewer(username), include_acknowledged=show_all)
    if not rows:
        click.echo("no alerts")
    for alert in rows:
        match = alert.match
        state = "acknowledged" if alert.acknowledged_at else "new"
        click.echo(f"{alert.created:%Y-%m-%d %H:%M}\t{state}\t{match.notice.entity_id}\t"
                   f"{match.person.primary_name}\t{match.score:.2f}\t{match.get_decision_display()}\t"
                   f"{match.explanation}")
