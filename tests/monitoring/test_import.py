"""Returns and outcomes from CSV and XLSX: all rows or none, one clear line for a bad row, XLSX limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from shelter.cli import main
from shelter.monitoring.importing import ReturnsImportError, import_returns
from shelter.monitoring.models import CheckIn, MonitoringPlan

pytestmark = pytest.mark.django_db

HEADER = "person,host_country,destination,return_date,interval_days,check_in_date,status,channel,sources\n"


def test_csv_rows_become_plans_and_check_ins(tmp_path: Path, returnee) -> None:
    source = tmp_path / "returns.csv"
    source.write_text(HEADER + f"{returnee.pk},DE,UZ,2025-02-01,14,2025-02-03,detained,lawyer,call\n"
                      f"{returnee.pk},de,uz,2025-02-01,14,2025-03-01,charged,lawyer,court record\n"
                      f"{returnee.pk},TR,UZ,2024-05-05,,,,,\n", encoding="utf-8")
    summary = import_returns(source)
    assert (summary.plans, summary.check_ins) == (2, 2)
    plan = MonitoringPlan.objects.get(host_country="DE")
    assert plan.confidentiality == "confidential" and plan.interval_days == 14
    assert sorted(plan.check_ins.values_list("status", flat=True)) == ["charged", "detained"]


def test_a_bad_row_stops_the_whole_file_with_one_line(tmp_path: Path, returnee) -> None:
    source = tmp_path / "returns.csv"
    source.write_text(HEADER + f"{returnee.pk},DE,UZ,2025-02-01,14,2025-02-03,detained,,\n"
                      f"{returnee.pk},DE,UZ,2025-02-01,14,2025-02-10,jailed,,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["monitor", "import", str(source)])
    assert result.exit_code != 0 and "returns.csv, row 3: status:" in result.output and "jailed" in result.output
    assert not MonitoringPlan._base_manager.exists() and not CheckIn._base_manager.exists()
    source.write_text("person,host,destination,return_date\n", encoding="utf-8")
    with pytest.raises(ReturnsImportError, match="row 1: unknown column.*host.*missing column.*host_country"):
        import_returns(source)
    source.write_text(HEADER + "999999,DE,UZ,2025-02-01,,,,,\n", encoding="utf-8")
    with pytest.raises(ReturnsImportError, match="row 2: person: there is no person with id 999999"):
        import_returns(source)


def test_xlsx_is_read_as_stored_and_checked_like_other_workbooks(tmp_path: Path, returnee) -> None:
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["person", "host_country", "destination", "return_date", "check_in_date", "status"])
    sheet.append([returnee.pk, "DE", "TJ", datetime.date(2025, 6, 1), datetime.date(2025, 6, 9), "disappeared"])
    path = tmp_path / "returns.xlsx"
    workbook.save(path)
    dry = import_returns(path, dry_run=True)
    assert (dry.plans, dry.check_ins, MonitoringPlan.objects.count()) == (1, 1, 0)
    assert import_returns(path).plans == 1
    assert CheckIn.objects.get().status == "disappeared"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ReturnsImportError, match="broken.xlsx"):
        import_returns(broken)
