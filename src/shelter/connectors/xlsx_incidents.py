"""Incidents from the first worksheet of an XLSX workbook (same columns as CSV, header in row 1).

Cells are read as stored: a formula is kept as its text and never evaluated; dates typed as spreadsheet
dates become YYYY-MM-DD, whole numbers (a year typed as 2019) become their digits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from shelter.archives import ArchiveRefused, cell_text, open_workbook
from shelter.connectors.base import Connector, ImportRefused, ImportReport, Progress
from shelter.connectors.incident_rows import COLUMNS, WRONG_WIDTH, import_rows


def read_xlsx(path: Path, dry_run: bool, progress: Progress) -> ImportReport:
    report = ImportReport(source=path.name, dry_run=dry_run)
    try:
        workbook = open_workbook(path)
    except ArchiveRefused as error:
        raise ImportRefused(str(error)) from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header_cells = next(lines, None)
        if header_cells is None:
            raise ImportRefused(f"{path.name}: the first worksheet is empty (expected a header row: "
                                f"{', '.join(COLUMNS)})")
        header = [cell_text(c).strip().lower() for c in header_cells]
        while header and not header[-1]:
            header.pop()

        def rows() -> Iterator[tuple[str, dict[str, str]]]:
            """The rows one at a time (the worksheet is streamed, never held whole)."""
            for number, line in enumerate(lines, start=2):
                cells = [cell_text(c) for c in line]
                if not any(c.strip() for c in cells):
                    continue
                if any(c.strip() for c in cells[len(header):]):
                    yield f"row {number}", {WRONG_WIDTH: str(len(cells))}
                else:
                    yield f"row {number}", dict(zip(header, cells, strict=False))

        return import_rows(report, header, rows(), progress, expected_width=len(header),
                           total=sheet.max_row - 1 if sheet.max_row else 0)
    finally:
        workbook.close()


CONNECTOR = Connector(name="xlsx", description="incidents from an XLSX worksheet", read=read_xlsx)
