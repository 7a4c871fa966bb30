from __future__ import annotations

import io
import struct
import zipfile

from shelter.triage.attachments import MAX_DEPTH, analyse_file, sniff
from shelter.triage.links import LinkAnalysis
from shelter.triage.report import analyse_email
from shelter.triage.store import IndicatorStore
from tests.triage.conftest import message

# Not a working program: just the two bytes Windows looks for, padded.
FAKE_EXE = b"MZ" + b"\0" * 126


def zip_of(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in members:
            archive.writestr(name, payload)
    return buffer.getvalue()


def encrypted_zip(name: str) -> bytes:
    """A ZIP whose only entry has the 'encrypted' flag set (content is junk, as it would be encrypted)."""
    data = zip_of((name, b"x" * 20))
    # Set bit 0 of the general-purpose flags in the local header and in the central directory entry.
    local = bytearray(data)
    struct.pack_into("<H", local, 6, struct.unpack_from("<H", local, 6)[0] | 1)
    central = local.find(b"PK\x01\x02")
    struct.pack_into("<H", local, central + 8, struct.unpack_from("<H", local, central + 8)[0] | 1)
    return bytes(local)


def findings_for(name: str, payload: bytes, store: IndicatorStore) -> dict[str, list[str]]:
    analysis = LinkAnalysis()
    analyse_file(name, payload, store, analysis)
    result: dict[str, list[str]] = {}
    for item in analysis.findings:
        result.setdefault(item.id, []).append(item.severity)
    return result


def test_sniff_by_magic_bytes() -> None:
    assert sniff(FAKE_EXE) == "windows-executable"
    assert sniff(b"%PDF-1.7") == "pdf"
    assert sniff(zip_of(("a.txt", b"a"))) == "zip"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8) == "ole"
    assert sniff(b"  <!DOCTYPE html><html>") == "html"
    assert sniff(b"plain words") == "other"


def test_executable_disguised_as_pdf_is_critical(store: IndicatorStore) -> None:
    assert findings_for("invoice.pdf", FAKE_EXE, store)["ATT-01"] == ["critical"]


def test_script_extension_is_dangerous(store: IndicatorStore) -> None:
    assert "ATT-01" in findings_for("doc_uvedoml.js", b"var a = 1;", store)


def test_archive_listed_recursively_with_double_extension(store: IndicatorStore) -> None:
    inner = zip_of(("photo.jpg.exe", FAKE_EXE))
    found = findings_for("20160523.jpg_.zip", zip_of(("inner.zip", inner)), store)
    assert found["ATT-01"] == ["critical"]
    assert len(found["ATT-02"]) >= 3  # outer double extension, nested archive, inner double extension


def test_nesting_is_bounded(store: IndicatorStore) -> None:
    payload = FAKE_EXE
    for level in range(MAX_DEPTH + 2):
        payload = zip_of((f"level{level}.zip" if level else "x.exe", payload))
    analysis = LinkAnalysis()
    analyse_file("deep.zip", payload, store, analysis)
    assert any("nested deeper" in f.evidence for f in analysis.findings)


def test_encrypted_zip_member(store: IndicatorStore) -> None:
    found = findings_for("parcel.zip", encrypted_zip("invoice.exe"), store)
    assert "ATT-03" in found and "ATT-01" in found


def test_macro_enabled_office_document(store: IndicatorStore) -> None:
    document = zip_of(("[Content_Types].xml", b"<Types/>"), ("word/vbaProject.bin", b"\0" * 10))
    assert "ATT-01" in findings_for("report.docm", document, store)
    clean = zip_of(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>"))
    assert findings_for("report.docx", clean, store) == {}


def test_html_credential_page(store: IndicatorStore) -> None:
    page = (b"<html><head><title>Sign in to your account</title></head><body><script>"
            b"document.write(unescape('%3Cform%3E'))</script><input type=password></body></html>")
    assert findings_for("Email.htm", page, store)["ATT-04"] == ["high"]
    assert findings_for("note.html", b"<html><body>Hello</body></html>", store)["ATT-04"] == ["low"]


def test_hash_in_feed(store: IndicatorStore) -> None:
    found = findings_for("empty.bin", b"", store)  # the test store lists the SHA-256 of empty content
    assert found["ATT-05"] == ["critical"]


def test_damaged_zip_is_reported_not_raised(store: IndicatorStore) -> None:
    assert "EM-09" in findings_for("broken.zip", b"PK\x03\x04garbage", store)


def test_attachment_facts_in_report(store: IndicatorStore) -> None:
    report = analyse_email(message(attachments=[("quote.zip", zip_of(("quote.exe", FAKE_EXE)))]), store)
    (facts,) = report.attachments
    assert facts.name == "quote.zip" and facts.detected_type == "zip" and facts.members == ["quote.exe"]
    assert facts.found_by == "stdlib" and len(facts.sha256) == 64  # well-formed: the tolerant parser is not needed
    assert report.verdict.verdict == "malicious"
    assert "If you opened the attachment" in " ".join(report.verdict.advice["en"])


def test_pdf_links_and_active_content_in_compressed_streams(store: IndicatorStore) -> None:
    import zlib

    hidden = zlib.compress(b"<< /S /URI /URI (http://passport.yandex.ru.com-auth.site/in) >> << /JS (app.alert(1)) >>")
    pdf = b"%PDF-1.7\n1 0 obj << /Length 10 /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream\nendobj\n"
    found = findings_for("case.pdf", pdf, store)
    assert found["ATT-01"] == ["medium"]  # JavaScript
    assert "URL-01" in found and "URL-03" in found  # the link inside the compressed stream was checked
    assert sniff(b"\n\x89junk%PDF-1.4") == "pdf"


def test_launch_action_is_high(store: IndicatorStore) -> None:
    assert findings_for("a.pdf", b"%PDF-1.4 << /Type /Action /S /Launch /F (cmd.exe) >>", store)["ATT-01"] == ["high"]


def test_encoded_layers_are_decoded_without_running_anything(store: IndicatorStore) -> None:
    import base64
    from urllib.parse import quote

    from shelter.triage.attachments import decoded_layers

    inner = '<title>Sign in</title><form action="https://collect.web.app/p"><input type="password"></form>'
    middle = f"<script>document.write(atob('{base64.b64encode(inner.encode()).decode()}'))</script>"
    outer = f"<script>document.write(unescape('{quote(middle)}'))</script>"
    assert decoded_layers(outer)[-1] == inner
    found = LinkAnalysis()
    analyse_file("invoice.html", outer.encode(), store, found)
    (page,) = [f.evidence for f in found.findings if f.id == "ATT-04"]
    assert "hidden layers of encoded markup: 2" in page and "password field" in page and "web.app" in page


def test_unlistable_archive_is_flagged_not_ignored(store: IndicatorStore) -> None:
    assert sniff(b"Rar!\x1a\x07\x00" + b"\0" * 20) == "rar"
    assert findings_for("invoice.rar", b"Rar!\x1a\x07\x00" + b"\0" * 20, store)["ATT-01"] == ["medium"]
