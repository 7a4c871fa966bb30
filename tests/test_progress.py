"""Progress bars of long commands (shelter.progress): drawn on standard error when it is a terminal, never on
standard output, and not at all under ``shelter --quiet`` or when standard error is a pipe or a file."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner

from shelter import progress
from shelter.cli import main
from shelter.progress import bars_wanted, progress_bar, track
from tests.connectors.conftest import fixture
from tests.notices.conftest import ayubov  # noqa: F401


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


class Counted:
    def __init__(self) -> None:
        self.steps: list[int] = []

    def update(self, steps: int) -> None:
        self.steps.append(steps)


class Runs(dict[str, list[int]]):
    """A progress for library functions: each run's label -> [its total, the steps it counted]."""

    @contextlib.contextmanager
    def __call__(self, label: str, total: int) -> Iterator[Counted]:
        counted = Counted()
        yield counted
        self[label] = [total, sum(counted.steps)]


@pytest.mark.django_db
@pytest.mark.usefixtures("ayubov")
def test_a_notice_import_and_its_screening_report_every_record(monkeypatch: Any) -> None:
    from shelter.notices.intake import importing
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.models import Notice, ScreeningMatch
    from shelter.notices.screening import notices as screening
    from tests.notices.conftest import NOTICE_FIXTURES

    monkeypatch.setattr(importing, "CREATE_BATCH", 4)
    monkeypatch.setattr(screening, "PROGRESS_EVERY", 4)
    records = read_notice_file(NOTICE_FIXTURES / "red_notices_details_excerpt.json").notices
    imported, screened = Counted(), Counted()
    report = importing.import_notices(records, on_progress=imported.update)
    assert Notice.objects.count() == report.created == 9 and sum(imported.steps) == len(records)
    assert [step for step in imported.steps if step] == [4, 4, 1]  # written a batch at a time
    again = Counted()
    importing.import_notices(records, on_progress=again.update)
    assert sum(again.steps) == len(records) and Notice.objects.count() == 9
    screened_report = screening.screen_notices(report.to_screen, on_progress=screened.update)
    assert screened.steps == [4, 4, 1] and screened_report.screened == 9 and screened_report.candidates == 1
    assert screened_report.alerts == 1 and ScreeningMatch.objects.get().person.primary_name == "Абдукарим Аюбов"


@pytest.mark.django_db(transaction=True)
def test_a_backup_and_its_restore_count_their_steps(tmp_path: Any, settings: Any) -> None:
    from django.core.management import call_command

    from shelter.access.models import Team
    from shelter.connectors.backup import create_backup, restore_backup

    Team.objects.create(name="alpha")

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    (tmp_path / "evidence" / "ab").mkdir(parents=True)
    (tmp_path / "evidence" / "ab" / "abcdef").write_bytes(b"a file of evidence")
    steps = Runs()

    create_backup(tmp_path / "backup.zip", steps)
    assert steps == {"backing up": [3, 3]}  # the rows, one evidence file, the check
    call_command("flush", interactive=False, verbosity=0)
    restore_backup(tmp_path / "backup.zip", steps)
    assert steps["restoring"] == [2, 2]  # one evidence file, the rows
    assert Team.objects.get().name == "alpha"


def test_a_feed_update_reports_each_feed(tmp_path: Any) -> None:
    from shelter.triage.feeds import shipped_feeds, update_feeds

    def offline(url: str) -> bytes:
        raise OSError("no network in tests")

    counted = Counted()
    results = update_feeds(offline, home=tmp_path, on_progress=counted.update)
    assert counted.steps == [1] * len(shipped_feeds()) == [1] * len(results) and not any(r.ok for r in results)


@pytest.mark.django_db
def test_a_watchlist_import_and_its_screening_count_the_entries(settings: Any, tmp_path: Any) -> None:
    from shelter.registry.models import Person
    from shelter.watchlists.importing import import_watchlist, screen_watchlists
    from tests.conftest import FIXTURES

    settings.SHELTER_HOME = tmp_path
    Person.objects.create(primary_name="Rustam Karimov", dob="1985-03-14", nationalities=["UZ"])
    steps = Runs()

    imported = import_watchlist("ru-list", FIXTURES / "watchlists" / "ru_list_v1.ftm.json", state="RU",
                                progress=steps)
    listed = len(imported.added)
    assert listed > 1 and steps == {"screening entries": [listed, listed]} and imported.new_candidates == 1
    steps.clear()
    screen_watchlists(progress=steps)
    assert steps == {"screening entries": [listed, listed]}


@pytest.mark.django_db
def test_a_returns_import_counts_its_rows(tmp_path: Any) -> None:
    from shelter.monitoring.importing import import_returns
    from shelter.registry.models import Person

    person = Person.objects.create(primary_name="Rustam Karimov")
    source = tmp_path / "returns.csv"
    source.write_text("person,host_country,destination,return_date,check_in_date,status\n"
                      f"{person.pk},DE,UZ,2025-02-01,2025-02-03,detained\n"
                      f"{person.pk},DE,UZ,2025-02-01,2025-03-01,charged\n"
                      f"{person.pk},TR,UZ,2024-05-05,,\n", encoding="utf-8")
    steps = Runs()
    summary = import_returns(source, progress=steps)
    assert steps == {"importing returns": [3, 3]} and (summary.plans, summary.check_ins) == (2, 2)
