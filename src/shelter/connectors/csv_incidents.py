"""Incidents as CSV: UTF-8 (a byte-order mark is fine), separated by commas, semicolons or tabs, one header row.

Columns are those of :mod:`shelter.connectors.incident_rows`; rows are numbered as a spreadsheet shows
them (the header is row 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
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
from shelter.intake import InputRefused, csv_rows


def _delimiter(first_line: str) -> str:
    """Comma, or the semicolon (Excel in many locales) or tab (.tsv) when the header uses that instead."""
    return max((",", ";", "\t"), key=first_line.count)


def _line_count(path: Path) -> int:
    """Lines in the file (for the progress bar only; a cell with line breaks makes it an overestimate)."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            count += chunk.count(b"\n")
    return count


def read_csv(path: Path, dry_run: bool, progress: Progress) -> ImportReport:
    """Read, check and write the rows one at a time (see ``incident_rows.import_rows``): memory stays flat
    however long the file."""
    report = ImportReport(source=path.name, dry_run=dry_run)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first_line = handle.readline(4096)
            handle.seek(0)
            rows = csv_rows(handle, _delimiter(first_line), path.name)
            header = next(rows, None)
            if header is None:
                raise ImportRefused(f"{path.name} is empty (expected a header row: {', '.join(COLUMNS)})")
            names = [h.strip().lower() for h in header[1]]

            def cells_by_column() -> Iterator[tuple[str, dict[str, str]]]:
                for number, cells in rows:
                    if not any(c.strip() for c in cells):
                        continue
                    if len(cells) != len(names):
                        yield f"row {number}", {WRONG_WIDTH: str(len(cells))}
                    else:
                        yield f"row {number}", dict(zip(names, cells, strict=True))

            return import_rows(report, names, cells_by_column(), progress, expected_width=len(names),
                               total=_line_count(path) - 1)
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{path.name} is not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'") from None
    except InputRefused as error:
        raise ImportRefused(str(error)) from None


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
