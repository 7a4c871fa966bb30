"""CSV import of incidents: all rows or none, each problem named by row and column; export guards formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from shelter.connectors.base import ImportRefused
from shelter.connectors.csv_incidents import read_csv, write_csv
from shelter.incidents.models import Incident
from shelter.search.index import search
from tests.connectors.conftest import SILENT, fixture

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, text: str, name: str = "incidents.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_good_file_imports_every_row_normalised(teams):  # type: ignore[no-untyped-def]
    report = read_csv(fixture("incidents.csv"), False, SILENT)
    assert report.ok, report.problems
    assert report.created == {"incidents": 4}
    rows = {i.title: i for i in Incident.objects.all()}
    red = rows["Red Notice against a journalist"]
    assert (red.tactic, red.origin_state, red.year, red.verification) == ("red_notice", "TJ", 2020,
                                                                          "partially_verified")
    phishing = rows["Phishing against diaspora activists"]
    assert (phishing.tactic, phishing.origin_state, phishing.host_country) == ("phishing", "UZ", "DE")
    assert [t.name for t in phishing.teams.all()] == ["alpha"]
    assert phishing.description == "<script>alert('x')</script> stays text"
    defaults = rows["Relatives questioned"]
    assert (defaults.confidentiality, defaults.outcome, defaults.published) == ("internal", "unknown", False)
    assert rows["Abduction of a blogger in Istanbul"].published is True
    # History and search index are written with the rows.
    assert rows["Relatives questioned"].history.get().history_change_reason == "imported from incidents.csv"
    assert list(search(Incident.objects.all(), "tashkent")) == [rows["Abduction of a blogger in Istanbul"]]


def test_ids_of_deleted_incidents_are_never_reused(teams):  # type: ignore[no-untyped-def]
    """The bulk writer reserves ids itself; a deleted incident's id (and its history) must stay its own."""
    assert read_csv(fixture("incidents.csv"), False, SILENT).ok
    last = Incident.objects.order_by("-pk").first()
    last_id = last.pk
    last.delete()
    assert read_csv(fixture("incidents.csv"), False, SILENT).ok
    assert Incident.objects.count() == 7
    assert min(Incident.objects.filter(created__gt=last.created).values_list("pk", flat=True)) > last_id
    assert Incident.history.filter(id=last_id).count() == 2  # created by the import, then deleted


def test_dry_run_validates_and_writes_nothing(teams):  # type: ignore[no-untyped-def]
    report = read_csv(fixture("incidents.csv"), True, SILENT)
    assert report.ok and report.created == {"incidents": 4}
    assert "would create 4 incidents" in report.summary()
    assert not Incident.objects.exists()


def test_every_bad_row_is_named_and_nothing_is_written():  # type: ignore[no-untyped-def]
    report = read_csv(fixture("incidents_bad.csv"), False, SILENT)
    problems = [str(p) for p in report.problems]
    assert "row 3, date: date '31/02/2019' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)" in problems
    assert "row 4, date: date '2019-02-31' is not a date: February 2019 has 28 days" in problems
    assert any(p.startswith("row 5, tactic: 'teleportation' is not a tactic") for p in problems)
    assert any(p.startswith("row 6, origin_state: 'Atlantis' is not a known country") for p in problems)
    assert any(p.startswith("row 6, host_country: 'XX' is not a known country") for p in problems)
    assert "row 7, confidentiality: 'secret' is not one of public, internal, confidential" in problems
    assert {"row 8, title: is empty (required)", "row 8, tactic: is empty (required)"} <= set(problems)
    assert not any(p.startswith("row 2") for p in problems)
    assert not Incident.objects.exists()
    assert "refused, nothing was written" in report.summary()


@pytest.mark.parametrize(("text", "expected"), [
    ("title,date,tactic\nx,2019,detention\n", "header, origin_state: required column is missing"),
    ("title,date,tactic,origin_state,colour\nx,2019,detention,UZ,red\n", "header, colour: unknown column"),
    ("title,date,tactic,origin_state\nx,2019,detention,UZ,extra\n", "row 2: has 5 cells but the header has 4"),
    ("title,date,tactic,origin_state\n" + "x" * 301 + ",2019,detention,UZ\n",
     "row 2, title: is 301 characters long (at most 300)"),
])
def test_malformed_tables_are_reported(tmp_path, text, expected):  # type: ignore[no-untyped-def]
    report = read_csv(_write(tmp_path, text), False, SILENT)
    assert any(str(p).startswith(expected) for p in report.problems), report.problems
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is empty"),
    ("title,date,tactic,origin_state\nБеглец,2019,detention,UZ\n".encode("cp1251"), "is not UTF-8 text"),
    (b'title,date,tactic,origin_state\n"unclosed,2019,detention,UZ\nnext,2019,detention,UZ\n', "malformed CSV"),
    (b"title,date,tactic,origin_state\n" + b"x" * 1_000_001 + b",2019,detention,UZ\n", "row 2: a cell is longer than 400,000 characters"),
])
def test_unreadable_files_are_refused_with_a_reason(tmp_path, content, expected):  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=expected):
        read_csv(path, False, SILENT)
    assert not Incident.objects.exists()


def test_semicolon_separated_with_byte_order_mark(tmp_path):  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "title;date;tactic;origin_state\nЗадержание в Москве;2018-02;Задержание за рубежом;UZ\n",
                  encoding="utf-8-sig")
    report = read_csv(path, False, SILENT)
    assert report.ok, report.problems
    incident = Incident.objects.get()
    assert (incident.title, incident.tactic) == ("Задержание в Москве", "detention")


def test_tab_separated(tmp_path):  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "title\tdate\ttactic\torigin_state\nA, B and C\t2018\tdetention\tUZ\n", name="x.tsv")
    assert read_csv(path, False, SILENT).ok
    assert Incident.objects.get().title == "A, B and C"


def test_export_neutralises_spreadsheet_formulas_and_round_trips(tmp_path, users):  # type: ignore[no-untyped-def]
    Incident.objects.create(title="=HYPERLINK(\"http://evil\",\"click\")", tactic="phishing", date="2021",
                            origin_state="UZ", confidentiality="public", published=True, description="@SUM(A1)")
    buffer = io.StringIO()
    assert write_csv(buffer, AnonymousUser(), SILENT) == 1
    row = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["title"].startswith("'=") and row["description"] == "'@SUM(A1)"
    Incident.objects.all().delete()
    report = read_csv(_write(tmp_path, buffer.getvalue()), False, SILENT)
    assert report.ok, report.problems
    assert Incident.objects.get().title == "=HYPERLINK(\"http://evil\",\"click\")"


def test_export_passes_through_the_visibility_filter(users):  # type: ignore[no-untyped-def]
    for level, published in (("public", True), ("public", False), ("internal", False), ("confidential", False)):
        Incident.objects.create(title=f"{level} {published}", tactic="detention", date="2020", origin_state="UZ",
                                confidentiality=level, published=published)
    seen = {}
    for who, viewer in (("anonymous", AnonymousUser()), ("viewer_public", users["viewer_public"]),
                        ("viewer", users["viewer"]), ("admin", users["admin"])):
        buffer = io.StringIO()
        write_csv(buffer, viewer, SILENT)
        seen[who] = {row["title"] for row in csv.DictReader(io.StringIO(buffer.getvalue()))}
    assert seen["anonymous"] == {"public True"}
    assert seen["viewer_public"] == {"public True", "public False"}
    assert seen["viewer"] == {"public True", "public False", "internal False"}
    assert len(seen["admin"]) == 4
