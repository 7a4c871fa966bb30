"""Every importer applies the same rule to text from a file (``shelter.intake``): no control
characters, no value over the one length limit. A refused value is reported with its row or record, its field and
the reason, nothing is written, and rows are numbered as a spreadsheet shows them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from shelter.access.models import Team
from shelter.connectors.csv_incidents import read_csv
from shelter.connectors.json_records import read_json
from shelter.connectors.xlsx_incidents import read_xlsx
from shelter.incidents.models import Incident
from shelter.intake import MAX_FIELD_CHARS
from shelter.notices.intake.formats.records import NoticeFormatError, clean_text
from shelter.registry.models import Person
from tests.connectors.conftest import SILENT

pytestmark = pytest.mark.django_db

HEADER = "title,date,tactic,origin_state,description\n"


def problems_of(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(problem) for problem in report.problems]


def test_a_nul_byte_in_a_csv_cell_is_refused_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "Detained in Istanbul,2021,detention,UZ,fine\n"
                    "Threats by phone,2021,detention,UZ,bad\x00value\n", encoding="utf-8")
    report = read_csv(path, False, SILENT)
    assert problems_of(report) == ["row 3, description: holds the control character U+0000 at character 4: "
                                   "remove it (only tabs and line breaks are kept)"]
    assert not Incident.objects.exists()


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    """A quoted cell with line breaks is one row, as in a spreadsheet, not three lines."""
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + 'Detained,2021,detention,UZ,"first line\nsecond line\nthird line"\n'
                    "Threats,2021,no-such-tactic,UZ,\n", encoding="utf-8")
    report = read_csv(path, False, SILENT)
    assert [p.where for p in report.problems] == ["row 3"]


def workbook_with_long_cell(folder: Path, length: int, source: Path | None = None,
                            name: str = "incidents.xlsx") -> Path:
    """An XLSX whose description cell (or the cell reading LONGCELL in the workbook ``source``) holds ``length``
    characters (openpyxl itself writes at most Excel's 32,767, so the cell is put into the workbook's XML
    afterwards, as another program could write it)."""
    written = source or folder / "written.xlsx"
    if source is None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["title", "date", "tactic", "origin_state", "description"])
        sheet.append(["Detained", "2021", "detention", "UZ", "LONGCELL"])
        workbook.save(written)
    path = folder / name
    with zipfile.ZipFile(written) as source_zip, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source_zip.infolist():
            data = source_zip.read(item.filename)
            if item.filename.startswith("xl/") and item.filename.endswith(".xml"):
                data = data.replace(b"LONGCELL", b"x" * length)
            target.writestr(item, data)
    return path


def test_an_xlsx_cell_over_the_limit_is_refused_like_a_csv_cell(tmp_path: Path) -> None:
    report = read_xlsx(workbook_with_long_cell(tmp_path, MAX_FIELD_CHARS + 1), False, SILENT)
    assert problems_of(report) == [f"row 2, description: is {MAX_FIELD_CHARS + 1:,} characters long; the limit is "
                                   f"{MAX_FIELD_CHARS:,}"]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("record", "field", "reason"), [
    ({"id": 1, "primary_name": "Ivan Petrov", "teams": 5}, "teams", "list"),
    ({"id": [1], "primary_name": "Ivan Petrov"}, "id", "must be a number or a text, not list"),
    ({"id": 1, "primary_name": "Ivan\x00Petrov"}, "primary_name", "control character U+0000"),
], ids=["teams not a list", "id not a number or text", "NUL in a name"])
def test_json_values_of_the_wrong_kind_are_problems_not_crashes(tmp_path: Path, record: dict[str, object],
                                                                 field: str, reason: str) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"persons": [record]}), encoding="utf-8")
    report = read_json(path, False, SILENT)
    assert len(report.problems) == 1, report.problems
    assert report.problems[0].field == field and reason in report.problems[0].message
    assert not Person.objects.exists()


def test_json_ids_repeated_in_a_collection_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"persons": [{"id": 7, "primary_name": "Ivan Petrov"},
                                            {"id": 7, "primary_name": "Pyotr Ivanov"}]}), encoding="utf-8")
    report = read_json(path, False, SILENT)
    assert problems_of(report) == ["persons[1] (id 7), id: 7 is used by an earlier record in persons: each record "
                                   "needs its own id"]
    assert not Person.objects.exists()


def test_a_case_team_name_over_its_length_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"persons": [{"primary_name": "Ivan Petrov", "teams": ["t" * 100_000]}]}),
                    encoding="utf-8")
    report = read_json(path, False, SILENT)
    assert report.problems and report.problems[0].field == "name"
    assert not Team.objects.exists() and not Person.objects.exists()


def test_notice_text_with_a_control_character_is_refused() -> None:
    assert clean_text("  Ivan   Petrov ") == "Ivan Petrov"
    with pytest.raises(NoticeFormatError, match="control character U\\+001B"):
        clean_text("Ivan\x1b[2JPetrov")


def test_the_api_refuses_a_nul_byte_on_every_database(client, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    token = ApiToken.issue(users["editor"])
    response = client.post("/api/v1/people/", json.dumps({"primary_name": "Ivan\x00Petrov"}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "primary_name"]
    assert not Person.objects.exists()


def test_a_suspicious_message_is_kept_with_its_control_characters_written_out(users) -> None:  # type: ignore[no-untyped-def]
    from shelter.threats.services import triage_message

    message = b"From: a@example.org\nTo: b@example.org\nSubject: hi \x1b[2J there\n\nbody\n"
    report = triage_message(message, users["researcher"], confidentiality="internal")
    assert report.subject == "hi \\x1b[2J there"


def test_a_bad_row_after_written_batches_leaves_nothing_written(tmp_path: Path) -> None:
    """Rows are written in batches as they are checked; a bad row after several batches undoes them all."""
    from shelter.connectors.incident_rows import BATCH_SIZE
    from shelter.search.models import SearchDocument

    path = tmp_path / "incidents.csv"
    good = "".join(f"Detained {n},2021,detention,UZ,questioned\n" for n in range(2 * BATCH_SIZE + 10))
    path.write_text(HEADER + good + "Threats,2021,detention,UZ,bad\x00value\n", encoding="utf-8")
    report = read_csv(path, False, SILENT)
    assert problems_of(report) == [f"row {2 * BATCH_SIZE + 12}, description: holds the control character U+0000 "
                                   "at character 4: remove it (only tabs and line breaks are kept)"]
    assert report.summary() == "incidents.csv: refused, nothing was written (1 problem(s))"
    assert not Incident.objects.exists() and not Incident.history.exists()
    assert not SearchDocument.objects.filter(kind="incident").exists()


def test_problems_beyond_the_listed_ones_are_counted(tmp_path: Path) -> None:
    from shelter.connectors.base import MAX_LISTED_PROBLEMS

    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "Detained,2021,no-such-tactic,UZ,\n" * (MAX_LISTED_PROBLEMS + 5), encoding="utf-8")
    report = read_csv(path, False, SILENT)
    assert len(report.problems) == MAX_LISTED_PROBLEMS and report.unlisted == 5 and not report.ok
    assert report.summary() == f"incidents.csv: refused, nothing was written ({MAX_LISTED_PROBLEMS + 5:,} problem(s))"
