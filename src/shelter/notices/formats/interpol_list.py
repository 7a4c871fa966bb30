"""The list-level table of Interpol notices (CSV or XLSX): entity_id, forename, name, date_of_birth,
sex, nationalities (comma-separated ISO-2), detail_link. Extra columns (e.g. age) are ignored."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from shelter.notices.formats.records import (
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


def read_rows(header: list[str], rows: Iterable[tuple[int, list[object]]]) -> Iterator[NoticeData]:
    columns = [clean_text(name).lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise NoticeFormatError(
            f"row 1: missing column(s) {', '.join(missing)} (expected {', '.join(REQUIRED_COLUMNS)})"
        )
    for number, values in rows:
        row = dict(zip(columns, values, strict=False))
        if not any(clean_text(value) for value in values):
            continue
        entity_id = read_entity_id(row.get("entity_id"), f"row {number}")
        yield NoticeData(
            entity_id=entity_id,
            origin=ORIGIN,
            forename=clean_text(row.get("forename")),
            surname=clean_text(row.get("name")),
            dob=interpol_date(row.get("date_of_birth"), f"row {number}"),
            sex=sex(row.get("sex")),
            nationalities=countries(clean_text(row.get("nationalities"))),
            url=clean_text(row.get("detail_link")),
        )


def read_csv(path: Path) -> list[NoticeData]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise NoticeFormatError(f"{path.name}: the file is empty")
        rows = ((number, list[object](values)) for number, values in enumerate(reader, start=2))
        return list(read_rows(header, rows))


def read_xlsx(path: Path) -> list[NoticeData]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from shelter.archives import ArchiveRefused, check_archive

    try:
        check_archive(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except ArchiveRefused as error:
        raise NoticeFormatError(f"{path.name}: {error}") from None
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise NoticeFormatError(f"{path.name}: not a readable XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            raise NoticeFormatError(f"{path.name}: the first sheet is empty")
        rows = ((number, list(row)) for number, row in enumerate(values, start=2))
        return list(read_rows([clean_text(cell) for cell in header], rows))
    finally:
        workbook.close()
