"""``shelter triage``: thin click commands over the triage library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from shelter.progress import progress_bar
from shelter.triage import feeds as feed_set
from shelter.triage.check import UnrecognisedValue, check_value
from shelter.triage.feed_formats import FeedError
from shelter.triage.report import analyse_email
from shelter.triage.scan import ScanError, count_messages, rows_as_csv, rows_as_json, scan
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Verdict


def _print_verdict(verdict: Verdict, language: str, heading: str = "") -> None:
    if heading:
        click.echo(heading)
    click.echo(f"verdict: {verdict.verdict} (score {verdict.score}/100)")
    if verdict.spyware:
        click.echo(f"spyware: {', '.join(verdict.spyware)}")
    for item in verdict.findings:
        click.echo(f"  [{item.severity}] {item.id} {item.title}: {item.evidence}")
    click.echo("advice:")
    for line in verdict.advice[language]:
        click.echo(f"  - {line}")


def _store() -> IndicatorStore:
    try:
        return feed_set.default_store()
    except FeedError as error:
        raise click.ClickException(f"{error} (fix the file, or remove the feed with `shelter triage feeds remove ID`)") from error


@click.group()
def triage() -> None:
    """Check e-mails, links, addresses and file hashes offline against phishing and spyware indicators."""


@triage.command("email")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True, help="Language of the advice.")
def email_command(file: Path, as_json: bool, lang: str) -> None:
    """Analyse one message (.eml) without opening links or attachments."""
    report = analyse_email(file.read_bytes(), _store())
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"subject: {report.subject}")
    click.echo(f"from:    {report.sender}")
    click.echo(f"sha256:  {report.sha256}")
    for attachment in report.attachments:
        click.echo(f"attachment: {attachment.name} ({attachment.detected_type}, {attachment.size} bytes, sha256 {attachment.sha256})")
    click.echo(f"links:   {len(report.links)}")
    _print_verdict(report.verdict, lang)


@triage.command("check")
@click.argument("values", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON: one object for one value, else a list.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True, help="Language of the advice.")
def check_command(values: tuple[str, ...], as_json: bool, lang: str) -> None:
    """Check URLs, domains, IP addresses, e-mail addresses or file hashes (MD5, SHA-1, SHA-256).

    Give - to read one value per line from standard input.
    """
    store = _store()
    if values == ("-",):
        values = tuple(line.strip() for line in sys.stdin if line.strip())
    results = []
    for value in values:
        try:
            results.append((value, check_value(value, store)))
        except UnrecognisedValue as error:
            raise click.BadParameter(str(error), param_hint="VALUE") from error
    if as_json:
        objects = [{"value": value, **verdict.to_dict()} for value, verdict in results]
        click.echo(json.dumps(objects[0] if len(objects) == 1 else objects, ensure_ascii=False, indent=2))
        return
    for value, verdict in results:
        _print_verdict(verdict, lang, heading=f"== {value}")


@triage.command("scan")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here (default: stdout).")
def scan_command(path: Path, output_format: str, output: Path | None) -> None:
    """Analyse a folder of .eml files, an mbox file or a Maildir; one report row per message."""
    store = _store()
    try:
        total = count_messages(path)
        with progress_bar("messages", total) as bar:
            rows = scan(path, store, on_message=lambda _label: bar.update(1))
    except ScanError as error:
        raise click.ClickException(str(error)) from error
    text = rows_as_csv(rows) if output_format == "csv" else rows_as_json(rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        counts = {label: sum(1 for r in rows if r.verdict == label) for label in ("malicious", "suspicious", "no_indicators_found")}
        click.echo(f"{len(rows)} messages → {output}: " + ", ".join(f"{n} {label}" for label, n in counts.items()), err=True)


@triage.group("feeds")
def feeds() -> None:
    """Indicator feeds: the shipped offline set, updates on request, and your own lists."""


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the feed list as JSON.")
def feeds_list(as_json: bool) -> None:
    """Show each active feed with its licence, attribution and indicator counts."""
    store = _store()
    rows = [
        {
            "id": s.spec.id,
            "name": s.spec.name,
            "origin": s.spec.origin,
            "category": s.spec.category,
            "indicators": s.indicators,
            "device_only": s.device_only,
            "unsupported": s.unsupported,
            "licence": s.spec.licence,
            "attribution": s.spec.attribution,
            "path": str(s.spec.path),
        }
        for s in store.summaries
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']:34} {row['indicators']:5} indicators ({row['origin']}, {row['licence']})"
            + (f", {row['device_only']} device-only" if row["device_only"] else "")
        )
        if row["attribution"]:
            click.echo(f"{'':34} {row['attribution']}")


@feeds.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="A name for the feed (default: the file name).")
def feeds_add(path: Path, name: str | None) -> None:
    """Add a STIX 2 bundle or a plain list (one domain, IP, URL, address or hash per line)."""
    try:
        spec = feed_set.add_feed(path, name)
    except (FeedError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from error
    store = _store()
    count = next((s.indicators for s in store.summaries if s.spec.id == spec.id), 0)
    click.echo(f"added feed {spec.id}: {count} indicators")


@feeds.command("remove")
@click.argument("feed_id")
def feeds_remove(feed_id: str) -> None:
    """Remove a feed you added, or return a shipped feed to the copy shipped with Shelter."""
    try:
        click.echo(feed_set.remove_feed(feed_id))
    except FeedError as error:
        raise click.ClickException(str(error)) from error


@feeds.command("update")
def feeds_update() -> None:
    """Download fresh copies of the shipped public feeds (the only command that uses the network)."""
    click.echo("fetching the public feeds over the network…", err=True)
    with progress_bar("fetching feeds", len(feed_set.shipped_feeds())) as bar:
        results = feed_set.update_feeds(feed_set.fetch_over_https, on_progress=bar.update)
    for result in results:
        click.echo(f"{result.feed:34} {'updated' if result.ok else 'FAILED'}: {result.message}")
    if not all(result.ok for result in results):
        raise SystemExit(1)
