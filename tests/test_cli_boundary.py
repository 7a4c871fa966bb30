"""The ``shelter`` command's error boundary: every failure is one line and exit status 2, never a traceback, and a
refused command changes nothing. Bad inputs are small files in tests/fixtures/bad/ or generated here."""

from __future__ import annotations

import csv
import dataclasses
import errno
import importlib
import json
import os
import re
import socket
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from shelter.cli import main
from shelter.cli_errors import PROJECT_ERRORS, UNREADABLE_FILE_ERRORS

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
GOOD_CSV = Path(__file__).resolve().parent / "fixtures" / "connectors" / "incidents.csv"
NESTED = "nest"
NOT_UTF8 = "UTF-8"
DAMAGED = "damaged|not a readable|not a Shelter backup|not a zip"


def shelter(*args: object, **env: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env or None)


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}


def deep_json_array(folder: Path, name: str = "deep.json") -> Path:
    path = folder / name
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def deep_json_object(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text('{"properties": ' * 50_000 + "1" + "}" * 50_000, encoding="utf-8")
    return path


def binary_noise(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(bytes((i * 151 + 7) % 256 for i in range(8192)))
    return path


def deep_mime(folder: Path, depth: int = 3000) -> Path:
    parts = ["From: a@example.org\nTo: b@example.org\nSubject: nested\nMIME-Version: 1.0\n"
             'Content-Type: multipart/mixed; boundary="b0"\n\n']
    parts += [f'--b{level - 1}\nContent-Type: multipart/mixed; boundary="b{level}"\n\n' for level in range(1, depth)]
    parts.append(f"--b{depth - 1}\nContent-Type: text/plain\n\nhello\n")
    parts += [f"--b{level}--\n" for level in reversed(range(depth))]
    path = folder / "nested.eml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def huge_field(folder: Path) -> Path:
    """Name pairs whose first name is one character over the CSV reader's field limit."""
    path = folder / "pairs.tsv"
    path.write_text("left\tright\n" + "A" * (csv.field_size_limit() + 1) + "\tB\n", encoding="utf-8")
    return path


def registry_csv(folder: Path) -> Path:
    path = folder / "registry.csv"
    path.write_text("id,name,dob\nr1,Ivan Petrov,1970\n", encoding="utf-8")
    return path


def long_team_name(folder: Path) -> Path:
    path = folder / "long-team.json"
    path.write_text(json.dumps({"persons": [{"primary_name": "Ivan Petrov", "teams": ["t" * 100_000]}]}),
                    encoding="utf-8")
    return path


def long_xlsx_cell(folder: Path, notices: bool = False) -> Path:
    """A workbook with a 2,000,000-character cell: incidents (description) or list-level notices (name)."""
    from openpyxl import Workbook

    from tests.connectors.test_one_validation_path import workbook_with_long_cell

    if not notices:
        return workbook_with_long_cell(folder, 2_000_000, name="long-cell.xlsx")
    workbook = Workbook()
    workbook.active.append(["entity_id", "forename", "name", "date_of_birth", "nationalities"])
    workbook.active.append(["2020/1", "Ivan", "LONGCELL", "1990", "RU"])
    workbook.save(folder / "notices-written.xlsx")
    return workbook_with_long_cell(folder, 2_000_000, source=folder / "notices-written.xlsx", name="notices.xlsx")


def huge_domain_feed(folder: Path) -> Path:
    path = folder / "feed.txt"
    path.write_text("evil.example\n" + "a" * 5_000_000 + ".org\n", encoding="utf-8")
    return path


# (command and arguments built from a scratch folder, the file the message must name, what it must say)
Case = tuple[Callable[[Path], list[object]], str, str]
CASES: dict[str, Case] = {
    "import deep JSON": (lambda d: ["import", deep_json_array(d)], "deep.json", NESTED),
    "import binary JSON": (lambda d: ["import", binary_noise(d, "noise.json")], "noise.json", NOT_UTF8),
    "import Latin-1 CSV": (lambda d: ["import", BAD / "latin1.csv"], "latin1.csv", NOT_UTF8),
    "import UTF-16 CSV": (lambda d: ["import", BAD / "utf16.csv"], "utf16.csv", NOT_UTF8),
    "import binary CSV": (lambda d: ["import", binary_noise(d, "noise.csv")], "noise.csv", NOT_UTF8),
    "import broken XLSX": (lambda d: ["import", BAD / "truncated.xlsx"], "truncated.xlsx", DAMAGED),
    "notices import deep JSON": (lambda d: ["notices", "import", deep_json_array(d), "--no-screen"],
                                 "deep.json", NESTED),
    "notices import deep object": (lambda d: ["notices", "import", deep_json_object(d, "page.json"), "--no-screen"],
                                   "page.json", NESTED),
    "notices import Latin-1 CSV": (lambda d: ["notices", "import", BAD / "latin1.csv", "--no-screen"],
                                   "latin1.csv", NOT_UTF8),
    "notices import UTF-16 CSV": (lambda d: ["notices", "import", BAD / "utf16.csv", "--no-screen"],
                                  "utf16.csv", NOT_UTF8),
    "notices import binary": (lambda d: ["notices", "import", binary_noise(d, "noise.json"), "--no-screen"],
                              "noise.json", NOT_UTF8),
    "notices import broken XLSX": (lambda d: ["notices", "import", BAD / "truncated.xlsx", "--no-screen"],
                                   "truncated.xlsx", DAMAGED),
    "names score Latin-1": (lambda d: ["names", "score", BAD / "latin1.tsv"], "latin1.tsv", NOT_UTF8),
    "names screen UTF-16 queries": (lambda d: ["names", "screen", "--queries", BAD / "utf16.csv", "--registry",
                                               registry_csv(d), "-o", d / "hits.csv"], "utf16.csv", NOT_UTF8),
    "names screen Latin-1 registry": (lambda d: ["names", "screen", "--queries", registry_csv(d), "--registry",
                                                 BAD / "latin1.csv", "-o", d / "hits.csv"], "latin1.csv", NOT_UTF8),
    "names score huge field": (lambda d: ["names", "score", huge_field(d)], "pairs.tsv", "longer than"),
    "restore noise": (lambda d: ["restore", binary_noise(d, "backup.zip")], "backup.zip", DAMAGED),
    "restore broken ZIP": (lambda d: ["restore", BAD / "truncated.xlsx"], "truncated.xlsx", DAMAGED),
    "triage email deep MIME": (lambda d: ["triage", "email", deep_mime(d)], "nested.eml", NESTED),
    "triage feeds add UTF-16": (lambda d: ["triage", "feeds", "add", BAD / "utf16.csv"], "utf16.csv", NOT_UTF8),
    "triage feeds add 5 MB domain": (lambda d: ["triage", "feeds", "add", huge_domain_feed(d)], "feed.txt",
                                     "line 2: the value is 5,000,004 characters long; the limit is 8,192"),
    "notices import link not an object": (lambda d: ["notices", "import", BAD / "link-not-an-object.json",
                                                     "--no-screen"], "link-not-an-object.json",
                                          r"_links, self: must be an object, not a text"),
    "notices import 2,000,000-character cell": (lambda d: ["notices", "import", long_xlsx_cell(d, notices=True),
                                                           "--no-screen"], "notices.xlsx",
                                                "row 2: a value is 2,000,000 characters long"),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(case: str, users: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build, file_name, problem = CASES[case]
    monkeypatch.setenv("SHELTER_HOME", str(tmp_path / "home"))
    args = build(tmp_path)
    before = row_counts()
    result = shelter(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and file_name in errors[0], result.output[-2000:]
    assert re.search(problem, errors[0].replace(file_name, ""), re.IGNORECASE), errors[0]
    assert row_counts() == before


# (command built from a scratch folder; file, row or record, field and reason the refusal must name)
RowCase = tuple[Callable[[Path], list[object]], str, str, str, str]
ROW_CASES: dict[str, RowCase] = {
    "deep FtM line": (lambda d: ["import", deep_json_object(d, "deep.ftm.json")], "deep.ftm.json", "line 1", "",
                      "nested more than 32 levels deep"),
    "NUL byte in a CSV cell": (lambda d: ["import", BAD / "nul.csv"], "nul.csv", "row 3", "description",
                               r"holds the control character U\+0000 at character 4"),
    "JSON teams not a list": (lambda d: ["import", BAD / "teams-not-a-list.json"], "teams-not-a-list.json",
                              r"persons\[0\] \(id 1\)", "teams", "valid list"),
    "JSON id a list": (lambda d: ["import", BAD / "id-a-list.json"], "id-a-list.json", r"persons\[0\] \(id \[1\]\)",
                       "id", "must be a number or a text, not list"),
    "JSON ids repeated": (lambda d: ["import", BAD / "duplicate-ids.json"], "duplicate-ids.json",
                          r"persons\[1\] \(id 7\)", "id", "7 is used by an earlier record in persons"),
    "100,000-character team name": (lambda d: ["import", long_team_name(d)], "long-team.json", "case team 'tttt",
                                    "name", "at most 100 characters"),
    "2,000,000-character XLSX cell": (lambda d: ["import", long_xlsx_cell(d)], "long-cell.xlsx", "row 2",
                                      "description", "is 2,000,000 characters long; the limit is 100,000"),
}


@pytest.mark.parametrize("case", ROW_CASES, ids=str)
def test_refused_rows_name_file_row_field_and_reason(case: str, users: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    build, file_name, where, field, reason = ROW_CASES[case]
    monkeypatch.setenv("SHELTER_HOME", str(tmp_path / "home"))
    before = row_counts()
    result = shelter(*build(tmp_path))
    assert result.exit_code == 1, result.output[-2000:]
    assert "Traceback" not in result.output
    pattern = f"^{re.escape(file_name)}, {where}[^,]*" + (f", {field}: " if field else ": ") + f".*{reason}"
    assert re.search(pattern, result.output, re.MULTILINE), \
        result.output[-2000:]
    assert f"{file_name}: refused, nothing was written" in result.output
    assert row_counts() == before


def test_a_nationality_that_names_no_country_is_noted(db: Any) -> None:
    result = shelter("notices", "import", BAD / "unknown-nationality.csv", "--no-screen")
    assert result.exit_code == 0, result.output
    assert ("note: unknown-nationality.csv, row 2: nationality 'Narnia' is not a known country and was left out"
            in result.output.splitlines())


def _rewritten_backup(folder: Path, change: Callable[[dict[str, bytes]], Any]) -> Path:
    """A real backup of the test database, its members changed by ``change`` and written to a new archive (then
    changed on disk by what ``change`` returns, if anything)."""
    from shelter.connectors.backup import create_backup

    original = create_backup(folder / "original.zip").path
    with zipfile.ZipFile(original) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    after_writing = change(members)
    changed = folder / "changed.zip"
    with zipfile.ZipFile(changed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    if after_writing is not None:
        after_writing(changed)
    return changed


def _manifest(**changes: object) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        members["manifest.json"] = json.dumps(changes.get("whole", {**manifest, **changes})).encode()

    return change


def _flip_a_stored_bit(members: dict[str, bytes]) -> Callable[[Path], None]:
    """After the archive is written, flip one bit in the middle of data.jsonl as stored (compressed)."""
    def flip(archive_path: Path) -> None:
        with zipfile.ZipFile(archive_path) as archive:
            info = archive.getinfo("data.jsonl")
        raw = bytearray(archive_path.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        raw[start + info.compress_size // 2] ^= 0x10
        archive_path.write_bytes(bytes(raw))

    return flip


@pytest.mark.parametrize("change", [_manifest(whole=[]), _manifest(members=["data.jsonl"]), _manifest(rows=5),
                                    _manifest(migrations=None), _flip_a_stored_bit],
                         ids=["manifest a list", "members a list", "rows a number", "no migrations", "bit flipped"])
def test_restore_refuses_a_damaged_backup_in_one_line(change: Callable[[dict[str, bytes]], Any], users: Any,
                                                      tmp_path: Path) -> None:
    backup = _rewritten_backup(tmp_path, change)
    before = row_counts()
    result = shelter("restore", backup)
    assert result.exit_code == 2
    assert result.output.startswith("Error: changed.zip: ") and "damaged" in result.output, result.output
    assert len(result.output.splitlines()) == 1 and row_counts() == before


def test_messages_carry_no_terminal_control_characters(db: Any) -> None:
    result = shelter("import", BAD / "escape.json")
    assert result.exit_code == 2 and "unknown key" in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.output), repr(result.output)


def test_usage_and_project_errors_exit_2(db: Any) -> None:
    result = shelter("token", "nobody")
    assert result.exit_code == 2 and result.output == "Error: no active user named 'nobody' (create one with: " \
                                                      "shelter users add)\n"


def _fail_in_triage_check(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    import shelter.triage.cli as triage_cli

    def broken(value: str, store: object) -> None:
        raise error

    monkeypatch.setattr(triage_cli, "check_value", broken)


def test_a_validation_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ValidationError

    _fail_in_triage_check(monkeypatch, ValidationError({"name": ["is longer than 200 characters"]}))
    result = shelter("triage", "check", "example.org")
    assert result.exit_code == 2 and result.output == "Error: name: is longer than 200 characters\n"


def test_an_unexpected_error_names_its_log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELTER_HOME", str(tmp_path))
    _fail_in_triage_check(monkeypatch, KeyError("feed index"))
    result = shelter("triage", "check", "example.org")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    logs = list((tmp_path / "logs").glob("error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.output and "KeyError" in result.output
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in broken" in text and "KeyError: 'feed index'" in text


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELTER_HOME", str(tmp_path))
    _fail_in_triage_check(monkeypatch, KeyError("feed index"))
    result = CliRunner().invoke(main, ["--debug", "triage", "check", "example.org"])
    assert isinstance(result.exception, KeyError) and result.exit_code == 1
    assert not (tmp_path / "logs").exists()


def _real_insert_then(error: Exception, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inject a full disk after the import has really written its first rows."""
    import shelter.connectors.incident_rows as incident_rows

    real = incident_rows.insert_rows

    def insert_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise error

    monkeypatch.setattr(incident_rows, "insert_rows", insert_then_fail)


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   "database or disk is full"], ids=["OSError", "SQLite"])
def test_disk_full_during_import(error: Any, teams: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    _real_insert_then(OperationalError(error) if isinstance(error, str) else error, monkeypatch)
    before = row_counts()
    result = shelter("import", GOOD_CSV)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "no space left" in result.output.strip().splitlines()[-1]
    assert row_counts() == before


def test_disk_full_during_backup_leaves_no_partial_file(users: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real = zipfile.ZipFile.writestr

    def write_then_fail(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", write_then_fail)
    result = shelter("backup", tmp_path / "backup.zip")
    assert result.exit_code == 2 and result.output.startswith("Error: no space left on the device")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_export_leaves_no_file(users: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shelter.connectors.csv_incidents as csv_incidents

    def write_then_fail(stream: Any, viewer: Any, progress: Any) -> int:
        stream.write("id,title\n" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_incidents, "CONNECTOR", dataclasses.replace(csv_incidents.CONNECTOR, write=write_then_fail))
    (tmp_path / "incidents.csv").write_text("the previous export\n", encoding="utf-8")
    result = shelter("export", "--format", "csv", "-o", tmp_path / "incidents.csv")
    assert result.exit_code == 2 and "no space left" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["incidents.csv"]
    assert (tmp_path / "incidents.csv").read_text(encoding="utf-8") == "the previous export\n"


def test_serve_on_a_port_in_use_is_one_line(db: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = shelter("serve", "--port", port)
    assert result.exit_code == 2
    assert result.output == (f"Error: port {port} on 127.0.0.1 is already in use (another `shelter serve`?): stop "
                             "that server or choose another port with --port\n")


def _clean_environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    return {**env, "SHELTER_HOME": str(home)}


@pytest.mark.parametrize("command", [["users", "list"], ["serve", "--port", "0"], ["import", str(GOOD_CSV)]],
                         ids=" ".join)
def test_a_home_without_a_database_is_named_and_not_filled(command: list[str], tmp_path: Path) -> None:
    home = tmp_path / "wrong-home"
    result = subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", *command],
                            env=_clean_environment(home), capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"Error: the database is not initialised ({home / 'shelter.sqlite3'}): run `shelter "
                             "migrate` to create it, or set SHELTER_HOME (or SHELTER_DATABASE_URL) to your "
                             "installation's\n")
    assert not (home / "shelter.sqlite3").exists()


def test_a_database_older_than_shelter_says_to_migrate(tmp_path: Path) -> None:
    """A database created by an earlier version (here: no tables but the migration record): the error, even when
    wrapped by Django's dumpdata, says to run migrate."""
    import sqlite3

    home = tmp_path / "old-home"
    home.mkdir()
    with sqlite3.connect(home / "shelter.sqlite3") as database:
        database.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY, app text, name text, applied text)")
    result = subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", "backup",
                             str(tmp_path / "backup.zip")], env=_clean_environment(home), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: the database does not have the tables this version of Shelter needs "
                                    "(no such table: ")
    assert "run `shelter migrate`" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "backup.zip").exists()


@pytest.mark.parametrize("target", [*PROJECT_ERRORS, *UNREADABLE_FILE_ERRORS])
def test_every_listed_error_class_exists(target: str) -> None:
    module_name, class_name = target.split(":")
    found = getattr(importlib.import_module(module_name), class_name, None)
    assert isinstance(found, type) and issubclass(found, Exception), f"{target} is not an exception class"
