"""``shelter network``: export a network, find the paths between two people, report on a state's network."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from shelter.countries import UnknownCountryError, country_code


def _state_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return country_code(value)
    except UnknownCountryError as error:
        raise click.BadParameter(str(error)) from error


def _viewer(username: str | None, public: bool) -> Any:
    """The caller whose view is used: ``--public`` an anonymous visitor, ``--as`` that user, else the operator."""
    if public and username:
        raise click.UsageError("give --as USERNAME or --public, not both")
    from shelter.cli import setup_django

    setup_django()
    from shelter.analytics.services import Audience, audience_for_operator

    try:
        audience = Audience(None, public=True) if public else audience_for_operator(username)
    except LookupError as error:
        raise click.UsageError(str(error)) from error
    return audience.viewer


def _who(command: Any) -> Any:
    command = click.option("--public", is_flag=True, help="Only published public records (what anonymous "
                                                          "visitors see).")(command)
    return click.option("--as", "username", metavar="USERNAME", help="Only what this user may see.")(command)


def _write(output: Path | None, content: str) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(content)
        return
    from shelter.connectors.files import written_whole

    with written_whole(output) as partial:
        partial.write_text(content, encoding="utf-8")


@click.group()
def network() -> None:
    """Networks of people, organisations and incidents, through the visibility filter (docs/network.md)."""


@network.command("export")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "ftm"]), required=True)
@click.option("--state", callback=_state_code, help="Only this origin state's network (ISO code or name).")
@_who
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write ('-' for standard output).")
def export(fmt: str, state: str | None, username: str | None, public: bool, output: Path) -> None:
    """Write the network as GEXF or GraphML (Gephi, networkx) or FollowTheMoney entities."""
    import io

    viewer = _viewer(username, public)
    from shelter.connectors.base import no_progress
    from shelter.connectors.ftm_entities import write_ftm
    from shelter.network.build import build_network
    from shelter.network.export import WRITERS, ftm_selection, note_export

    graph = build_network(viewer, state)
    buffer = io.StringIO()
    if fmt == "ftm":
        write_ftm(buffer, viewer, no_progress, ftm_selection(graph))
    else:
        WRITERS[fmt](buffer, graph)
    _write(output, buffer.getvalue())
    note_export(viewer, graph)
    click.echo(f"exported {len(graph.nodes)} node(s) and {len(graph.edges)} link(s)"
               + ("" if str(output) == "-" else f" to {output}"), err=True)


def _node(value: str) -> str:
    return f"person:{value}" if value.isdigit() else value


@network.command("paths")
@click.argument("first")
@click.argument("second")
@click.option("--state", callback=_state_code, help="Search only this origin state's network.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@_who
def paths(first: str, second: str, state: str | None, limit: int, username: str | None, public: bool) -> None:
    """Shortest paths between two people (ids, or node ids such as organisation:3), with the records and
    sources behind every link, as JSON."""
    viewer = _viewer(username, public)
    from shelter.network.build import UnknownNode, build_network, parse_node
    from shelter.network.core import shortest_paths
    from shelter.network.report import path_json

    a, b = _node(first), _node(second)
    graph = build_network(viewer, state)
    for node in (a, b):
        try:
            parse_node(node)
        except UnknownNode as error:
            raise click.UsageError(str(error)) from error
        if node not in graph.nodes:
            raise click.ClickException(f"{node} not found" + (f" in the {state} network" if state else ""))
    found = [path_json(graph, p) for p in shortest_paths(graph, a, b, limit)]
    click.echo(json.dumps({"from": a, "to": b, "paths": found}, ensure_ascii=False, indent=2))
    if not found:
        click.echo(f"no path between {a} and {b}", err=True)


@network.command("report")
@click.option("--state", callback=_state_code, required=True, help="Origin state (ISO code or name).")
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default="json", show_default=True)
@_who
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
def report(state: str, fmt: str, username: str | None, public: bool, output: Path | None) -> None:
    """Shared perpetrators, informants and handlers and who is near them, centrality and communities."""
    viewer = _viewer(username, public)
    from shelter.network.build import build_network
    from shelter.network.report import render_report_html, state_report

    found = state_report(build_network(viewer, state), state)
    _write(output, json.dumps(found, ensure_ascii=False, indent=2) + "\n" if fmt == "json"
           else render_report_html(found))
