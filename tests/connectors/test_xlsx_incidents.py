"""XLSX import: typed cells become text, formulas are kept as text, broken workbooks are refused."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import Workbook

from shelter.connectors.base import ImportRefused
from shelter.connectors.xlsx_incidents import read_xlsx
from shelter.incidents.models import Incident
from tests.connectors.conftest import SILENT

pytestmark = pytest.mark.django_db

HEADER = ["Title", "Date", "Tactic", "Origin_State", "Host_Country", "Confidentiality", "Description"]


def _workbook(tmp_path, *rows):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    return path


def test_typed_cells_and_formulas(tmp_path):  # type: ignore[no-untyped-def]
    path = _workbook(
        tmp_path,
        ["Detention at the airport", datetime.datetime(2019, 5, 12), "detention", "UZ", "Germany", "public", None],
        ["Year typed as a number", 2020, "interpol red notice", "TJ", "RU", "internal", "=1+1"],
    )
    report = read_xlsx(path, False, SILENT)
    assert report.ok, report.problems
    rows = {i.title: i for i in Incident.objects.all()}
    assert rows["Detention at the airport"].date == "2019-05-12"
    assert rows["Detention at the airport"].host_country == "DE"
    assert rows["Year typed as a number"].date == "2020"
    assert rows["Year typed as a number"].description == "=1+1"  # kept as text, never evaluated


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):  # type: ignore[no-untyped-def]
    path = _workbook(
        tmp_path,
        ["Fine", "2019", "detention", "UZ", "TR", "public", ""],
        ["Broken", "2019-13", "detention", "UZ", "TR", "public", ""],
        ["Too wide", "2019", "detention", "UZ", "TR", "public", "", "stray"],
    )
    report = read_xlsx(path, False, SILENT)
    problems = [str(p) for p in report.problems]
    assert "row 3, date: date '2019-13' is not a date: there is no month 13 (expected YYYY, YYYY-MM or " \
           "YYYY-MM-DD)" in problems
    assert any(p.startswith("row 4: has 8 cells") for p in problems)
    assert not Incident.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"title,date\nnot,a workbook\n")
    with pytest.raises(ImportRefused, match="not a readable XLSX workbook"):
        read_xlsx(path, False, SILENT)
