"""The 19 real messages of ../shared/data/emails against the features their SOURCE.md lists."""

from __future__ import annotations

import pytest

from shelter.triage.report import EmailReport, analyse_email
from shelter.triage.store import IndicatorStore
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data

# file → (verdict, indicator ids that must be found, text expected somewhere in the report)
EXPECTED: dict[str, tuple[str, set[str], str]] = {
    "mail-parser/mail_test_1.eml": ("malicious", {"EM-06", "ATT-01", "ATT-02", "ATT-06"}, "ФНС_РФ558.zip"),
    "mail-parser/mail_test_15.eml": ("malicious", {"EM-06", "EM-07", "EM-04", "ATT-01"}, "REQUEST FOR QUOTE.exe"),
    "mail-parser/mail_test_17.eml": ("suspicious", {"EM-01", "EM-04", "EM-05"}, "alejandrosalcedo.es"),
    "mail-parser/mail_test_19.eml": ("suspicious", {"EM-06"}, "bob@example.com"),
    "mail-parser/mail_malformed_1.eml": ("malicious", {"EM-09", "ATT-02", "ATT-01"}, "20160523_916527.jpg_.zip"),
    "mail-parser/mail_malformed_3.eml": ("suspicious", {"EM-04", "EM-05"}, "smgesi4@gmail.com"),
    "mail-parser/mail_test_3.eml": ("no_indicators_found", set(), "message.txt"),
    "mail-parser/mail_test_6.eml": ("no_indicators_found", set(), "Быстрее вкладывайте в золото!"),
    "mail-parser/mail_test_7.eml": ("no_indicators_found", {"ATT-04"}, "att24916.htm"),
    "mail-parser/mail_test_8.eml": ("no_indicators_found", set(), "moneytrack.top"),
    "eml_analyzer/invalid_datetime.eml": ("suspicious", {"EM-01", "EM-02", "EM-04"}, "Mailgun"),
    "eml_analyzer/encrypted_docx.eml": ("suspicious", {"ATT-03"}, "encrypted.docx"),
    "eml_analyzer/sample.eml": ("no_indicators_found", set(), "nodejs.png"),
    "eml_analyzer/cc.eml": ("no_indicators_found", set(), "To and Cc headers"),
    "phishing_pot/sample-10.eml": ("malicious", {"EM-01", "EM-02", "EM-03", "EM-04", "EM-05", "EM-06", "URL-08"},
                                   "sotrecognizd@gmail.com"),
    "phishing_pot/sample-398.eml": ("malicious", {"EM-01", "ATT-04", "EM-09"}, "Email.htm"),
    "phishing_pot/sample-1040.eml": ("malicious", {"EM-01", "EM-04", "EM-08", "URL-07"}, "t.co"),
    "phishing_pot/sample-2296.eml": ("suspicious", {"EM-10"}, "forms.yandex.com"),
    "phishing_pot/sample-2341.eml": ("suspicious", {"EM-01", "EM-08"}, "MailInformation#Case-886-173772-84501.pdf"),
}


def report_for(name: str, store: IndicatorStore) -> EmailReport:
    return analyse_email(shared_data("emails", *name.split("/")).read_bytes(), store)


def test_all_nineteen_messages_are_covered() -> None:
    folder = shared_data("emails")
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*.eml")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_message(name: str, store: IndicatorStore) -> None:
    verdict, indicators, text = EXPECTED[name]
    report = report_for(name, store)
    assert report.verdict.verdict == verdict, [f.to_dict() for f in report.verdict.findings]
    assert indicators <= {f.id for f in report.verdict.findings}
    assert text in str(report.to_dict())


def test_display_name_spoof_keeps_the_real_address(store: IndicatorStore) -> None:
    evidence = [f.evidence for f in report_for("mail-parser/mail_test_19.eml", store).verdict.findings]
    assert any("alice@example.com" in e and "bob@example.com" in e for e in evidence)


def test_capital_i_for_l_is_named(store: IndicatorStore) -> None:
    evidence = " ".join(f.evidence for f in report_for("mail-parser/mail_test_15.eml", store).verdict.findings)
    assert "aquiIlaindustries.com imitates aquillaindustries.com (look-alike characters)" in evidence


def test_attachment_only_the_tolerant_parser_finds(store: IndicatorStore) -> None:
    report = report_for("mail-parser/mail_malformed_1.eml", store)
    assert [(a.name, a.found_by) for a in report.attachments] == [("20160523_916527.jpg_.zip", "mail-parser")]


def test_html_attachment_only_the_standard_parser_finds(store: IndicatorStore) -> None:
    report = report_for("phishing_pot/sample-398.eml", store)
    assert [(a.name, a.detected_type) for a in report.attachments] == [("Email.htm", "html")]
    # SOURCE.md: the decoded page is titled "Sign in to your account" and loads its assets from *.web.app.
    (page,) = [f.evidence for f in report.verdict.findings if f.id == "ATT-04"]
    assert "'Sign in to your account'" in page and "web.app" in page and "password field" in page


def test_report_text_is_plain_and_html_is_never_returned(store: IndicatorStore) -> None:
    report = report_for("phishing_pot/sample-10.eml", store)
    assert "<a " not in report.text and "<img" not in report.text
    assert "unusual sign" in report.subject


def test_ru_advice_present(store: IndicatorStore) -> None:
    advice = report_for("mail-parser/mail_test_1.eml", store).verdict.advice
    assert len(advice["ru"]) == len(advice["en"]) and "пароль" in " ".join(advice["ru"])


def test_shipped_feeds_load_and_match_real_indicators() -> None:
    from shelter.triage.feeds import default_store

    store = default_store()
    assert store.lookup_host("weather4free.com")[0].collection == "Pegasus"
    assert store.lookup_host("auth-google.site")
    assert store.lookup_ip("83.220.169.120")[0].collection == "ResidentBat"
