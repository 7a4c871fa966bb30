"""The list-level table of Interpol notices (CSV or XLSX): entity_id, forename, name, date_of_birth,
sex, nationalities (comma-separated ISO-2), detail_link. Extra columns (e.g. age) are ignored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from shelter.intake import NAME, URL, InputRefused, csv_rows
from shelter.notices.intake.formats.records import (
    NoticeData,
    NoticeFormatError,
    clean_text,
    countries,
    interpol_date,
    read_entity_id,
    sex,
)

REQUIRED_COLUMNS = ("entity_id", "forename", "name", "date_of_birth", "nationalities")
ORIGIN = "interpol_list"


def read_rows(header: list[str], rows: Iterable[tuple[int, list[object]]],
              notes: list[str] | None = None) -> Iterator[NoticeData]:
    """The notices of the rows (numbered as a spreadsheet shows them); a row that cannot be read raises
    NoticeFormatError naming it, a nationality that names no country is left out and said so in ``notes``."""
    columns = [clean_text(name).lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise NoticeFormatError(
            f"row 1: missing column(s) {', '.join(missing)} (expected {', '.join(REQUIRED_COLUMNS)})"
        )
    for number, values in rows:
        try:
            notice = _notice(dict(zip(columns, values, strict=False)), values, f"row {number}", notes)
        except NoticeFormatError as error:
            message = str(error)
            raise NoticeFormatError(message if message.startswith("row ") else f"row {number}: {message}") from None
        if notice is not None:
            yield notice


def _notice(row: dict[str, object], values: list[object], where: str, notes: list[str] | None) -> NoticeData | None:
    if not any(clean_text(value) for value in values):
        return None
    return NoticeData(
        entity_id=read_entity_id(row.get("entity_id"), where),
        origin=ORIGIN,
        forename=clean_text(row.get("forename"), NAME),
        surname=clean_text(row.get("name"), NAME),
        dob=interpol_date(row.get("date_of_birth"), where),
        sex=sex(row.get("sex")),
        nationalities=countries(clean_text(row.get("nationalities")), notes, where),
        url=clean_text(row.get("detail_link"), URL),
    )


def read_csv(path: Path, notes: list[str] | None = None) -> list[NoticeData]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv_rows(handle, source=path.name)
        try:
            header = next(reader, None)
            if header is None:
                raise NoticeFormatError(f"{path.name}: the file is empty")
            rows = ((number, list[object](values)) for number, values in reader)
            return list(read_rows(header[1], rows, notes))
        except InputRefused as error:
            raise NoticeFormatError(str(error)) from None


def read_xlsx(path: Path, notes: list[str] | None = None) -> list[NoticeData]:
    from shelter.archives import ArchiveRefused, open_workbook

    try:
        workbook = open_workbook(path, data_only=True)
    except ArchiveRefused as error:
        raise NoticeFormatError(str(error)) from None
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            raise NoticeFormatError(f"{path.name}: the first sheet is empty")
        rows = ((number, list(row)) for number, row in enumerate(values, start=2))
        return list(read_rows([clean_text(cell) for cell in header], rows, notes))
    finally:
        workbook.close()
