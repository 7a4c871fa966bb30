"""Incidents as CSV: UTF-8 (a byte-order mark is fine), separated by commas, semicolons or tabs, one header row.

Columns are those of :mod:`shelter.connectors.incident_rows`; rows are numbered as a spreadsheet shows
them (the header is row 1).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from shelter.access.visibility import Viewer
from shelter.connectors.base import Connector, ImportRefused, ImportReport, Progress
from shelter.connectors.incident_rows import (
    COLUMNS,
    WRONG_WIDTH,
    guard_formula,
    import_rows,
    incident_cells,
    visible_incidents,
)
from shelter.validators import MAX_FIELD_CHARS

# A cell over the limit every importer applies is reported with its row and column (see incident_rows); the csv
# module itself stops only at what could never be a cell, so that it does not cut one off at its own 128 KiB.
MAX_CELL_CHARS = 4 * MAX_FIELD_CHARS


def _delimiter(first_line: str) -> str:
    """Comma, or the semicolon (Excel in many locales) or tab (.tsv) when the header uses that instead."""
    return max((",", ";", "\t"), key=first_line.count)


def read_csv(path: Path, dry_run: bool, progress: Progress) -> ImportReport:
    report = ImportReport(source=path.name, dry_run=dry_run)
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first_line = handle.readline()
            handle.seek(0)
            reader = csv.reader(handle, delimiter=_delimiter(first_line), strict=True)
            header = next(reader, None)
            if header is None:
                raise ImportRefused(f"{path.name} is empty (expected a header row: {', '.join(COLUMNS)})")
            names = [h.strip().lower() for h in header]
            rows: list[tuple[str, dict[str, str]]] = []
            # Rows as a spreadsheet numbers them: the header is row 1, a cell with line breaks is still one row.
            for row_number, cells in enumerate(reader, start=2):
                where = f"row {row_number}"
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(names):
                    rows.append((where, {WRONG_WIDTH: str(len(cells))}))
                    continue
                rows.append((where, dict(zip(names, cells, strict=True))))
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{path.name} is not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'") from None
    except csv.Error as error:
        raise ImportRefused(f"{path.name}, row {reader.line_num}: malformed CSV ({error})") from None
    return import_rows(report, names, rows, progress, expected_width=len(names))


def write_csv(stream: IO[Any], viewer: Viewer, progress: Progress) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    incidents = visible_incidents(viewer)
    count = 0
    with progress("exporting incidents", incidents.count()) as bar:
        for incident in incidents.iterator(chunk_size=2000):
            cells = incident_cells(incident, viewer)
            writer.writerow({name: guard_formula(str(value)) for name, value in cells.items()})
            count += 1
            bar.update(1)
    return count


CONNECTOR = Connector(name="csv", description="incidents as CSV rows", read=read_csv, write=write_csv)
