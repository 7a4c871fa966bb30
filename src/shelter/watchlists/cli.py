"""``shelter watchlists``: import FollowTheMoney lists as named watchlists, list them, their changes and alerts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from shelter.cli import viewer_as


@click.group()
def watchlists() -> None:
    """Watchlists imported from FollowTheMoney files, screened against the registry (docs/match-api.md)."""


@watchlists.command("import")
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", help="The state that publishes the list (ISO code or name), e.g. RU.")
@click.option("--title", default="", help="A title for the list.")
@click.option("--confidentiality", type=click.Choice(["public", "internal", "confidential"]),
              help="Who may see the list, its entries and its candidates (default internal on the first import).")
@click.option("--publish", is_flag=True, help="Show a public list to anonymous visitors.")
@click.option("--team", "teams", multiple=True, help="Case team of a confidential list (repeat for several).")
def import_command(name: str, file: Path, state: str | None, title: str, confidentiality: str | None,
                   publish: bool, teams: tuple[str, ...]) -> None:
    """Import FILE (FtM entities, one JSON object per line) as watchlist NAME; a later import of the same NAME
    records what was added, changed and removed, and screens new and changed entries against the registry."""
    from shelter.cli import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from shelter.access.writes import describe
    from shelter.countries import UnknownCountryError
    from shelter.progress import progress_bar
    from shelter.watchlists.importing import WatchlistError, import_watchlist

    restriction: dict[str, Any] = {"confidentiality": confidentiality, "teams": list(teams) or None}
    if publish:
        restriction["published"] = True
    try:
        summary = import_watchlist(name, file, state=state or "", title=title, restriction=restriction,
                                   progress=progress_bar)
    except (WatchlistError, UnknownCountryError) as error:
        raise click.ClickException(str(error)) from None
    except ValidationError as error:
        raise click.ClickException(f"watchlist {name}: {describe(error)}") from None
    for note in summary.notes[:20]:
        click.echo(f"note: {note}", err=True)
    if len(summary.notes) > 20:
        click.echo(f"note: {len(summary.notes) - 20} more values left out", err=True)
    click.echo(summary.summary())


@watchlists.command("screen")
@click.argument("names", nargs=-1)
def screen_command(names: tuple[str, ...]) -> None:
    """Screen the live entries of the watchlists NAMES (all when none is given) against the registry as it is now,
    so that people added or marked at risk since an import get their candidates and alerts."""
    from shelter.cli import setup_django

    setup_django()
    from shelter.progress import progress_bar
    from shelter.watchlists.importing import WatchlistError, screen_watchlists

    try:
        summary = screen_watchlists(names, progress=progress_bar)
    except WatchlistError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{summary.unchanged} entries of {summary.watchlist} screened: {summary.candidates} candidates in the "
               f"registry ({summary.new_candidates} new), {summary.alerts} alerts for people at risk")


@watchlists.command("list")
@click.option("--as", "username", metavar="USERNAME", help="Only what this user may see.")
def list_command(username: str | None) -> None:
    """The watchlists, with their live and removed entries and last import."""
    viewer = viewer_as(username)
    from shelter.watchlists.services import watchlist_summaries

    click.echo(json.dumps(watchlist_summaries(viewer), ensure_ascii=False, indent=2))


@watchlists.command("changes")
@click.argument("name")
@click.option("--as", "username", metavar="USERNAME", help="Only what this user may see.")
def changes_command(name: str, username: str | None) -> None:
    """What each import of watchlist NAME added, changed and removed, newest first."""
    viewer = viewer_as(username)
    from shelter.watchlists.services import UnknownWatchlist, import_history

    try:
        click.echo(json.dumps(import_history(viewer, name), ensure_ascii=False, indent=2))
    except UnknownWatchlist as error:
        raise click.ClickException(str(error)) from None


@watchlists.command("alerts")
@click.option("--as", "username", metavar="USERNAME", help="Only what this user may see.")
@click.option("--all", "include_acknowledged", is_flag=True, help="Also alerts already acknowledged.")
def alerts_command(username: str | None, include_acknowledged: bool) -> None:
    """People at risk who resemble a new entry of a list published by their own state."""
    viewer = viewer_as(username)
    from shelter.watchlists.services import alerts_for

    click.echo(json.dumps(alerts_for(viewer, include_acknowledged), ensure_ascii=False, indent=2))
