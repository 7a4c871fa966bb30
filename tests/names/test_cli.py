from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from shelter.names.cli import names

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "names"


def test_compare() -> None:
    result = CliRunner().invoke(
        names, ["compare", "KABIRI MUHIDDIN", "Муҳиддин Кабирӣ", "--dob-a", "1965", "--dob-b", "1965-12-05"]
    )
    assert result.exit_code == 0, result.output
    assert "score: 1.0000" in result.output
    assert "match: yes" in result.output
    assert "KABIRI = Кабирӣ (Tajik Cyrillic)" in result.output


def test_compare_rejects_a_bad_date() -> None:
    result = CliRunner().invoke(names, ["compare", "A B", "A B", "--dob-a", "31/02/2019"])
    assert result.exit_code == 2
    assert "date '31/02/2019' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)" in result.output


def test_score_keeps_columns_and_adds_score_and_match(tmp_path: Path) -> None:
    result = CliRunner().invoke(names, ["score", str(FIXTURES / "variant_pairs.tsv")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter="\t"))
    assert list(rows[0]) == ["left", "right", "left_dob", "right_dob", "label", "why", "score", "match"]
    assert all(row["match"] == row["label"] for row in rows)


def test_score_reports_the_bad_row(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("left\tright\tleft_dob\nA B\tA B\t1970\nC D\tC D\t1970-02-31\n", encoding="utf-8")
    result = CliRunner().invoke(names, ["score", str(pairs)])
    assert result.exit_code == 1
    assert "row 3: date '1970-02-31' is not a date" in result.output
    missing = tmp_path / "missing.tsv"
    missing.write_text("name\tother\nA\tB\n", encoding="utf-8")
    result = CliRunner().invoke(names, ["score", str(missing)])
    assert "missing column(s) left, right" in result.output


def test_screen(tmp_path: Path) -> None:
    output = tmp_path / "hits.csv"
    result = CliRunner().invoke(
        names,
        [
            "screen",
            "--queries",
            str(FIXTURES / "queries.csv"),
            "--registry",
            str(FIXTURES / "registry.csv"),
            "-o",
            str(output),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["query_id", "registry_id", "score", "explanation"]
    assert {(row["query_id"], row["registry_id"]) for row in rows} == {
        ("q1", "r1"),
        ("q2", "r2"),
        ("q3", "r4"),
    }
    assert "screening" in result.output  # the progress bar (stderr is mixed into output here)


def test_screen_reports_a_bad_registry_row(tmp_path: Path) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text("id,name,dob\nr1,Rustam Karimov,1970\nr2,,1971\nr1,Ivan Ivanov,\n", encoding="utf-8")
    result = CliRunner().invoke(
        names,
        [
            "screen",
            "--queries",
            str(FIXTURES / "queries.csv"),
            "--registry",
            str(registry),
            "-o",
            str(tmp_path / "hits.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "row 3: the name is empty" in result.output
    registry.write_text("id,name,dob\nr1,Rustam Karimov,1970\nr1,Ivan Ivanov,\n", encoding="utf-8")
    result = CliRunner().invoke(
        names,
        [
            "screen",
            "--queries",
            str(FIXTURES / "queries.csv"),
            "--registry",
            str(registry),
            "-o",
            str(tmp_path / "hits.csv"),
        ],
    )
    assert "row 3: id 'r1' already used on row 2" in result.output


def test_screening_in_several_processes_gives_the_same_hits_as_one_process() -> None:
    from shelter.names.screening import read_people, screen

    registry = read_people(FIXTURES / "registry.csv") * 3
    registry = [(f"{key}-{number}", record) for number, (key, record) in enumerate(registry)]
    queries = read_people(FIXTURES / "queries.csv") * 400  # several chunks
    queries = [(f"{key}-{number}", record) for number, (key, record) in enumerate(queries)]
    single = list(screen(queries, registry, workers=1, limit=2))
    parallel = list(screen(queries, registry, workers=2, limit=2))
    assert parallel == single
    # The three copies of each person tie, and a limit never picks between them.
    assert len(single) == 3 * 400 * 3
