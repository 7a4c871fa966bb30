"""The data commands end to end: shelter import, export, with their exit codes and messages."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shelter.incidents.models import Incident
from tests.connectors.conftest import fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["import", "export", "backup", "restore"])
def test_every_command_has_help(command, shelter_cli):  # type: ignore[no-untyped-def]
    result = shelter_cli(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_import_reports_and_exits_non_zero_on_bad_rows(shelter_cli):  # type: ignore[no-untyped-def]
    result = shelter_cli("import", fixture("incidents_bad.csv"))
    assert result.exit_code == 1
    assert "row 3, date: date '31/02/2019' is not a date" in result.output
    assert "refused, nothing was written (8 problem(s))" in result.output
    assert not Incident.objects.exists()


def test_import_dry_run_then_for_real(shelter_cli, teams):  # type: ignore[no-untyped-def]
    result = shelter_cli("import", fixture("incidents.csv"), "--dry-run")
    assert result.exit_code == 0 and "would create 4 incidents" in result.output
    assert not Incident.objects.exists()
    result = shelter_cli("import", fixture("incidents.csv"), "--format", "csv")
    assert result.exit_code == 0 and "created 4 incidents" in result.output
    assert Incident.objects.count() == 4


def test_import_refuses_unreadable_files_and_unknown_formats(shelter_cli, tmp_path):  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    result = shelter_cli("import", notes)
    assert result.exit_code == 2 and "cannot tell the format of 'notes.txt'" in result.output
    result = shelter_cli("import", notes, "--format", "json")
    assert result.exit_code == 2 and "is not valid JSON" in result.output


def test_export_as_a_user_public_and_everything(shelter_cli, users, tmp_path, teams):  # type: ignore[no-untyped-def]
    assert shelter_cli("import", fixture("incidents.csv")).exit_code == 0

    def titles(*options: str) -> set[str]:
        out = tmp_path / "out.csv"
        result = shelter_cli("export", "--format", "csv", "-o", out, *options)
        assert result.exit_code == 0, result.output
        return {row["title"] for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}

    everything = titles()
    assert len(everything) == 4
    assert titles("--public") == {"Abduction of a blogger in Istanbul"}
    assert titles("--as", "viewer_public") == {"Abduction of a blogger in Istanbul"}
    assert "Phishing against diaspora activists" not in titles("--as", "viewer")
    assert "Phishing against diaspora activists" in titles("--as", "editor")  # team alpha
    assert "Phishing against diaspora activists" not in titles("--as", "researcher")  # team beta

    result = shelter_cli("export", "--format", "json", "--public")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [i["title"] for i in data["incidents"]] == ["Abduction of a blogger in Istanbul"]

    assert shelter_cli("export", "--format", "csv", "--as", "nobody").exit_code == 2
    assert shelter_cli("export", "--format", "csv", "--as", "viewer", "--public").exit_code == 2
