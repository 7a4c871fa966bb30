"""``shelter surveillance``: vendors, products, deployments and licence decisions (list, show), who supplies a
state, import and export, the licence assessment and the spyware-family map.

Every command that reads records shows what the operator sees, or with ``--as USERNAME`` what that user sees,
or with ``--public`` what an anonymous visitor sees; imports write as the operator or as ``--as USERNAME``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
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
from shelter.surveillance.rows import FORMATS

AS_OPTION = click.option("--as", "username", metavar="USERNAME",
                         help="Act as this user: see (and write) what they may (default: the operator).")
PUBLIC_OPTION = click.option("--public", is_flag=True, help="Show what an anonymous visitor sees.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _viewer(username: str | None, public: bool = False) -> Any:
    """What ``--as USERNAME`` names (the operator without it), or an anonymous visitor with ``--public``."""
    from shelter.cli import setup_django, viewer_as

    if public:
        if username:
            raise click.UsageError("give --as or --public, not both")
        setup_django()
        return None
    return viewer_as(username)


def _writer(username: str | None) -> Any:
    """None (the operator) or the user named."""
    viewer = _viewer(username)
    return viewer if username else None


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
    """Surveillance technology: vendors, products, transfers, licences and the licence assessment."""


# --------------------------------------------------------------------------------------------------------
# list / show for each kind


def _kind_group(name: str, help_text: str, model_name: str, line: Callable[[Any], str],
                filters: dict[str, str]) -> click.Group:
    group = click.Group(name, help=help_text)

    @group.command("list")
    @click.option("--q", "query", default="", help="Full-text search.")
    @click.option("--filter", "pairs", multiple=True, metavar="FIELD=VALUE",
                  help=f"Keep records with this value ({', '.join(filters)}); repeat to combine.")
    @click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
    @AS_OPTION
    @PUBLIC_OPTION
    @JSON_OPTION
    def list_records(query: str, pairs: tuple[str, ...], limit: int, username: str | None, public: bool,
                     as_json: bool) -> None:
        """The records you may see, searched and filtered; one per line or as JSON."""
        viewer = _viewer(username, public)
        from shelter.countries import UnknownCountryError, country_code
        from shelter.search.index import search_with_links
        from shelter.surveillance.api import queryset_for, record_of
        from shelter.surveillance.services import CITABLE

        model = next(m for m, label in CITABLE.items() if label == model_name)
        queryset = queryset_for(model)(viewer)
        for pair in pairs:
            key, _, value = pair.partition("=")
            if key not in filters:
                raise click.BadParameter(f"'{key}' is not one of {', '.join(filters)}", param_hint="--filter")
            if filters[key] == "country":
                try:
                    value = country_code(value)
                except UnknownCountryError as error:
                    raise click.BadParameter(str(error), param_hint="--filter") from None
            queryset = queryset.filter(**{key: value})
        if query.strip():
            queryset = search_with_links(queryset, query, viewer)
        records = list(queryset[:limit])
        if as_json:
            click.echo(json.dumps({"count": queryset.count(), "items": [record_of(r, viewer) for r in records]},
                                  ensure_ascii=False, indent=2))
            return
        for record in records:
            click.echo(f"{record.pk}\t{line(record)}")
        click.echo(f"{len(records)} of {queryset.count()} shown", err=True)

    @group.command("show")
    @click.argument("record_id", type=click.IntRange(1))
    @AS_OPTION
    @PUBLIC_OPTION
    def show(record_id: int, username: str | None, public: bool) -> None:
        """One record as JSON; a record you may not see is reported like a missing one."""
        viewer = _viewer(username, public)
        from shelter.access.access_log import log_access
        from shelter.surveillance.api import queryset_for, record_of
        from shelter.surveillance.services import CITABLE

        model = next(m for m, label in CITABLE.items() if label == model_name)
        record = queryset_for(model)(viewer).filter(pk=record_id).first()
        if record is None:
            raise click.UsageError(f"there is no {model._meta.verbose_name} with id {record_id}")
        if viewer is not None and viewer.pk:
            log_access(viewer, record, "viewed")
        click.echo(json.dumps(record_of(record, viewer), ensure_ascii=False, indent=2))

    return group


surveillance.add_command(_kind_group(
    "vendors", "Surveillance vendors.", "vendor", lambda v: f"{v.name}\t{v.country or '-'}",
    {"country": "country"}))
surveillance.add_command(_kind_group(
    "products", "Surveillance products.", "product", lambda p: f"{p.name}\t{', '.join(p.capabilities) or '-'}",
    {"family": "text", "vendor": "text"}))
surveillance.add_command(_kind_group(
    "deployments", "Deployments and transfers.", "deployment",
    lambda d: f"{d.product_id}\t{d.kind}\t{d.customer_state}\t{d.agency_name or d.agency_id or '-'}\t{d.date or '-'}",
    {"kind": "text", "customer_state": "country", "product": "text"}))
surveillance.add_command(_kind_group(
    "licences", "Licence decisions.", "licence",
    lambda d: f"{d.exporting_state}\t{d.decision}\t{d.destination}\t{d.control_entry or d.product_id or '-'}\t{d.date or '-'}",
    {"decision": "text", "destination": "country", "exporting_state": "country"}))


@surveillance.command()
@click.argument("state")
@AS_OPTION
@PUBLIC_OPTION
@JSON_OPTION
def suppliers(state: str, username: str | None, public: bool, as_json: bool) -> None:
    """Who supplies STATE: vendors, products, kinds of deployment and agencies on record."""
    viewer = _viewer(username, public)
    from shelter.countries import UnknownCountryError, country_code
    from shelter.surveillance.queries import suppliers_of

    try:
        code = country_code(state)
    except UnknownCountryError as error:
        raise click.BadParameter(str(error), param_hint="STATE") from None
    found = suppliers_of(code, viewer)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for vendor in found:
        click.echo(vendor["vendor"])
        for d in vendor["deployments"]:
            flag = "  [customer and perpetrator]" if d["also_perpetrator"] else ""
            click.echo(f"    {d['product']}\t{d['kind']}\t{d['agency'] or '-'}\t{d['date'] or '-'}{flag}")
    click.echo(f"{len(found)} vendor(s) supply {code} on record", err=True)


# --------------------------------------------------------------------------------------------------------
# import / export



@surveillance.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="The file's format.")
@click.option("--kind", type=click.Choice(("vendors", "products", "deployments", "licences")),
              help="For --format csv: which records the file holds.")
@click.option("--seed", is_flag=True, help="Import the project's seed of facts from public reports instead.")
@click.option("--confidentiality", type=click.Choice(("public", "internal", "confidential")), default="internal",
              show_default=True)
@click.option("--team", "teams", multiple=True, help="Case team for the records (repeat).")
@click.option("--dry-run", is_flag=True, help="Check everything and write nothing.")
@AS_OPTION
@JSON_OPTION
def import_records(path: Path | None, fmt: str | None, kind: str | None, seed: bool, confidentiality: str,
                   teams: tuple[str, ...], dry_run: bool, username: str | None, as_json: bool) -> None:
    """Import vendors, products, deployments and licence decisions (all or nothing)."""
    if seed == (path is not None):
        raise click.UsageError("give a file or --seed")
    if path is not None and fmt is None:
        raise click.UsageError("give the file's --format")
    if fmt == "csv" and kind is None:
        raise click.UsageError("a CSV file holds one kind of record: give --kind")
    writer = _writer(username)
    from shelter.surveillance import rows
    from shelter.surveillance.importing import import_batch, read_batch

    if seed:
        batch, source = rows.seed(), "seed"
    else:
        assert path is not None and fmt is not None
        source = str(path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            batch = read_batch(handle, fmt, kind, source)
    result = import_batch(batch, writer, source=source, dry_run=dry_run, confidentiality=confidentiality,
                          teams=list(teams) or None)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(result.summary())
    if not result.ok:
        sys.exit(2)


@surveillance.command("export")
@click.option("--format", "fmt", type=click.Choice(("csv", "json", "ftm")), default="json", show_default=True)
@click.option("--kind", type=click.Choice(("vendors", "products", "deployments", "licences")),
              help="For --format csv: which records to write.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@AS_OPTION
@PUBLIC_OPTION
def export_records(fmt: str, kind: str | None, output: Path | None, username: str | None, public: bool) -> None:
    """Export the records you may see (JSON and CSV in the import's layout; FollowTheMoney entities)."""
    if fmt == "csv" and kind is None:
        raise click.UsageError("a CSV file holds one kind of record: give --kind")
    viewer = _viewer(username, public)
    from shelter.surveillance import rows
    from shelter.surveillance.importing import export_ftm, export_json, exported

    if fmt == "json":
        chunks: Any = [export_json(viewer) + "\n"]
    elif fmt == "ftm":
        chunks = export_ftm(viewer)
    else:
        chunks = rows.write_csv(str(kind), exported(viewer)[str(kind)])
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    click.echo(f"wrote {output}", err=True)


# --------------------------------------------------------------------------------------------------------
# assessment


@surveillance.command()
@click.option("--product", required=True, help="Product name, e.g. Pegasus.")
@click.option("--destination", required=True, help="Destination state, ISO code such as UZ.")
@click.option("--end-user", default="", help="End-user agency named in the licence application.")
@click.option("--assessing-state", default="", help="The state deciding (its own denials are left out).")
@click.option("--control-entry", "control_entries", multiple=True,
              help="With --facts: control-list entry, e.g. 4.A.5 (repeat).")
@click.option("--no-control-entry", is_flag=True, help="With --facts: the product carries no control-list entry.")
@click.option("--facts", "facts_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Assess from this JSON file ('deployments', 'incidents') instead of the records.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--html", "as_html", is_flag=True, help="Print the assessment as an HTML memo.")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the memo as a PDF to this file.")
@AS_OPTION
@PUBLIC_OPTION
def assess(product: str, destination: str, end_user: str, assessing_state: str, control_entries: tuple[str, ...],
           no_control_entry: bool, facts_file: Path | None, as_json: bool, as_html: bool, pdf_file: Path | None,
           username: str | None, public: bool) -> None:
    """Answer the licence indicators EX-01... present / absent / unknown with evidence and sources."""
    if no_control_entry and control_entries:
        raise click.UsageError("give --control-entry or --no-control-entry, not both")
    if facts_file is None and (control_entries or no_control_entry):
        raise click.UsageError("--control-entry and --no-control-entry go with --facts; without it the product "
                               "record says which entries it carries")
    if facts_file is not None:
        extra = _read_facts(facts_file)
        facts = Facts(
            product=product,
            destination=destination.strip().upper(),
            end_user=end_user,
            control_entries=() if no_control_entry else (control_entries or None),
            deployments=_build(Deployment, extra.get("deployments", []), "deployments"),
            incidents=_build(Incident, extra.get("incidents", []), "incidents"),
            assessing_state=assessing_state.strip().upper(),
        )
        try:
            data = report(facts)
        except AssessmentError as error:
            raise click.UsageError(str(error)) from error
    else:
        viewer = _viewer(username, public)
        from shelter.surveillance.assessment import AssessmentRequest, assess_records

        data = assess_records(AssessmentRequest.from_mapping({
            "product": product, "destination": destination, "end_user": end_user,
            "assessing_state": assessing_state}), viewer)
    if pdf_file is not None:
        from shelter.surveillance.assessment import memo_pdf

        pdf_file.write_bytes(memo_pdf(data))
        click.echo(f"wrote {pdf_file}", err=True)
    if as_html:
        click.echo(memo_html(data))
        return
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if pdf_file is not None:
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
