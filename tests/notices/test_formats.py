"""Reading every notice format into plain records, and refusing bad input with a message a person can act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from shelter.notices.intake.formats import NoticeFormatError, read_notice_file, read_notice_path
from tests.notices.conftest import NOTICE_FIXTURES


def test_detail_records_carry_charges_and_issuing_state() -> None:
    parsed = read_notice_file(NOTICE_FIXTURES / "red_notices_details_excerpt.json")
    by_id = {notice.entity_id: notice for notice in parsed.notices}
    assert len(by_id) == 9
    tajik = by_id["2019/34876"]
    assert (tajik.forename, tajik.surname, tajik.dob, tajik.sex) == ("ABDUKARIM", "AYUBOV", "1983-04-05", "m")
    assert tajik.nationalities == ("TJ",) and tajik.issuing_state == "RU" and tajik.has_details
    assert tajik.charges[0].text == "assistance to participation in the activity of a terrorist organization"
    iraqi = by_id["2018/14264"]
    assert iraqi.charges[0].translation.startswith("Terrorist / Kidnapping")
    assert by_id["2016/59620"].nationalities == ()  # null in the source


def test_list_page_rows_have_no_details() -> None:
    parsed = read_notice_file(NOTICE_FIXTURES / "red_notices_list_page.json")
    assert len(parsed.notices) == 9
    assert all(not notice.has_details and notice.charges == () for notice in parsed.notices)
    assert parsed.notices[0].url.startswith("https://ws-public.interpol.int/notices/v1/red/")


def test_arrays_of_pages_are_read(tmp_path: Path) -> None:
    page = json.loads((NOTICE_FIXTURES / "red_notices_list_page.json").read_text())
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([page, [page["_embedded"]["notices"][0]]]))
    assert len(read_notice_file(path).notices) == 10


def test_list_csv_and_xlsx_read_alike(tmp_path: Path) -> None:
    csv_path = NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"
    from_csv = read_notice_file(csv_path)
    assert from_csv.format == "interpol-list-csv" and len(from_csv.notices) == 30
    assert from_csv.notices[0].entity_id == "2018/92881" and from_csv.notices[0].dob == "1991-10-12"
    workbook = Workbook()
    sheet = workbook.active
    for line in csv_path.read_text().splitlines():
        import csv as csv_module

        sheet.append(next(csv_module.reader([line])))
    xlsx_path = tmp_path / "list.xlsx"
    workbook.save(xlsx_path)
    assert read_notice_file(xlsx_path).notices == from_csv.notices


def test_several_nationalities_in_one_cell() -> None:
    rows = read_notice_file(NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv").notices
    assert any(len(row.nationalities) > 1 for row in rows)


def test_followthemoney_wanted_persons_become_notices() -> None:
    parsed = read_notice_file(NOTICE_FIXTURES / "interpol_red_notices.ftm.json")
    assert parsed.format == "ftm"
    assert {notice.entity_id for notice in parsed.notices} == {"2019/34876", "2022/46614"}
    assert parsed.skipped == 1  # the person who is not wanted
    tajik = next(notice for notice in parsed.notices if notice.entity_id == "2019/34876")
    assert tajik.issuing_state == "RU" and tajik.nationalities == ("TJ",) and tajik.sex == "m"
    assert "terrorist organization" in tajik.charges[0].text


def test_a_bad_date_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"entity_id": "2020/1", "date_of_birth": "1990/02/31", "name": "X"}]))
    with pytest.raises(NoticeFormatError, match=r"\[0\] \(2020/1\): date '1990-02-31' is not a date"):
        read_notice_file(path)


def test_a_csv_without_the_columns_says_which(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,full_name\n1,Someone\n")
    with pytest.raises(NoticeFormatError, match="row 1: missing column.*entity_id"):
        read_notice_file(path)


def test_unknown_json_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"results": []}))
    with pytest.raises(NoticeFormatError, match="neither a notice"):
        read_notice_file(path)


def test_a_fetched_directory_is_read_whole() -> None:
    parsed = read_notice_path(NOTICE_FIXTURES / "fetch")
    details = [notice for notice in parsed.notices if notice.has_details]
    assert len(parsed.notices) == 5 and len(details) == 2
