"""Returns and their outcomes from a CSV or XLSX file, with the same limits as the other imports (a cell's length,
the workbook's size through ``check_archive``, formulas kept as text, never evaluated).

One row is a return, optionally with one check-in; rows naming the same person, host, destination and return
date add check-ins to one monitoring plan. The file is imported whole or not at all: the first bad row stops it
with a line naming the row and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import User
from shelter.access.writes import check_writer, describe
from shelter.archives import ArchiveRefused, cell_text, open_workbook
from shelter.intake import InputRefused, csv_rows
from shelter.monitoring.models import MonitoringPlan
from shelter.monitoring.services import create_plan, record_check_in
from shelter.progress import Progress, no_progress

COLUMNS = ("person", "host_country", "destination", "return_date", "interval_days", "route", "contacts",
           "check_in_date", "status", "channel", "sources")
REQUIRED = ("person", "host_country", "destination", "return_date")


class ReturnsImportError(ValueError):
    """A file or row that cannot be imported, as one line a person can act on."""


@dataclass(frozen=True)
class ImportSummary:
    plans: int
    check_ins: int
    dry_run: bool



def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    if path.suffix.lower() == ".xlsx":
        try:
            workbook = open_workbook(path)
        except ArchiveRefused as error:
            raise ReturnsImportError(str(error)) from None
        try:
            for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                yield number, [cell_text(value).strip() for value in row]
        finally:
            workbook.close()
        return
    if path.suffix.lower() != ".csv":
        raise ReturnsImportError(f"{path.name}: expected a .csv or .xlsx file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, cells in csv_rows(handle, source=path.name):
                yield number, [cell.strip() for cell in cells]
    except UnicodeDecodeError:
        raise ReturnsImportError(f"{path.name} is not UTF-8 text (save the CSV as UTF-8)") from None
    except InputRefused as error:
        raise ReturnsImportError(str(error)) from None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise ReturnsImportError(f"{path.name} is empty (expected a header row: {', '.join(COLUMNS)})")
    header = [cell.lower() for cell in first[1]]
    while header and not header[-1]:
        header.pop()
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing:
        raise ReturnsImportError(f"{path.name}, row 1: " + "; ".join(
            ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
            + ([f"missing column(s) {', '.join(missing)}"] if missing else []))
            + f" (columns: {', '.join(COLUMNS)})")
    for number, cells in lines:
        if not any(cells):
            continue
        if any(cells[len(header):]):
            raise ReturnsImportError(f"{path.name}, row {number}: more cells than the header has columns")
        yield number, dict(zip(header, cells, strict=False))


def import_returns(path: Path, user: User | None = None, restriction: dict[str, Any] | None = None,
                   dry_run: bool = False, progress: Progress = no_progress) -> ImportSummary:
    """Import the returns of ``path`` as ``user`` (``None``: the operator); plans and check-ins take
    ``restriction`` (confidentiality, teams), confidential by default. ``progress`` counts the rows."""
    check_writer(user)
    restriction = {key: value for key, value in (restriction or {}).items() if value is not None}
    plans = check_ins = 0
    rows = list(_rows(path))
    with transaction.atomic(), progress("importing returns", len(rows)) as ticker:
        seen: dict[tuple[str, str, str, str], MonitoringPlan] = {}
        for number, row in rows:
            where = f"{path.name}, row {number}"
            blank = [name for name in REQUIRED if not row.get(name)]
            if blank:
                raise ReturnsImportError(f"{where}: {', '.join(blank)} is empty")
            key = (row["person"], row["host_country"].upper(), row["destination"].upper(), row["return_date"])
            try:
                plan = seen.get(key)
                if plan is None:
                    data: dict[str, Any] = {name: row[name] for name in REQUIRED}
                    for name in ("route", "contacts"):
                        if row.get(name):
                            data[name] = row[name]
                    if row.get("interval_days"):
                        if not row["interval_days"].isdigit():
                            raise ValidationError({"interval_days": f"'{row['interval_days']}' is not a number "
                                                                    "of days"})
                        data["interval_days"] = int(row["interval_days"])
                    plan = create_plan(user, {**data, **restriction})
                    seen[key] = plan
                    plans += 1
                if row.get("status") or row.get("check_in_date"):
                    record_check_in(user, plan, {"date": row.get("check_in_date") or None,
                                                 "status": row.get("status", ""), "channel": row.get("channel", ""),
                                                 "sources": row.get("sources", "")})
                    check_ins += 1
            except ValidationError as error:
                raise ReturnsImportError(f"{where}: {describe(error)}") from None
            ticker.update(1)
        if dry_run:
            transaction.set_rollback(True)
    return ImportSummary(plans, check_ins, dry_run)

