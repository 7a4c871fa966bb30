"""Hypothesis: every input gets a verdict (or, for check, a clear UnrecognisedValue) and nothing crashes."""

from __future__ import annotations

import json
from email.errors import HeaderParseError
from email.message import EmailMessage

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from shelter.triage.check import UnrecognisedValue, check_value
from shelter.triage.domains import normalise_host, registered_domain, skeleton
from shelter.triage.feed_formats import classify_value, normalise_url
from shelter.triage.links import Link, LinkAnalysis, analyse_link, read_html
from shelter.triage.report import analyse_email
from shelter.triage.store import IndicatorStore

STORE = IndicatorStore.from_values(["evil.example", "192.0.2.1"])
VERDICTS = {"malicious", "suspicious", "no_indicators_found"}
FAST = settings(
    max_examples=150, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

header_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
mime_bits = st.sampled_from([
    b"--b\r\n", b"Content-Type: multipart/mixed; boundary=b\r\n", b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Disposition: attachment; filename=\"x.zip\r\n", b"\r\n", b"=?utf-8?b?0J/RgNC40LLQtdGC?=", b"PK\x03\x04",
    b"From: a@b <c@d>\r\n", b"Subject: =?koi8-r?q?=F0=D2?=\r\n", b"<a href='http://[::1'>x</a>", b"\xff\xfe\x00",
    b"Subject: \xd0\x9f\xff\r\n", b"Content-Type: text/plain; charset=x-unknown\r\n", b"\x00",
])


@FAST
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_get_a_verdict(raw: bytes) -> None:
    report = analyse_email(raw, STORE)
    assert report.verdict.verdict in VERDICTS
    assert_storable(report.to_dict())


def assert_storable(document: object) -> None:
    """The platform keeps reports as JSON in SQLite or PostgreSQL: UTF-8 encodable, no NUL characters."""
    text = json.dumps(document, ensure_ascii=False)
    text.encode("utf-8")
    assert "\\u0000" not in json.dumps(document)


@FAST
@given(st.lists(mime_bits, max_size=40).map(b"".join))
def test_broken_mime_fragments_get_a_verdict(raw: bytes) -> None:
    report = analyse_email(raw, STORE)
    assert report.verdict.verdict in VERDICTS and 0 <= report.verdict.score <= 100
    assert_storable(report.to_dict())


@settings(FAST, max_examples=60)
@given(header_text, header_text, st.text(max_size=300), st.text(max_size=300))
def test_well_formed_messages_with_random_content(sender: str, subject: str, body: str, html: str) -> None:
    msg = EmailMessage()
    try:
        msg["From"] = sender
        msg["Subject"] = subject
        msg.set_content(body)
        msg.add_alternative(html, subtype="html")
        raw = msg.as_bytes()
    except (ValueError, TypeError, IndexError, HeaderParseError):
        assume(False)  # the standard library refuses to build such a message; the raw-bytes tests cover it
        return
    assert analyse_email(raw, STORE).verdict.verdict in VERDICTS


@FAST
@given(st.text(max_size=120))
def test_check_value_never_crashes(value: str) -> None:
    try:
        assert check_value(value, STORE).verdict in VERDICTS
    except UnrecognisedValue:
        pass


url_text = st.builds(
    lambda scheme, host, rest: f"{scheme}{host}{rest}",
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "", "data:", "mailto:", "//"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(max_size=40),
)


@FAST
@given(url_text, st.text(max_size=40))
def test_url_handling_never_crashes(url: str, anchor: str) -> None:
    analysis = LinkAnalysis()
    analyse_link(Link(url, anchor, "html"), STORE, analysis)
    normalise_url(url)
    classify_value(url)


@FAST
@given(st.text(max_size=60))
def test_host_helpers_never_crash(host: str) -> None:
    normalised = normalise_host(host)
    registered_domain(normalised)
    skeleton(host)


@FAST
@given(st.text(max_size=500))
def test_html_reader_never_crashes(html: str) -> None:
    read_html(html)


@FAST
@given(url_text)
@example("http://0:@")  # found by this test: a host followed by "@" is user information
def test_fast_url_host_agrees_with_the_standard_parser(url: str) -> None:
    from urllib.parse import urlsplit

    from shelter.triage.domains import url_host

    try:
        expected = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return
    assert normalise_host(url_host(url)) == normalise_host(expected)


@FAST
@given(st.lists(st.sampled_from(["unescape('", "atob('", "')", "%3C", "%", "PGh0", "=", "'", '"', "<script>", "x"]),
                max_size=60).map("".join))
def test_static_decoding_never_crashes(text: str) -> None:
    from shelter.triage.attachments import MAX_DECODED_LAYERS, decoded_layers

    assert 1 <= len(decoded_layers(text)) <= MAX_DECODED_LAYERS + 1
