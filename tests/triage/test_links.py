from __future__ import annotations

import pytest

from shelter.triage.links import Link, LinkAnalysis, analyse_link, host_findings, links_in_text, read_html
from shelter.triage.store import IndicatorStore


def ids_for(url: str, store: IndicatorStore, text: str = "") -> set[str]:
    analysis = LinkAnalysis()
    analyse_link(Link(url, text, "html" if text else "text"), store, analysis)
    return {f.id for f in analysis.findings}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://passport.yandex.ru.com-auth.site/login", {"URL-01", "URL-03", "URL-06"}),  # Amnesty Uzbekistan 2020
        ("http://mail-google.email/", {"URL-02"}),
        ("http://accountsgoog1e.com/", {"URL-02"}),
        ("http://yandex-account-security.com/", {"URL-02"}),
        ("http://vkontak1e.com/", {"URL-02"}),
        ("http://xn--80ak6aa92e.com/", {"URL-04", "URL-05"}),  # аррӏе.com in Cyrillic letters
        ("http://gmaill.com/", {"URL-05"}),
        ("http://secure-login.top/", {"URL-06"}),
        ("https://bit.ly/3abc", {"URL-07"}),
        ("http://203.0.113.5/login", {"URL-09"}),
        ("http://accounts.google.com@phish.example/", {"URL-09"}),
        ("https://accounts.google.com/signin", set()),
        ("https://mail.ru/", set()),
        ("https://www.pineapple-recipes.com/", set()),
        ("https://example.org/analog", set()),
    ],
)
def test_link_indicators(url: str, expected: set[str], store: IndicatorStore) -> None:
    assert ids_for(url, store) == expected


def test_data_uri_is_flagged(store: IndicatorStore) -> None:
    assert ids_for("data:text/html;base64,PHNjcmlwdD4=", store) == {"URL-09"}


def test_anchor_text_showing_another_domain(store: IndicatorStore) -> None:
    assert "URL-08" in ids_for("http://phish.example/x", store, text="https://accounts.google.com")
    assert "URL-08" not in ids_for("https://accounts.google.com/x", store, text="accounts.google.com")


def test_spyware_match_names_the_family(store: IndicatorStore) -> None:
    analysis = LinkAnalysis()
    analyse_link(Link("http://176.223.111.131/a"), store, analysis)
    assert analysis.spyware == {"NoviSpy"}


def test_html_reader_collects_links_pixels_forms_and_text_without_scripts() -> None:
    facts = read_html(
        '<html><head><title>Sign in</title><script>var x="http://in-script.example"</script></head><body>'
        '<a href="http://t.example/a">Click <b>here</b></a><img src="http://px.example/p.gif" width="1" height="1">'
        '<form action="http://collect.example/post"><input type="password"></form><p>Hello</p></body></html>'
    )
    assert [(link.url, link.text, link.source) for link in facts.links] == [
        ("http://t.example/a", "Click here", "html"), ("http://collect.example/post", "", "form")
    ]
    assert facts.tracking_images == ["http://px.example/p.gif"]
    assert facts.password_inputs == 1 and facts.scripts == 1 and facts.title == "Sign in"
    assert "in-script" not in facts.text and "Hello" in facts.text


def test_links_in_text_trim_punctuation() -> None:
    assert [link.url for link in links_in_text("Go to https://a.example/x. Or www.b.example, now")] == [
        "https://a.example/x", "http://www.b.example"
    ]


def test_host_findings_of_brand_owned_host_are_empty() -> None:
    assert host_findings("passport.yandex.ru") == []


def test_digits_folded_and_a_slip_are_not_a_typosquat(store: IndicatorStore) -> None:
    assert ids_for("http://h374.example/", store) == set()  # h374 folds to "heta", one slip from "meta"
    assert ids_for("http://micros0ft.com/", store) == {"URL-02"}


def test_redirect_destination_is_judged_too(store: IndicatorStore) -> None:
    analysis = LinkAnalysis()
    analyse_link(Link("https://www.google.com/url?q=https%3A%2F%2Fevil-phish.example%2Flogin"), store, analysis)
    found = {(f.id, f.severity) for f in analysis.findings}
    assert ("URL-09", "low") in found and ("URL-01", "critical") in found
    plain = LinkAnalysis()
    analyse_link(Link("https://news.example.org/l?u=https://news.example.org/article"), store, plain)
    assert plain.findings == []  # a redirect within the same site says nothing


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pw@Host.Example:8080/x", "https://[2001:db8::1]/a", "HTTP://EXAMPLE.com", "http://a@b@c.example/",
        "http://example.com?x=1", "http://example.com#frag", "  http://x.example  ", "https://пример.рф/путь",
        "http://a\tb.example/", "ftp://files.example/f", "http:///nohost",
    ],
)
def test_fast_url_host_matches_the_standard_parser(url: str) -> None:
    from urllib.parse import urlsplit

    from shelter.triage.domains import normalise_host, url_host

    assert normalise_host(url_host(url)) == normalise_host(urlsplit(url.strip()).hostname or "")
