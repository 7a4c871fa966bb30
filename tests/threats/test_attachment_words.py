"""An attachment's findings in the page's language: a program in disguise, what a PDF holds and an HTML page's warning
signs are the checks' own sentences, said through the catalogue; the file's name and what was quoted from it stay as
they were."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shelter.threats.templatetags.threat_words import field_words, finding_evidence
from shelter.triage.attachments import PDF_CONTENTS, PROGRAMS, analyse_file
from shelter.triage.links import LinkAnalysis
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Finding

PROGRAM = ("invoice.pdf", b"MZ" + b"\0" * 126)
PDF = ("case.pdf", b"%PDF-1.4 << /Type /Action /S /Launch /F (cmd.exe) >>")
PAGE = ("login.html", b'<html><title>Sign in to your account</title><form action="https://collect.web.app/p">'
                      b'<input type="password"></form></html>')
# The English each finding says, and what a Russian page says instead.
SAID = {
    "invoice.pdf": ("invoice.pdf is a windows executable disguised with the extension .pdf",
                    "invoice.pdf — программа для Windows под видом файла .pdf"),
    "case.pdf": ("case.pdf: PDF with an action that starts a program",
                 "case.pdf: PDF, содержащий действие, запускающее программу"),
    "login.html": ("login.html: HTML page with warning signs; a password field; title 'Sign in to your account'; "
                   "content from web.app (free site builders)",
                   "login.html: HTML-страница с признаками опасности; поле для пароля; заголовок "
                   "'Sign in to your account'; содержимое с web.app (бесплатные конструкторы сайтов)"),
}


def _found(name: str, payload: bytes) -> list[Finding]:
    analysis = LinkAnalysis()
    analyse_file(name, payload, IndicatorStore.from_values([]), analysis)
    return [item for item in analysis.findings if item.id in ("ATT-01", "ATT-04")]


@pytest.mark.parametrize(("name", "payload"), [PROGRAM, PDF, PAGE])
def test_each_attachment_finding_is_said_in_the_pages_language(name: str, payload: bytes) -> None:
    (found,) = _found(name, payload)
    english, russian = SAID[name]
    with translation.override("en"):
        assert finding_evidence(found) == found.evidence == english
    with translation.override("ru"):
        assert finding_evidence(found) == russian
        assert finding_evidence(found.to_dict()) == russian  # as stored in a report


def test_every_kind_of_program_and_pdf_content_has_its_russian() -> None:
    with translation.override("ru"):
        words = field_words()
        assert set(PROGRAMS.values()) == set(words["program"])
        assert {what for what, _ in PDF_CONTENTS.values()} == set(words["content"])
        assert all(russian != english for english, russian in words["program"].items())
        assert all(russian != english for english, russian in words["content"].items() if english != "JavaScript")


def _message() -> bytes:
    message = EmailMessage()
    message["From"] = "Court <office@court-summons.example>"
    message["To"] = "exile@example.org"
    message["Subject"] = "Summons"
    message.set_content("See the attached files.")
    for name, payload in (PROGRAM, PDF, PAGE):
        message.add_attachment(payload, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


@pytest.mark.django_db
def test_a_report_page_in_russian_says_the_attachment_findings_in_russian(users, teams) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["editor"])
    response = client.post(reverse("threats:upload"), {
        "message": SimpleUploadedFile("summons.eml", _message()), "confidentiality": "confidential",
        "teams": [teams["alpha"].pk]})
    assert response.status_code == 302
    english = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(response.url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    for said_in_english, said_in_russian in SAID.values():
        shown = said_in_english.replace("'", "&#x27;")
        assert shown in english, shown
        assert shown not in russian and said_in_russian.replace("'", "&#x27;") in russian, said_in_russian
