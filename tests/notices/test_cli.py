"""``shelter notices``: import, screen, assess --json, dossier, alerts, fetch's consent prompt."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from shelter.notices.cli import notices
from shelter.notices.models import Notice
from tests.notices.conftest import NOTICE_FIXTURES


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(notices, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_import_screens_and_alerts(db, ayubov) -> None:  # type: ignore[no-untyped-def]
    code, output = _run("import", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    assert code == 0 and "9 new" in output and "1 alerts" in output
    code, output = _run("alerts")
    assert code == 0 and "2019/34876" in output and "Абдукарим Аюбов" in output


def test_alerts_respect_the_user(db, ayubov, users) -> None:  # type: ignore[no-untyped-def]
    _run("import", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    assert "2019/34876" in _run("alerts", "--user", "editor")[1]
    assert _run("alerts", "--user", "researcher")[1].strip() == "no alerts"
    assert "no active user 'nobody'" in CliRunner().invoke(notices, ["alerts", "--user", "nobody"]).output


def test_assess_writes_one_object_per_notice(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _run("import", "--no-screen", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    code, output = _run("assess", "--json")
    data = json.loads(output)
    assert code == 0 and len(data) == 9
    assert {"entity_id", "indicators"} <= set(data[0])
    assert {item["answer"] for entry in data for item in entry["indicators"]} <= {"present", "absent", "unknown"}
    code, output = _run("assess", "--id", "2021/69190", "--json", "-o", str(tmp_path / "one.json"))
    one = json.loads((tmp_path / "one.json").read_text())
    assert [entry["entity_id"] for entry in one] == ["2021/69190"]
    rn10 = next(item for item in one[0]["indicators"] if item["id"] == "RN-10")
    assert rn10["answer"] == "present" and rn10["evidence"]
    # each charge's reading: category, confidence, offences and what was not recognised
    reading = one[0]["charges"][0]
    assert reading["category"] == "membership_only_terrorism" and reading["confidence"] == "high"
    assert set(reading["offences"]) == {"banned_group_membership", "armed_formation"}
    assert reading["unrecognised"] == [] and reading["indicators"] == ["RN-10"]


def test_assess_an_unknown_id_says_so(db) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(notices, ["assess", "--id", "1999/1", "--json"])
    assert result.exit_code != 0 and "no notice 1999/1" in result.output


def test_dossier_pdf_and_html(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _run("import", "--no-screen", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    code, _ = _run("dossier", "2019/34876", "-o", str(tmp_path / "d.pdf"))
    assert code == 0 and (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF-")
    _run("dossier", "2019/34876", "-o", str(tmp_path / "d.html"))
    html = (tmp_path / "d.html").read_text()
    assert "AYUBOV" in html and "<style>" in html and "<link" not in html
    code, _ = _run("dossier", "2019/34876", "--ccf", "--language", "ru", "-o", str(tmp_path / "a.html"))
    assert code == 0 and "Приложение к обращению в Комиссию" in (tmp_path / "a.html").read_text()


def test_full_list_import_marks_withdrawals(db) -> None:  # type: ignore[no-untyped-def]
    _run("import", "--no-screen", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    code, output = _run("import", "--no-screen", "--full-list", str(NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv"))
    assert code == 0 and "9 withdrawn" in output
    assert Notice.objects.filter(status="withdrawn").count() == 9


def test_import_errors_are_actionable(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("entity_id,forename,name,date_of_birth,nationalities\n2020/1,A,B,1990/13/01,TJ\n")
    result = CliRunner().invoke(notices, ["import", str(bad)])
    assert result.exit_code != 0 and "row 2: date '1990-13-01' is not a date" in result.output


def test_fetch_asks_before_using_the_network(tmp_path: Path) -> None:
    result = CliRunner().invoke(notices, ["fetch", "-d", str(tmp_path)], input="n\n")
    assert result.exit_code != 0 and "network" in result.output and not (tmp_path / "pages").exists()


def test_assess_in_worker_processes_writes_what_one_process_and_the_api_write(db, users, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import Role, User
    from shelter.notices.assessment.assess import assess_notice, review_indicator

    _run("import", "--no-screen", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    reviewed = Notice.objects.get(entity_id="2019/34876")
    review_indicator(reviewed, "RN-03", "present", "recognised refugee in Lithuania (decision on file)", users["editor"])
    outputs = {}
    for processes in ("1", "2"):
        path = tmp_path / f"p{processes}.json"
        assert _run("assess", "--json", "--processes", processes, "-o", str(path))[0] == 0
        outputs[processes] = json.loads(path.read_text(encoding="utf-8"))
    assert outputs["1"] == outputs["2"] and len(outputs["1"]) == 9
    operator = User(username="operator", role=Role.ADMIN)
    expected = [json.loads(json.dumps(assess_notice(notice, operator).to_dict()))
                for notice in Notice.objects.order_by("pk")]
    assert outputs["2"] == expected
    rn03 = next(item for entry in outputs["2"] if entry["entity_id"] == "2019/34876"
                for item in entry["indicators"] if item["id"] == "RN-03")
    assert rn03["review"]["answer"] == "present" and rn03["review"]["reviewer"] == "editor"
