"""kill -9 in the middle of an import or a restore loses nothing acknowledged and leaves nothing half-written:
the database holds everything or nothing of it, and the same command run again succeeds. Runs the real
``shelter`` command in a fresh SQLite workspace and kills it at several points of its run."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROWS = 5_000
KILL_AT = (0.3, 0.7)  # fractions of an uninterrupted run's duration


def command(home: Path, *args: object) -> list[str]:
    return [sys.executable, "-c", "from shelter.cli import main; main()", *map(str, args)]


def environment(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["SHELTER_HOME"] = str(home)
    return env


def run(home: Path, *args: object) -> float:
    started = time.monotonic()
    done = subprocess.run(command(home, *args), env=environment(home), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.monotonic() - started


def killed_after(seconds: float, home: Path, *args: object) -> int | None:
    """Start the command, kill -9 it after ``seconds``; its exit status if it ended first, else None."""
    process = subprocess.Popen(command(home, *args), env=environment(home), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def incident_count(home: Path) -> int:
    with sqlite3.connect(home / "shelter.sqlite3") as database:
        return int(database.execute("SELECT count(*) FROM incidents_incident").fetchone()[0])


def big_csv(folder: Path) -> Path:
    path = folder / "incidents.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "tactic", "origin_state", "host_country", "confidentiality"])
        for number in range(ROWS):
            writer.writerow([f"Threat against exile {number}", "2021-03", "detention", "UZ", "TR", "internal"])
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A workspace with ROWS incidents, and how long their import took."""
    folder = tmp_path_factory.mktemp("kill")
    source = big_csv(folder)
    home = folder / "reference"
    run(home, "migrate")
    took = run(home, "import", source)
    assert incident_count(home) == ROWS
    return folder, source, took


@pytest.fixture(scope="module")
def backed_up(imported: tuple[Path, Path, float]) -> tuple[Path, float]:
    """A backup of that workspace, and how long its restore into a new one takes."""
    folder = imported[0]
    backup = folder / "backup.zip"
    run(folder / "reference", "backup", backup)
    took = run(folder / "restore-reference", "restore", backup)
    return backup, took


@pytest.mark.parametrize("fraction", KILL_AT)
def test_kill_during_import_keeps_all_or_nothing(imported: tuple[Path, Path, float], fraction: float) -> None:
    folder, source, took = imported
    home = folder / f"import-{fraction}"
    run(home, "migrate")
    status = killed_after(took * fraction, home, "import", source)
    found = incident_count(home)
    # all or nothing: a kill can also land after the commit, before the process has ended
    assert found == ROWS if status == 0 else found in (0, ROWS)
    if found == 0:
        run(home, "import", source)
    assert incident_count(home) == ROWS


@pytest.mark.parametrize("fraction", KILL_AT)
def test_kill_during_restore_keeps_all_or_nothing(backed_up: tuple[Path, float], fraction: float) -> None:
    backup, took = backed_up
    home = backup.parent / f"restore-{fraction}"
    status = killed_after(took * fraction, home, "restore", backup)
    found = incident_count(home) if (home / "shelter.sqlite3").exists() else 0
    assert found == ROWS if status == 0 else found in (0, ROWS)
    if found == 0:
        run(home, "restore", backup)
    assert incident_count(home) == ROWS
