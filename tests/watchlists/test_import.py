"""Importing FollowTheMoney lists as watchlists: changes between imports, screening the registry, alerts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from shelter.cli import main
from shelter.registry.models import Person, PersonName
from shelter.watchlists.importing import WatchlistError, import_watchlist
from shelter.watchlists.models import (
    Watchlist,
    WatchlistAlert,
    WatchlistEntry,
    WatchlistImport,
    WatchlistMatch,
)
from shelter.watchlists.services import alerts_for
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

V1 = FIXTURES / "watchlists" / "ru_list_v1.ftm.json"
V2 = FIXTURES / "watchlists" / "ru_list_v2.ftm.json"


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path  # the registry index is kept under SHELTER_HOME


def person(name: str, dob: str, nationalities: list[str], at_risk: bool = False, other: str = "",
           **fields: object) -> Person:
    made = Person.objects.create(primary_name=name, dob=dob, nationalities=nationalities, at_risk=at_risk, **fields)
    if other:
        PersonName.objects.create(person=made, full_name=other)
    return made


def test_reimport_records_what_was_added_changed_and_removed() -> None:
    first = import_watchlist("ru-list", V1, state="RU")
    assert (sorted(first.added), first.changed, first.removed) == (["ru-fl-1001", "ru-fl-1002", "ru-fl-1003"], [], [])
    assert first.skipped == {"Organization": 1, "Sanction": 1}
    second = import_watchlist("ru-list", V2)
    assert (second.added, second.changed, second.removed, second.unchanged) == (
        ["ru-fl-1004"], ["ru-fl-1002"], ["ru-fl-1003"], 1)
    assert any("birthDate '1990-13-40'" in note for note in second.notes)
    assert any("'suhh'" in note for note in second.notes)
    changed = WatchlistEntry.objects.get(entity_id="ru-fl-1002")
    assert changed.dob == "1990-06-01" and changed.nationalities == ["TJ"]
    assert "Назарова Дилноза Рахимовна" in changed.names
    assert WatchlistEntry.objects.get(entity_id="ru-fl-1003").removed is not None
    assert Watchlist.objects.get(name="ru-list").state == "RU"  # kept when a later import does not name it
    history = list(WatchlistImport.objects.values_list("added", "removed"))
    assert history == [(["ru-fl-1004"], ["ru-fl-1003"]), (["ru-fl-1001", "ru-fl-1002", "ru-fl-1003"], [])]
    # back on the list: counted as added again
    third = import_watchlist("ru-list", V1)
    assert "ru-fl-1003" in third.added and third.removed == ["ru-fl-1004"]
    assert WatchlistEntry.objects.get(entity_id="ru-fl-1003").removed is None


def test_a_bad_line_refuses_the_whole_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ftm.json"
    bad.write_text(V1.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(WatchlistError, match=r"bad.ftm.json, line 6: not a JSON object"):
        import_watchlist("ru-list", bad)
    assert not Watchlist.objects.exists() and not WatchlistEntry.objects.exists()


def test_a_bad_name_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["watchlists", "import", "Bad Name!", str(V1)])
    assert result.exit_code != 0 and "lower-case letters" in result.output
    assert not Watchlist.objects.exists()


def test_an_at_risk_person_listed_by_their_own_state_raises_an_alert(users) -> None:  # type: ignore[no-untyped-def]
    listed = person("Jamshid Yusupov", "1979-08-21", ["UZ"], at_risk=True, other="Джамшид Юсупов")
    not_at_risk = person("Rustam Karimov", "1985-03-14", ["UZ"])
    person("Unrelated Name", "1960", ["UZ"], at_risk=True)
    russian_list = import_watchlist("ru-list", V1, state="RU")
    assert russian_list.alerts == 0 and russian_list.new_candidates == 1
    assert WatchlistMatch.objects.get().person == not_at_risk
    # the same people listed by Uzbekistan: the at-risk Uzbek citizen on it raises an alert
    uzbek = import_watchlist("uz-list", V2, state="UZ")
    assert uzbek.alerts == 1
    alert = WatchlistAlert.objects.get()
    assert alert.match.person == listed and alert.match.entry.entity_id == "ru-fl-1004"
    # imported again unchanged: no new candidate, no second alert
    again = import_watchlist("uz-list", V2)
    assert (again.new_candidates, again.alerts) == (0, 0) and WatchlistAlert.objects.count() == 1
    shown = alerts_for(users["viewer"])
    assert [(a["watchlist"], a["person_name"], a["entry"]) for a in shown] == [
        ("uz-list", "Jamshid Yusupov", "ru-fl-1004")]


def test_alerts_and_lists_pass_through_the_visibility_filter(users, teams) -> None:  # type: ignore[no-untyped-def]
    person("Jamshid Yusupov", "1979-08-21", ["UZ"], at_risk=True, confidentiality="public", published=True)
    import_watchlist("uz-list", V2, state="UZ", restriction={"confidentiality": "confidential", "teams": ["beta"]})
    assert WatchlistAlert.objects.count() == 1
    assert alerts_for(users["researcher"]) and alerts_for(users["admin"])  # team beta; admin
    assert alerts_for(users["editor"]) == [] and alerts_for(users["viewer"]) == [] and alerts_for(None) == []


def test_the_command_imports_lists_and_reports_changes(users) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(main, ["watchlists", "import", "ru-list", str(V1), "--state", "Russia"])
    assert result.exit_code == 0, result.output
    assert "watchlist ru-list: 3 added, 0 changed, 0 removed, 0 unchanged" in result.output
    result = runner.invoke(main, ["watchlists", "import", "ru-list", str(V2)])
    assert "1 added, 1 changed, 1 removed, 1 unchanged" in result.output
    assert "note: line 2 (ru-fl-1002): birthDate '1990-13-40'" in result.output
    changes = json.loads(runner.invoke(main, ["watchlists", "changes", "ru-list"]).output)
    assert changes[0]["removed"] == ["ru-fl-1003"]
    listed = json.loads(runner.invoke(main, ["watchlists", "list"]).output)
    assert [(w["name"], w["state"], w["entries"], w["removed"]) for w in listed] == [("ru-list", "RU", 3, 1)]
    # an internal list is hidden from a viewer with public clearance, exactly like a missing one
    hidden = runner.invoke(main, ["watchlists", "changes", "ru-list", "--as", "viewer_public"])
    assert hidden.exit_code != 0 and "there is no watchlist named 'ru-list'" in hidden.output
    assert json.loads(runner.invoke(main, ["watchlists", "list", "--as", "viewer_public"]).output) == []


def test_screening_again_finds_people_added_or_marked_at_risk_since_the_import(users) -> None:  # type: ignore[no-untyped-def]
    import_watchlist("uz-list", V2, state="UZ")
    assert not WatchlistMatch.objects.exists()
    listed = person("Jamshid Yusupov", "1979-08-21", ["UZ"])
    runner = CliRunner()
    result = runner.invoke(main, ["watchlists", "screen", "uz-list"])
    assert result.exit_code == 0, result.output
    assert "3 entries of uz-list screened: 1 candidates in the registry (1 new), 0 alerts" in result.output
    listed.at_risk = True
    listed.save()
    assert "(0 new), 1 alerts" in runner.invoke(main, ["watchlists", "screen"]).output
    assert "(0 new), 0 alerts" in runner.invoke(main, ["watchlists", "screen"]).output  # raised once
    assert WatchlistAlert.objects.get().match.person == listed
    missing = runner.invoke(main, ["watchlists", "screen", "no-such-list"])
    assert missing.exit_code != 0 and "there is no watchlist named 'no-such-list'" in missing.output
