"""Incidents as table rows, shared by the CSV and XLSX connectors.

Rows are validated in Python (not one ``full_clean`` and ``save`` per row) as they are read, and written in
batches with their history rows and search documents, in one transaction: 100,000 rows take seconds, not hours,
memory stays flat however long the file, and a file with one bad row writes nothing. Text cells meet the rule of
every importer (``shelter.intake``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shelter.access.bulk_insert import insert_rows
from shelter.access.models import Confidentiality, Team
from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import IMPORTED_FROM, create_in_bulk
from shelter.connectors.base import DryRunRollback, ImportReport, Problem, Progress
from shelter.countries import UnknownCountryError, country_code
from shelter.incidents.models import Incident, Outcome, Verification
from shelter.incidents.taxonomy import taxonomy
from shelter.intake import text_problem
from shelter.partial_dates import PartialDateError, parse_partial_date
from shelter.search.index import index_records
from shelter.stored_words import written

REQUIRED_COLUMNS = ("title", "date", "tactic", "origin_state")
OPTIONAL_COLUMNS = ("end_date", "host_country", "place", "outcome", "verification", "confidentiality", "published",
                    "teams", "description")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BATCH_SIZE = 2000
_TRUE = {"1", "true", "yes", "y", "да"}
_FALSE = {"", "0", "false", "no", "n", "нет"}
# A spreadsheet treats a cell starting with one of these as a formula. Exports put an apostrophe in front
# so that nothing is ever evaluated; imports take that apostrophe away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguard_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


@dataclass
class ParsedRow:
    incident: Incident
    team_ids: list[int]


class IncidentRowParser:
    """Turns a row of text cells into an unsaved :class:`Incident`, or into problems that name the column."""

    def __init__(self) -> None:
        self._tactics: dict[str, str] = {}
        for tactic in taxonomy().tactics:
            self._tactics[tactic.code] = tactic.code
            for label in tactic.labels.values():
                self._tactics[label.casefold()] = tactic.code
        self._teams = {team.name: team.pk for team in Team.objects.all()}
        self._choices = {"outcome": Outcome.values, "verification": Verification.values,
                         "confidentiality": Confidentiality.values}
        # Only free text can be too long; coded columns are checked (and shortened to codes) below.
        self._max_length = {name: Incident._meta.get_field(name).max_length for name in ("title", "place")}  # type: ignore[union-attr]

    def check_header(self, header: Sequence[str]) -> list[Problem]:
        problems = []
        names = [h.strip().lower() for h in header]
        for name in names:
            if name and name not in COLUMNS:
                problems.append(Problem("header", name, f"unknown column (expected some of: {', '.join(COLUMNS)})"))
        for name in REQUIRED_COLUMNS:
            if name not in names:
                problems.append(Problem("header", name, "required column is missing"))
        duplicates = {n for n in names if n and names.count(n) > 1}
        problems.extend(Problem("header", name, "column appears twice") for name in sorted(duplicates))
        return problems

    def parse(self, where: str, cells: dict[str, str]) -> tuple[ParsedRow | None, list[Problem]]:
        problems: list[Problem] = []
        values = {name: unguard_formula((cells.get(name) or "").strip()) for name in COLUMNS}

        def fail(column: str, message: str) -> None:
            problems.append(Problem(where, column, message))

        for column in REQUIRED_COLUMNS:
            if not values[column]:
                fail(column, "is empty (required)")
        for column, value in values.items():
            problem = text_problem(value)
            if problem:
                fail(column, problem)
                values[column] = ""
        for column, limit in self._max_length.items():
            if limit is not None and len(values[column]) > limit:
                fail(column, f"is {len(values[column])} characters long (at most {limit})")
        tactic = self._tactics.get(values["tactic"].casefold()) or self._tactics.get(values["tactic"])
        if values["tactic"] and tactic is None:
            fail("tactic", f"'{values['tactic']}' is not a tactic code or label (e.g. detention, red_notice)")
        dates = {}
        for column in ("date", "end_date"):
            if values[column]:
                try:
                    dates[column] = parse_partial_date(values[column])
                except PartialDateError as error:
                    fail(column, str(error))
        countries = {}
        for column in ("origin_state", "host_country"):
            if values[column]:
                try:
                    countries[column] = country_code(values[column])
                except UnknownCountryError as error:
                    fail(column, str(error))
        for column, allowed in self._choices.items():
            if values[column] and values[column] not in allowed:
                fail(column, f"'{values[column]}' is not one of {', '.join(allowed)}")
        published = values["published"].casefold()
        if published not in _TRUE | _FALSE:
            fail("published", f"'{values['published']}' is not yes or no")
        team_ids = []
        for name in filter(None, (t.strip() for t in values["teams"].split(";"))):
            if name not in self._teams:
                fail("teams", f"there is no case team named '{name}' (create it first: shelter users add --team)")
            else:
                team_ids.append(self._teams[name])
        if problems:
            return None, problems
        date = dates["date"]
        incident = Incident(  # type: ignore[misc]
            title=values["title"], tactic=tactic, date=str(date),
            end_date=str(dates["end_date"]) if "end_date" in dates else "",
            date_from=date.first_day, year=date.year,
            origin_state=countries["origin_state"], host_country=countries.get("host_country", ""),
            place=values["place"], outcome=values["outcome"] or Outcome.UNKNOWN,
            verification=values["verification"] or Verification.UNVERIFIED,
            confidentiality=values["confidentiality"] or Confidentiality.INTERNAL,
            published=published in _TRUE, description=values["description"],
        )
        return ParsedRow(incident, team_ids), []


# Set by a reader on a row whose number of cells differs from the header's.
WRONG_WIDTH = "__cells__"


def import_rows(report: ImportReport, header: Sequence[str], rows: Iterable[tuple[str, dict[str, str]]],
                progress: Progress, expected_width: int = 0, total: int = 0) -> ImportReport:
    """Validate the rows in one pass as they are read, writing them in batches inside one transaction while
    every row so far is valid; the transaction is undone when any row is refused (or on a dry run), so all rows
    are written or none. Memory stays flat however long the file: one batch is held at a time. ``total`` is
    the expected number of rows, for the progress bar only."""
    parser = IncidentRowParser()
    report.problems.extend(parser.check_header(header))
    if report.problems:
        return report
    reason = written(IMPORTED_FROM, source=report.source[:80])  # the history's reason holds 100 characters
    checked = valid = 0
    try:
        with transaction.atomic(), progress("importing rows", total) as bar:
            batch: list[ParsedRow] = []
            for where, cells in rows:
                checked += 1
                if checked % 1000 == 0:
                    bar.update(1000)
                if WRONG_WIDTH in cells:
                    report.add_problem(Problem(where, "", f"has {cells[WRONG_WIDTH]} cells but the header has "
                                                          f"{expected_width} columns (a stray separator or quote?)"))
                    continue
                row, problems = parser.parse(where, cells)
                for problem in problems:
                    report.add_problem(problem)
                if row is None:
                    continue
                valid += 1
                if not report.ok or report.dry_run:
                    continue
                batch.append(row)
                if len(batch) == BATCH_SIZE:
                    write_incidents(batch, reason)
                    batch = []
            if batch and report.ok and not report.dry_run:
                write_incidents(batch, reason)
            bar.update(checked % 1000)
            if not report.ok or report.dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    if not checked:
        report.notes.append("the file has a header but no rows")
    report.created["incidents"] = valid if report.ok else 0
    return report


# Incident columns written by the importer, in order (the id is reserved by ``create_in_bulk``).
_INCIDENT_COLUMNS = ("confidentiality", "published", "created", "modified", "title", "tactic", "date", "end_date",
                     "date_from", "year", "origin_state", "host_country", "place", "outcome", "verification",
                     "description")


def write_incidents(rows: Sequence[ParsedRow], reason: str) -> None:
    """Insert one batch of incidents with one "created" history entry each, their case teams and search
    documents (inside the import's transaction)."""
    now = timezone.now()
    incidents = [row.incident for row in rows]
    for incident in incidents:
        incident.created, incident.modified = now, now
    create_in_bulk(Incident, incidents, None, reason=reason, when=now, columns=_INCIDENT_COLUMNS)
    ids = [incident.pk for incident in incidents]
    insert_rows(Incident.teams.through, ("incident_id", "team_id"),
                [(pk, team) for pk, row in zip(ids, rows, strict=True) for team in row.team_ids])
    index_records("incident", ids)


def incident_cells(incident: Incident, viewer: Viewer) -> dict[str, Any]:
    """An incident as one row of the documented columns (case teams shown to signed-in users only)."""
    shows_teams = viewer is not None and viewer.is_authenticated
    return {
        "title": incident.title, "date": incident.date, "tactic": incident.tactic,
        "origin_state": incident.origin_state, "end_date": incident.end_date,
        "host_country": incident.host_country, "place": incident.place, "outcome": incident.outcome,
        "verification": incident.verification, "confidentiality": incident.confidentiality,
        "published": "yes" if incident.published else "no",
        "teams": ";".join(sorted(t.name for t in incident.teams.all())) if shows_teams else "",
        "description": incident.description,
    }


def visible_incidents(viewer: Viewer) -> QuerySet[Incident]:
    queryset = visible_to(Incident.objects.order_by("pk"), viewer)
    if viewer is not None and viewer.is_authenticated:
        queryset = queryset.prefetch_related("teams")
    return queryset
