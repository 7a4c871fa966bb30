"""Progress bars of long commands (shelter.progress): drawn on standard error when it is a terminal, never on
standard output, and not at all under ``shelter --quiet`` or when standard error is a pipe or a file."""

from __future__ import annotations

import io
import json
from typing import Any

import click
import pytest
from click.testing import CliRunner

from shelter import progress
from shelter.cli import main
from shelter.progress import bars_wanted, progress_bar, track
from tests.connectors.conftest import fixture


class Terminal(io.StringIO):
    """Standard error as a person at a terminal has it."""

    def isatty(self) -> bool:
        return True


def test_a_bar_forced_on_reports_its_label_and_each_step() -> None:
    terminal = Terminal()
    with progress_bar("importing rows", 3, stream=terminal, shown=True) as bar:
        for _ in range(3):
            bar.update(1)
    drawn = terminal.getvalue()
    assert "importing rows" in drawn and all(f"{step}/3" in drawn for step in range(4))


def test_a_bar_follows_work_done_elsewhere() -> None:
    terminal = Terminal()
    with progress_bar("job", 0, stream=terminal, shown=True) as bar:
        bar.show(5, 20, "importing notices: 5 of 20")
        bar.show(20, 20, "done")
    drawn = terminal.getvalue()
    assert "importing notices: 5 of 20" in drawn and "5/20" in drawn and "20/20" in drawn


def test_track_counts_what_it_yields() -> None:
    terminal = Terminal()
    assert list(track(["a", "b"], "reading", stream=terminal)) == ["a", "b"]
    assert "2/2" in terminal.getvalue()


def test_no_bar_on_a_pipe_or_a_file_nor_under_quiet() -> None:
    piped = io.StringIO()
    with progress_bar("importing rows", 3, stream=piped) as bar:
        bar.update(3)
    assert piped.getvalue() == ""
    assert bars_wanted(Terminal())
    with click.Context(main, info_name="shelter") as context:
        context.params["quiet"] = True
        assert not bars_wanted(Terminal())
        terminal = Terminal()
        with progress_bar("importing rows", 3, stream=terminal) as bar:
            bar.update(3)
        assert terminal.getvalue() == ""


@pytest.mark.django_db
def test_standard_output_is_the_same_with_bars_drawn(monkeypatch: Any, teams: Any) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(fixture("incidents.csv"))]).exit_code == 0
    plain = runner.invoke(main, ["export", "--format", "json"])
    monkeypatch.setattr(progress, "bars_wanted", lambda stream: True)
    with_bars = runner.invoke(main, ["export", "--format", "json"])
    assert plain.exit_code == with_bars.exit_code == 0
    assert with_bars.stdout == plain.stdout and len(json.loads(plain.stdout)["incidents"]) == 4
    assert "exporting incidents" in with_bars.stderr and "exporting incidents" not in plain.stderr
    quiet = runner.invoke(main, ["--quiet", "export", "--format", "json"])
    assert quiet.stdout == plain.stdout
