"""``shelter names``: compare two names, score a TSV of pairs, screen a CSV against a registry."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import TextIO

import click

from shelter.names.dates import PartialDateError, parse_partial_date
from shelter.names.scoring import DEFAULT_THRESHOLD, PersonRecord, compare
from shelter.names.screening import InputError, read_people, score_pairs, screen
from shelter.progress import progress_bar


def _dob(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_partial_date(value)
    except PartialDateError as error:
        raise click.BadParameter(str(error)) from None
    return value


@click.group()
def names() -> None:
    """Cross-script person-name matching (Latin, Cyrillic; Russian and Central Asian conventions)."""


@names.command("compare")
@click.argument("name_a")
@click.argument("name_b")
@click.option("--dob-a", help="Date of birth of A: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--dob-b", help="Date of birth of B: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD, show_default=True)
def compare_command(name_a: str, name_b: str, dob_a: str | None, dob_b: str | None, threshold: float) -> None:
    """Score whether NAME_A and NAME_B are the same person; print score, decision and explanation."""
    result = compare(
        PersonRecord((name_a,), dob=_dob(dob_a)),
        PersonRecord((name_b,), dob=_dob(dob_b)),
        threshold=threshold,
    )
    click.echo(f"score: {result.score:.4f}")
    click.echo(f"match: {'yes' if result.is_match else 'no'} (threshold {threshold})")
    click.echo(f"why: {result.explanation}")


@names.command("score")
@click.argument("pairs", type=click.File("r", encoding="utf-8-sig"))
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD, show_default=True)
def score_command(pairs: TextIO, threshold: float) -> None:
    """Score a TSV of name pairs (columns left, right; optional left_dob, right_dob; others kept).

    Writes the rows to stdout with the columns score and match (true/false) added.
    """
    try:
        score_pairs(pairs, sys.stdout, threshold=threshold)
    except InputError as error:
        raise click.ClickException(f"{pairs.name}: {error}") from None


@names.command("screen")
@click.option(
    "--queries",
    "queries_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV with columns id, name and optional dob, country.",
)
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV with columns id, name and optional dob, country.",
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Hits kept per query.")
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Processes screening in parallel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write hits: query_id, registry_id, score, explanation.",
)
def screen_command(
    queries_path: Path, registry_path: Path, threshold: float, limit: int, workers: int, output: Path
) -> None:
    """Screen every query against the registry and write the hits to a CSV."""
    try:
        registry = read_people(registry_path)
        queries = read_people(queries_path)
    except InputError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"indexing {len(registry)} registry records, then screening in {workers} process(es)", err=True
    )
    hits = 0
    with output.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["query_id", "registry_id", "score", "explanation"])
        with progress_bar("screening", len(queries)) as bar:
            for hit in screen(
                queries, registry, threshold=threshold, limit=limit, workers=workers, on_progress=bar.update
            ):
                writer.writerow([hit.query_id, hit.registry_id, f"{hit.score:.4f}", hit.explanation])
                hits += 1
    click.echo(
        f"{hits} hits for {len(queries)} queries against {len(registry)} records -> {output}", err=True
    )
