"""Links and hosts: extraction from text and HTML (parsed, never rendered) and their indicators URL-01…URL-09."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from shelter.triage.catalogue import shortener_domains, word_lists
from shelter.triage.domains import normalise_host, parse_ip, public_suffix, registered_domain
from shelter.triage.lookalikes import (
    brand_in_subdomain,
    brand_in_text,
    homoglyph_host,
    owning_brand,
    typosquat_of,
)
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Finding, finding, said, said_further

_TEXT_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'\])}]+""", re.IGNORECASE)
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class Link:
    url: str
    text: str = ""  # the anchor text a reader sees (HTML links only)
    source: str = "text"  # "text" | "html" | "image" | "form" | "attachment:<name>"

    @property
    def host(self) -> str:
        try:
            return normalise_host(urlsplit(self.url).hostname or "")
        except ValueError:
            return ""


@dataclass
class HtmlFacts:
    links: list[Link] = field(default_factory=list)
    tracking_images: list[str] = field(default_factory=list)
    title: str = ""
    text: str = ""
    scripts: int = 0
    password_inputs: int = 0
    script_text: str = ""


class _HtmlReader(HTMLParser):
    """Collects links, images, forms, scripts and visible text. Nothing is fetched or executed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self._anchor: tuple[str, list[str]] | None = None
        self._skip = 0
        self._in_title = False
        self._in_script = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "a" and values.get("href"):
            self._anchor = (values["href"].strip(), [])
        elif tag == "img" and values.get("src", "").lower().startswith(("http://", "https://")):
            if values.get("width", "").strip() in {"1", "0", "1px"} or values.get("height", "").strip() in {"1", "0", "1px"}:
                self.facts.tracking_images.append(values["src"].strip())
        elif tag == "form" and values.get("action"):
            self.facts.links.append(Link(values["action"].strip(), "", "form"))
        elif tag == "input" and values.get("type", "").lower() == "password":
            self.facts.password_inputs += 1
        elif tag in {"script", "style"}:
            self._skip += 1
            if tag == "script":
                self.facts.scripts += 1
                self._in_script = True
                if values.get("src"):
                    self.facts.links.append(Link(values["src"].strip(), "", "script"))
        elif tag == "title":
            self._in_title = True
        elif tag in {"br", "p", "div", "tr", "li"}:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            href, text = self._anchor
            self.facts.links.append(Link(href, " ".join("".join(text).split()), "html"))
            self._anchor = None
        elif tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
            self._in_script = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.facts.script_text += data
        if self._skip:
            return
        if self._in_title:
            self.facts.title += data.strip()
        if self._anchor is not None:
            self._anchor[1].append(data)
        self._text.append(data)

    def result(self) -> HtmlFacts:
        self.facts.text = re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\r\f\v]+", " ", "".join(self._text))).strip()
        return self.facts


def read_html(html: str) -> HtmlFacts:
    reader = _HtmlReader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # the standard parser gives up on some broken markup; keep what it read
        pass
    return reader.result()


def links_in_text(text: str, source: str = "text") -> list[Link]:
    links = []
    for match in _TEXT_URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url.lower().startswith("www."):
            url = "http://" + url
        links.append(Link(url, "", source))
    return links


@dataclass
class LinkAnalysis:
    findings: list[Finding] = field(default_factory=list)
    spyware: set[str] = field(default_factory=set)


_EMBEDDED_URL = re.compile(r"https?://[^\s&\"'<>]+", re.IGNORECASE)


def analyse_link(link: Link, store: IndicatorStore, analysis: LinkAnalysis, redirects_followed: int = 0) -> None:
    url = link.url.strip()
    lowered = url.lower()
    if lowered.startswith("data:"):
        analysis.findings.append(said("URL-09", "data: URI link ({link}…)", severity="high", link=url[:60]))
        return
    if lowered.startswith(("mailto:", "tel:", "cid:", "#")) or not lowered:
        return
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = normalise_host(parts.hostname or "")
        userinfo = "@" in parts.netloc
    except ValueError:
        analysis.findings.append(said("URL-09", "link that cannot be parsed: {link}", link=repr(url[:80])))
        return
    if userinfo:
        analysis.findings.append(
            said("URL-09", "user name before the host hides the real destination {host}: {link}", "high", host=host,
                 link=url[:100])
        )
    for match in store.lookup_url(url):
        analysis.findings.append(finding("URL-01", f"{url[:120]} → {match.describe()}"))
        if store.category(match.feed) == "spyware":
            analysis.spyware.add(match.collection)
    if link.text:
        _anchor_mismatch(link, host, analysis)
    analysis.findings.extend(host_findings(host, context=url))
    if redirects_followed == 0:
        _embedded_destination(url, parts.path, parts.query, host, store, analysis)


def _embedded_destination(
    url: str, path: str, query: str, host: str, store: IndicatorStore, analysis: LinkAnalysis
) -> None:
    """A link that carries another address (``?url=https://…``) leads there: judge that address too.

    Open redirectors of trusted sites are how phishing links borrow a good name. Newsletters' click
    trackers do the same legitimately, so the redirect alone is only a weak sign; the destination's own
    findings carry the weight. Read from the text only: nothing is followed.
    """
    embedded = _EMBEDDED_URL.search(unquote(unquote(query))) or _EMBEDDED_URL.search(unquote(path[1:]))
    if embedded is None:
        return
    destination = embedded.group(0)
    try:
        destination_host = normalise_host(urlsplit(destination).hostname or "")
    except ValueError:
        return
    if not destination_host or registered_domain(destination_host) == registered_domain(host):
        return
    analysis.findings.append(
        said("URL-09", "{host} passes the reader on to {destination} ({link})", severity="low",
             title="Link redirects through one site to another", host=host, destination=destination_host,
             link=url[:100])
    )
    analyse_link(Link(destination, "", "redirect"), store, analysis, redirects_followed=1)


def _anchor_mismatch(link: Link, host: str, analysis: LinkAnalysis) -> None:
    shown = link.text.strip().lower()[:300]
    candidate = _TEXT_URL.search(shown) or re.match(r"^([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", shown)
    if not candidate:
        return
    shown_url = candidate.group(0)
    try:
        shown_host = normalise_host(urlsplit(shown_url if "://" in shown_url else "http://" + shown_url).hostname or "")
    except ValueError:
        return
    if shown_host and host and registered_domain(shown_host) != registered_domain(host):
        analysis.findings.append(
            said("URL-08", "link text shows {shown} but the link goes to {host}", severity="high",
                 title="Link text shows a different destination than the link", shown=shown_host, host=host)
        )


def host_findings(host: str, context: str = "") -> list[Finding]:
    """Heuristic indicators of a host name alone (no lookups of any kind leave the machine).

    ``context`` (the link the host came from) is appended to each finding's evidence.
    """
    if not context or context == host:
        return list(_host_findings(host))
    return [said_further(item, " in {context}", context=context[:120]) for item in _host_findings(host)]


@lru_cache(maxsize=16384)
def _host_findings(host: str) -> tuple[Finding, ...]:
    if not host:
        return ()
    if parse_ip(host) is not None:
        return (said("URL-09", "link to a bare IP address {host}", host=host),)
    findings: list[Finding] = []
    registered = registered_domain(host) or host
    if registered in shortener_domains() or host in shortener_domains():
        findings.append(said("URL-07", "{host} is a link shortener; its destination was not looked up", host=host))
        return tuple(findings)
    glyphs = homoglyph_host(host)
    if glyphs is not None:
        imitated = owning_brand(registered_domain(glyphs.imitates) or glyphs.imitates)
        findings.append(
            said("URL-04", "{host} is displayed as {shown} and imitates {imitated} ({brand})", host=host,
                 shown=glyphs.shown_as, imitated=glyphs.imitates, brand=imitated.name,
                 severity="high") if imitated else
            said("URL-04", "{host} is displayed as {shown} and imitates {imitated}", host=host,
                 shown=glyphs.shown_as, imitated=glyphs.imitates, severity="medium")
        )
    if owning_brand(host) is not None:
        return tuple(findings)  # the brand's own domain: look-alike checks do not apply
    in_subdomain = brand_in_subdomain(host)
    if in_subdomain is not None:
        findings.append(
            said("URL-03", "{host}: '{token}' ({brand}) sits in front of the unrelated domain {domain}", host=host,
                 token=in_subdomain.token, brand=in_subdomain.brand.name, domain=registered)
        )
    label = registered[: -len(public_suffix(registered) or "") - 1] if public_suffix(registered) else registered
    in_domain = brand_in_text(label)
    if in_domain is not None:
        findings.append(
            said("URL-02", "{domain} contains '{token}' ({brand}) but does not belong to it", domain=registered,
                 token=in_domain.token, brand=in_domain.brand.name)
        )
    else:
        squat = typosquat_of(registered)
        if squat is not None:
            findings.append(said("URL-05", "{domain} is one slip away from {imitated} ({brand})", domain=registered,
                                 imitated=squat[1], brand=squat[0].name))
    suffix = (public_suffix(host) or "").rsplit(".", 1)[-1]
    words = word_lists()
    if suffix in words.cheap_tlds:
        folded = unquote(host)
        hit = next((w for w in words.credential_words if w in folded), None)
        if hit is not None:
            findings.append(said("URL-06", "{host}: '{word}' on the .{suffix} domain", host=host, word=hit,
                                 suffix=suffix))
    return tuple(findings)


def form_host(host: str) -> str | None:
    """The free form or site builder this host belongs to, if any."""
    for candidate in word_lists().form_hosts:
        if host == candidate or host.endswith("." + candidate):
            return candidate
    return None
