"""``shelter.intake``, the one validation path of every importer, and the readers outside ``connectors`` that go
through it (notice files, indicator feeds): the same limits, the same refusal of control characters, problems
that name the file, the row or record, the field and the reason, and no value left out without a word."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from shelter.intake import (
    DOMAIN,
    MAX_DEPTH,
    NAME,
    TEAM_NAME,
    TEXT,
    InputRefused,
    csv_rows,
    json_lines,
    json_type_problem,
    parse_json,
    text_problem,
)
from shelter.notices.intake.formats import NoticeFormatError, read_notice_file
from shelter.triage.feed_formats import FeedError, read_plain_list, read_stix_bundle
from tests.connectors.test_one_validation_path import workbook_with_long_cell


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("value", "kind", "expected"), [
    ("Ivan Petrov", NAME, None),
    ("line one\nline two\ttabbed", TEXT, None),
    ("Ivan\nPetrov", NAME, "holds the control character U+000A at character 5: remove it (a name is one line)"),
    ("a\x00b", TEXT, "holds the control character U+0000 at character 2: remove it (only tabs and line breaks "
                     "are kept)"),
    ("t" * 101, TEAM_NAME, "is 101 characters long; the limit is 100"),
    ("a" * 250 + ".org", DOMAIN, "is 254 characters long; the limit is 253"),
])
def test_one_rule_for_text_by_kind(value: str, kind: object, expected: str | None) -> None:
    assert text_problem(value, kind) == expected  # type: ignore[arg-type]


def test_csv_rows_are_numbered_as_a_spreadsheet_and_read_one_at_a_time() -> None:
    handle = io.StringIO('name,note\nA,"two\nlines"\nB,x\n')
    rows = csv_rows(handle)
    assert next(rows) == (1, ["name", "note"])
    assert next(rows) == (2, ["A", "two\nlines"])
    assert next(rows) == (3, ["B", "x"])
    with pytest.raises(StopIteration):
        next(rows)


def test_broken_quoting_names_the_spreadsheet_row() -> None:
    handle = io.StringIO('name,note\nA,"two\nlines"\nB,"x"y\n')
    with pytest.raises(InputRefused, match=r"^people.csv, row 3: malformed CSV"):
        list(csv_rows(handle, source="people.csv"))


def test_json_nesting_is_limited_below_what_python_could_read() -> None:
    assert parse_json(nested(MAX_DEPTH), "ok.json") == json.loads(nested(MAX_DEPTH))
    with pytest.raises(InputRefused, match=f"^deep.json is nested more than {MAX_DEPTH} levels deep$"):
        parse_json(nested(MAX_DEPTH + 1), "deep.json")
    with pytest.raises(InputRefused, match=f"^deeper.json is nested more than {MAX_DEPTH} levels deep$"):
        parse_json(nested(100_000), "deeper.json")


def test_json_lines_report_each_bad_line_and_go_on() -> None:
    handle = io.StringIO('{"a": 1}\n\nnot json\n' + nested(MAX_DEPTH + 1) + '\n{"b": 2}\n')
    lines = list(json_lines(handle))
    assert [(line.number, line.value, line.problem) for line in lines] == [
        (1, {"a": 1}, ""),
        (3, None, "not a JSON object (Expecting value)"),
        (4, None, f"nested more than {MAX_DEPTH} levels deep"),
        (5, {"b": 2}, ""),
    ]


@pytest.mark.parametrize(("value", "expected", "problem"), [
    (5, (list,), "must be a list, not a number"),
    ([1], (int, str), "must be a number or a text, not a list"),
    (True, (int,), "must be a number, not true or false"),
    ("x", (str,), None),
])
def test_json_types_are_problems_not_crashes(value: object, expected: tuple[type, ...], problem: str | None) -> None:
    assert json_type_problem(value, *expected) == problem


# Notice files

LIST_HEADER = "entity_id,forename,name,date_of_birth,nationalities\n"


def test_a_notice_csv_notes_nationalities_that_name_no_country(tmp_path: Path) -> None:
    path = tmp_path / "notices.csv"
    path.write_text(LIST_HEADER + '2020/1,Ivan,Petrov,1990,"RU, Narnia"\n2020/2,Anna,Ivanova,1991,RUS\n',
                    encoding="utf-8")
    parsed = read_notice_file(path)
    assert [notice.nationalities for notice in parsed.notices] == [("RU",), ("RU",)]
    assert parsed.notes == ("row 2: nationality 'Narnia' is not a known country and was left out",)


def test_a_nul_byte_in_a_notice_csv_is_refused_with_its_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "notices.csv"
    path.write_text(LIST_HEADER + "2020/1,Ivan,Petrov,1990,RU\n2020/2,Anna,Iva\x00nova,1991,RU\n", encoding="utf-8")
    with pytest.raises(NoticeFormatError, match=r"^notices.csv: row 3: a value holds the control character U\+0000"):
        read_notice_file(path)


def test_a_notice_xlsx_cell_over_the_limit_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["entity_id", "forename", "name", "date_of_birth", "nationalities"])
    workbook.active.append(["2020/1", "Ivan", "LONGCELL", "1990", "RU"])
    workbook.save(tmp_path / "written.xlsx")
    path = workbook_with_long_cell(tmp_path, 2_000_000, source=tmp_path / "written.xlsx", name="notices.xlsx")
    with pytest.raises(NoticeFormatError, match=r"^notices.xlsx: row 2: a value is 2,000,000 characters long; the "
                                                r"limit is 1,000$"):
        read_notice_file(path)


@pytest.mark.parametrize(("notice", "expected"), [
    ({"entity_id": "2020/1", "_links": {"self": "https://example.org"}},
     r"document\[0\] \(2020/1\), _links, self: must be an object, not a text"),
    ({"entity_id": "2020/1", "nationalities": 5}, r"document\[0\] \(2020/1\): nationality: expected a list"),
    ({"entity_id": "2020/1", "languages_spoken_ids": 5},
     r"document\[0\] \(2020/1\), languages_spoken_ids: must be a list, not a number"),
    ({"entity_id": "2020/1", "forename": ["Ivan"]}, r"document\[0\] \(2020/1\): expected a text or a number"),
    ({"entity_id": "2020/1", "arrest_warrants": [{"charge": "fraud", "issuing_country_id": "Narnia"}]}, None),
], ids=["link not an object", "nationalities a number", "languages a number", "name a list", "unknown issuer"])
def test_interpol_json_values_of_the_wrong_type_name_the_field(tmp_path: Path, notice: dict[str, object],
                                                                expected: str | None) -> None:
    path = tmp_path / "notices.json"
    path.write_text(json.dumps([notice]), encoding="utf-8")
    if expected is None:
        parsed = read_notice_file(path)
        assert parsed.notices[0].charges[0].issuing_state == ""
        assert parsed.notes == ("document[0] (2020/1): issuing country 'Narnia' is not a known country and was "
                                "left out",)
        return
    with pytest.raises(NoticeFormatError, match=f"^notices.json: {expected}"):
        read_notice_file(path)


# Indicator feeds

def test_a_five_megabyte_domain_in_a_plain_feed_is_refused() -> None:
    with pytest.raises(FeedError, match=r"^feed.txt, line 2: the value is 5,000,004 characters long; the limit is "
                                        r"8,192$"):
        read_plain_list("evil.example\n" + "a" * 5_000_000 + ".org\n", "feed", "feed.txt")


def test_a_five_megabyte_domain_in_a_stix_feed_is_refused() -> None:
    bundle = {"type": "bundle", "objects": [
        {"type": "indicator", "id": "indicator--1", "pattern_type": "stix",
         "pattern": f"[domain-name:value = '{'a' * 5_000_000}.org']"}]}
    with pytest.raises(FeedError, match=r"^feed.json, indicator indicator--1: the domain-name value is 5,000,004 "
                                        r"characters long; the limit is 253$"):
        read_stix_bundle(json.dumps(bundle), "feed", "feed.json")


def test_a_stix_feed_nested_too_deeply_is_refused() -> None:
    text = '{"type": "bundle", "objects": [], "x_extension": ' + nested(MAX_DEPTH) + "}"
    with pytest.raises(FeedError, match=f"^feed.json is nested more than {MAX_DEPTH} levels deep$"):
        read_stix_bundle(text, "feed", "feed.json")
