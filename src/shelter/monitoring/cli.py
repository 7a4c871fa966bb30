"""``shelter monitor``: deadlines due soon, overdue check-ins, e-mail reminders, outcomes of returns, imports.
``shelter brief --host`` calls :func:`write_host_brief`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from shelter.cli import viewer_as


def _today(value: str | None) -> date:
    from django.utils import timezone

    if value is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (expected YYYY-MM-DD)", param_hint="--today") from None


def _echo_list(items: list[dict[str, Any]], as_json: bool, line: Callable[[dict[str, Any]], str], count: str) -> None:
    """A list command's output: ``{"count", "items"}`` as JSON, or one line per item and the count on standard
    error."""
    if as_json:
        click.echo(json.dumps({"count": len(items), "items": items}, ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(line(item))
    click.echo(f"{len(items)} {count}", err=True)


AS_OPTION = click.option("--as", "username", metavar="USERNAME",
                         help="Show what this user may see (default: the operator sees everything).")
TODAY_OPTION = click.option("--today", metavar="YYYY-MM-DD", help="Count from this date instead of today.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group()
def monitor() -> None:
    """Deadlines before a return and monitoring after it (docs/monitoring.md)."""


@monitor.command("due")
@AS_OPTION
@TODAY_OPTION
@JSON_OPTION
def due(username: str | None, today: str | None, as_json: bool) -> None:
    """Monitoring plans whose check-in is overdue, most overdue first."""
    viewer = viewer_as(username)
    from shelter.monitoring.services import overdue_plans

    found = overdue_plans(viewer, _today(today))
    items = [{"plan": o.plan.pk, "person": o.plan.person.primary_name, "destination": o.plan.destination,
              "due": o.due.isoformat(), "days_overdue": o.days_overdue,
              "responsible": o.plan.responsible.username if o.plan.responsible else None} for o in found]
    _echo_list(items, as_json, lambda item: (
        f"plan {item['plan']}  {item['person']}  ({item['destination']})  check-in due {item['due']}, "
        f"{item['days_overdue']} day(s) overdue  responsible: {item['responsible'] or '-'}"), "overdue")


@monitor.command("deadlines")
@AS_OPTION
@TODAY_OPTION
@JSON_OPTION
@click.option("--within", type=click.IntRange(0, 3660), default=14, show_default=True,
              help="Days ahead; open deadlines already past are always listed.")
def deadlines(username: str | None, today: str | None, as_json: bool, within: int) -> None:
    """Open hearings, appeals and interim measures due soon, earliest first."""
    viewer = viewer_as(username)
    from shelter.monitoring.services import deadlines_due

    items: list[dict[str, Any]] = [
        {"deadline": d.pk, "due": d.due.isoformat(), "kind": d.kind, "body": d.body, "title": d.title,
         "notice": d.notice_id, "person": d.person.primary_name if d.person else None}
        for d in deadlines_due(viewer, _today(today), within)]
    _echo_list(items, as_json, lambda item: (
        f"{item['due']}  {item['kind']}{' ' + item['body'] if item['body'] else ''}  {item['title']}  "
        f"(deadline {item['deadline']}{', ' + item['person'] if item['person'] else ''})"), "due")


@monitor.command("remind")
@click.option("--within", type=click.IntRange(0, 60), default=3, show_default=True,
              help="Remind about deadlines this many days ahead.")
def remind(within: int) -> None:
    """E-mail each responsible user about deadlines due soon and overdue check-ins (once a day per record).
    Run it every hour from cron; mail goes through the configured e-mail backend."""
    viewer_as(None)
    from django.utils import timezone

    from shelter.monitoring.services import send_reminders

    summary = send_reminders(timezone.now(), within)
    click.echo(f"{summary.sent} reminder(s) sent, {summary.without_address} responsible user(s) without an "
               "e-mail address", err=True)


@monitor.command("outcomes")
@AS_OPTION
@click.option("--host", help="Only returns from this host country (ISO code or name).")
@click.option("--public", is_flag=True,
              help="Published public records only, small counts (and those that would give them away) merged into "
                   "'other'.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def outcomes(username: str | None, host: str | None, public: bool, fmt: str) -> None:
    """Outcomes of returns per host country, origin state and year."""
    if public and username:
        raise click.UsageError("--public and --as exclude each other")
    viewer = viewer_as(username)
    from shelter.countries import UnknownCountryError, country_code
    from shelter.monitoring.evidence import outcome_csv, outcome_table

    try:
        code = country_code(host) if host else None
    except UnknownCountryError as error:
        raise click.BadParameter(str(error), param_hint="--host") from None
    table = outcome_table(viewer, public, code)
    click.echo(outcome_csv(table) if fmt == "csv" else json.dumps(table, indent=2), nl=fmt == "json")


def write_host_brief(host: str, public: bool, username: str | None, fmt: str, output: Path | None,
                     year_from: int | None, year_to: int | None, language: str = "en") -> None:
    """``shelter brief --host``: returns from ``host`` and what followed, as PDF, HTML or JSON, in ``language``
    (``--language``, as for a state's briefing)."""
    viewer = viewer_as(username)
    from shelter.monitoring.evidence import host_briefing, render_host_html, render_host_pdf

    briefing = host_briefing(host, viewer, public, year_from, year_to, language)
    if fmt == "json":
        content = json.dumps(briefing, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    elif fmt == "html":
        content = render_host_html(briefing).encode("utf-8")
    else:
        content = render_host_pdf(briefing)
    if output is None and fmt == "pdf":
        output = Path(f"briefing-host-{host}.pdf")
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(content)
    click.echo(f"wrote {output} ({len(content):,} bytes, {'public' if public else 'restricted'})", err=True)


@monitor.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the whole file and report, without saving anything.")
@click.option("--confidentiality", type=click.Choice(["public", "internal", "confidential"]),
              help="Level of the imported plans and check-ins (default confidential).")
@click.option("--team", "teams", multiple=True, help="Case team of confidential records (repeat for several).")
def import_command(file: Path, dry_run: bool, confidentiality: str | None, teams: tuple[str, ...]) -> None:
    """Import returns and their outcomes from a CSV or XLSX FILE (columns in docs/monitoring.md); all rows or
    none."""
    viewer_as(None)
    from shelter.monitoring.importing import ReturnsImportError, import_returns
    from shelter.progress import progress_bar

    try:
        summary = import_returns(file, None, {"confidentiality": confidentiality, "teams": list(teams) or None},
                                 dry_run=dry_run, progress=progress_bar)
    except ReturnsImportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{'would import' if dry_run else 'imported'} {summary.plans} monitoring plan(s) and "
               f"{summary.check_ins} check-in(s) from {file.name}", err=True)
