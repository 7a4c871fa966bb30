"""``shelter brief``: a per-state briefing as PDF, HTML or JSON. Parses arguments and delegates to
:mod:`shelter.analytics.briefing`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from shelter.countries import UnknownCountryError, country_code


def _state_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return country_code(value)
    except UnknownCountryError as error:
        raise click.BadParameter(str(error)) from error


@click.command("brief")
@click.option("--state", callback=_state_code,
              help="Origin state: ISO code (UZ, UZB) or English name.")
@click.option("--host", callback=_state_code,
              help="Instead of --state: returns from this host country and what followed (docs/monitoring.md).")
@click.option("--from", "year_from", type=click.IntRange(1900, 2100), help="First year included.")
@click.option("--to", "year_to", type=click.IntRange(1900, 2100), help="Last year included.")
@click.option("--public", is_flag=True,
              help="Public version: published public records only, counts below 3 (and counts that would give them away) "
                   "merged into \"other\" rows and periods, people pseudonymised.")
@click.option("--as", "username", metavar="USERNAME",
              help="Build the briefing with what this user may see (default: the operator sees everything).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "json"]), default="pdf", show_default=True)
@click.option("--language", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file ('-' for standard output). Default: briefing-<STATE>.<format>; "
                   "JSON and HTML go to standard output.")
def brief(state: str | None, host: str | None, year_from: int | None, year_to: int | None, public: bool,
          username: str | None, fmt: str, language: str, output: Path | None) -> None:
    """A briefing on transnational repression by one state: headline figures, trend chart, tactics,
    host countries, returnee outcomes, notable cases, agreements and recommendations."""
    if public and username:
        raise click.UsageError("--public and --as exclude each other: a public briefing is the same for everyone")
    if year_from and year_to and year_from > year_to:
        raise click.UsageError(f"--from {year_from} is after --to {year_to}")
    if (state is None) == (host is None):
        raise click.UsageError("give either --state (an origin state) or --host (a host country)")
    if host is not None:
        from shelter.monitoring.cli import write_host_brief

        return write_host_brief(host, public, username, fmt, output, year_from, year_to, language)
    assert state is not None
    from shelter.cli import setup_django

    setup_django()
    from shelter.analytics.briefing import build_briefing, render_html, render_pdf
    from shelter.analytics.services import Audience, audience_for_operator

    try:
        audience = Audience(None, public=True) if public else audience_for_operator(username)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    briefing = build_briefing(state, audience, year_from, year_to, language)
    if fmt == "json":
        content: bytes = json.dumps(briefing.as_json(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    elif fmt == "html":
        content = render_html(briefing, language).encode("utf-8")
    else:
        content = render_pdf(briefing, language)
    if output is None and fmt == "pdf":
        output = Path(f"briefing-{state}.pdf")
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(content)
    click.echo(f"wrote {output} ({len(content):,} bytes, {'public' if audience.public else 'restricted'})",
               err=True)
