from __future__ import annotations

import json
import mailbox
from pathlib import Path

from click.testing import CliRunner

from shelter.triage import feeds as feed_set
from shelter.triage.cli import triage
from tests.triage.conftest import FIXTURES, message

EMAILS = FIXTURES / "emails"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(triage, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_email_text_and_json() -> None:
    code, out, _ = run("email", str(EMAILS / "mail_test_19.eml"))
    assert code == 0 and "verdict: suspicious" in out and "EM-06" in out and "Do not click" in out
    code, out, _ = run("email", str(EMAILS / "mail_test_19.eml"), "--json", "--lang", "ru")
    report = json.loads(out)
    assert report["verdict"]["verdict"] == "suspicious" and report["sha256"]
    assert set(report["verdict"]["advice"]) == {"en", "ru"}


def test_email_in_russian() -> None:
    code, out, _ = run("email", str(EMAILS / "mail_test_19.eml"), "--lang", "ru")
    assert code == 0 and "Не переходите по ссылкам" in out


def test_check_one_and_many() -> None:
    code, out, _ = run("check", "weather4free.com", "--json")
    assert code == 0
    single = json.loads(out)
    assert single["value"] == "weather4free.com" and single["verdict"] == "malicious" and single["spyware"] == ["Pegasus"]
    _, out, _ = run("check", "weather4free.com", "example.org", "--json")
    assert [item["verdict"] for item in json.loads(out)] == ["malicious", "no_indicators_found"]


def test_check_bad_value_is_a_usage_error() -> None:
    result = CliRunner().invoke(triage, ["check", "not a value"])
    assert result.exit_code == 2 and "is not a URL, domain, IP address" in result.output


def test_scan_folder_to_csv_with_progress(tmp_path: Path) -> None:
    output = tmp_path / "report.csv"
    code, _, err = run("scan", str(EMAILS), "--output", str(output))
    assert code == 0 and "messages" in err
    lines = output.read_text().splitlines()
    assert lines[0].startswith("source,verdict,score") and len(lines) == 1 + len(list(EMAILS.glob("*.eml")))
    cc_row = next(line for line in lines if line.startswith("cc.eml,"))
    assert cc_row.startswith("cc.eml,no_indicators_found,0,To and Cc headers,Foo Bar <foo.bar@example.com>,,,")


def test_scan_mbox_and_maildir_to_json(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(message(subject="=cmd|' /C calc'!A0"))
    box.add(message(sender='"boss@example.org" <boss@attacker.example>'))
    box.flush()
    code, out, _ = run("scan", str(tmp_path / "inbox.mbox"), "--format", "json")
    rows = json.loads(out)
    assert [r["source"] for r in rows] == ["inbox.mbox#1", "inbox.mbox#2"]
    assert rows[1]["verdict"] == "suspicious" and "EM-06" in rows[1]["indicators"]
    code, out, _ = run("scan", str(tmp_path / "inbox.mbox"))
    assert code == 0 and "'=cmd" in out  # spreadsheet formula neutralised in CSV
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(message())
    _, out, _ = run("scan", str(tmp_path / "Maildir"), "--format", "json")
    assert len(json.loads(out)) == 1


def test_feeds_list_add_and_update(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("feeds", "list")
    assert code == 0 and "amnesty-pegasus" in out and "CC-BY-2.0" in out
    mine = tmp_path / "mine.txt"
    mine.write_text("case-phish.example\n")
    code, out, _ = run("feeds", "add", str(mine), "--name", "Case list")
    assert code == 0 and "added feed user-case-list: 1 indicators" in out
    code, out, _ = run("feeds", "list", "--json")
    assert any(row["id"] == "user-case-list" for row in json.loads(out))
    bad = tmp_path / "bad.txt"
    bad.write_text("??\n")
    result = CliRunner().invoke(triage, ["feeds", "add", str(bad)])
    assert result.exit_code == 1 and "line 1" in result.output

    monkeypatch.setattr(feed_set, "fetch_over_https", lambda url: (_ for _ in ()).throw(OSError("offline")))
    result = CliRunner().invoke(triage, ["feeds", "update"])
    assert result.exit_code == 1 and "FAILED" in result.output and "offline" in result.output


def test_check_reads_values_from_stdin() -> None:
    result = CliRunner().invoke(triage, ["check", "-", "--json"], input="weather4free.com\n\nexample.org\n")
    assert result.exit_code == 0
    assert [item["value"] for item in json.loads(result.stdout)] == ["weather4free.com", "example.org"]
