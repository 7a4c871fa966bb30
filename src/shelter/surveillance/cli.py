"""``shelter surveillance``: export-licence assessment and the spyware-family map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from shelter.surveillance.assess import (
    AssessmentError,
    Deployment,
    Facts,
    Incident,
    families,
    memo_html,
    report,
)


def _read_facts(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.BadParameter(f"{path}: not a readable JSON file ({error})", param_hint="--facts") from error
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path}: expected a JSON object with 'deployments' and 'incidents'", param_hint="--facts")
    return data


def _build(kind: type[Any], rows: Any, name: str) -> tuple[Any, ...]:
    if not isinstance(rows, list):
        raise click.BadParameter(f"'{name}' must be a list of objects", param_hint="--facts")
    try:
        return tuple(kind(**row) for row in rows)
    except TypeError as error:
        raise click.BadParameter(f"'{name}': {error}", param_hint="--facts") from error


@click.group()
def surveillance() -> None:
    """Surveillance technology: licence assessment and spyware families."""


@surveillance.command()
@click.option("--product", required=True, help="Product name, e.g. Pegasus.")
@click.option("--destination", required=True, help="Destination state, ISO code such as UZ.")
@click.option("--end-user", default="", help="End-user agency named in the licence application.")
@click.option("--control-entry", "control_entries", multiple=True, help="Control-list entry, e.g. 4.A.5 (repeat).")
@click.option("--no-control-entry", is_flag=True, help="The product is stated to carry no control-list entry.")
@click.option("--facts", "facts_file", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON with 'deployments' and 'incidents' lists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--html", "as_html", is_flag=True, help="Print the assessment as an HTML memo.")
def assess(product: str, destination: str, end_user: str, control_entries: tuple[str, ...],
           no_control_entry: bool, facts_file: Path | None, as_json: bool, as_html: bool) -> None:
    """Answer the licence indicators EX-01... present / absent / unknown with evidence and sources."""
    if no_control_entry and control_entries:
        raise click.UsageError("give --control-entry or --no-control-entry, not both")
    extra = _read_facts(facts_file)
    facts = Facts(
        product=product,
        destination=destination.strip().upper(),
        end_user=end_user,
        control_entries=() if no_control_entry else (control_entries or None),
        deployments=_build(Deployment, extra.get("deployments", []), "deployments"),
        incidents=_build(Incident, extra.get("incidents", []), "incidents"),
    )
    try:
        data = report(facts)
    except AssessmentError as error:
        raise click.UsageError(str(error)) from error
    if as_html:
        click.echo(memo_html(data))
        return
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['product']} to {data['destination']}: {data['present']} present, {data['unknown']} unknown")
    for item in data["indicators"]:
        click.echo(f"{item['id']} {item['answer']:<8} {item['title']}")
        for line in item["evidence"]:
            click.echo(f"    {line}")


@surveillance.command("families")
def list_families() -> None:
    """The spyware families the project maps to products and vendors, with sources."""
    for family in families():
        click.echo(f"{family.family}\t{family.vendor}\t{family.source.title}")
