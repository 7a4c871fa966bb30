"""``analyse_email``: a raw message in, a verdict and the safe-to-display facts of an ``EmailReport`` out."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from shelter.triage.attachments import FileFacts, analyse_file
from shelter.triage.catalogue import freemail_domains
from shelter.triage.domains import registered_domain, same_registered_domain
from shelter.triage.links import Link, LinkAnalysis, analyse_link, form_host, links_in_text, read_html
from shelter.triage.mime import parse_mailbox, parse_message
from shelter.triage.sender import sender_findings
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Finding, Verdict, build_verdict, finding, said

# A message with more links than this is still analysed, but only these many links are checked one by one.
MAX_LINKS_CHECKED = 500
# Structural defects that matter; header-only defects of the tolerant parser say little about intent.
_STRUCTURAL_DEFECTS = {
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
    "InvalidMultipartContentTransferEncodingDefect",
    "NoBoundaryInMultipartDefect",
    "MissingHeaderBodySeparatorDefect",
    "FirstHeaderLineIsContinuationDefect",
    "MisplacedEnvelopeHeaderDefect",
}


@dataclass(frozen=True)
class LinkFacts:
    url: str
    host: str
    registered_domain: str
    text: str
    source: str


@dataclass(frozen=True)
class EmailReport:
    """What a report page may show: nothing here is HTML to render or a file to open."""

    verdict: Verdict
    subject: str
    sender: str
    headers: list[tuple[str, str]]
    text: str  # plain text body (from the HTML part, tags stripped, when there is no text part)
    links: list[LinkFacts]
    attachments: list[FileFacts]
    sha256: str  # of the raw message, to store it content-addressed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, and storable as JSON by any database: no NUL characters, no lone surrogates."""
        document: dict[str, Any] = _storable(
            {
                "verdict": self.verdict.to_dict(),
                "subject": self.subject,
                "sender": self.sender,
                "headers": [[name, value] for name, value in self.headers],
                "text": self.text,
                "links": [asdict(link) for link in self.links],
                "attachments": [asdict(attachment) for attachment in self.attachments],
                "sha256": self.sha256,
            }
        )
        return document


def _storable(value: Any) -> Any:
    """Hostile messages carry NULs and undecodable bytes; PostgreSQL's jsonb refuses both."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", errors="replace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    return value


def analyse_email(raw: bytes, store: IndicatorStore | None = None) -> EmailReport:
    """Parse and judge one message, in memory, offline."""
    if store is None:
        from shelter.triage.feeds import default_store

        store = default_store()
    message = parse_message(raw)
    analysis = LinkAnalysis()
    analysis.findings += sender_findings(message, store, analysis.spyware)

    html = read_html(message.html) if message.html else None
    links: list[Link] = []
    if html is not None:
        links += html.links
        for pixel in html.tracking_images[:1]:
            analysis.findings.append(
                said("URL-08", "1×1 remote image {image}: loading images tells the sender the message was read",
                     severity="low", title="Tracking image", image=pixel[:100])
            )
    links += links_in_text(message.text)
    _mailto_buttons(links, message.sender.domain, analysis.findings)
    first_of_each: dict[str, Link] = {}
    for link in links:
        first_of_each.setdefault(link.url, link)  # the HTML anchor (with its text) wins over the same URL in text
    unique_links = list(first_of_each.values())
    link_domains: dict[int, str] = {}  # finding position → domain of the link it is about
    for link in unique_links[:MAX_LINKS_CHECKED]:
        first = len(analysis.findings)
        analyse_link(link, store, analysis)
        for position in range(first, len(analysis.findings)):
            link_domains[position] = registered_domain(link.host) or link.host or link.url
    _abused_services(unique_links, analysis.findings)

    attachments = [
        _with_origin(analyse_file(part.filename, part.payload, store, analysis), part.content_type, part.found_by)
        for part in message.attachments
    ]
    structural = sorted(message.defects & _STRUCTURAL_DEFECTS)
    if structural or message.parser_disagreement:
        evidence = "; ".join(structural + message.parser_disagreement)
        analysis.findings.append(
            finding("EM-09", evidence, severity="medium" if message.parser_disagreement else None)
        )

    findings = _collapse(analysis.findings, link_domains)
    if not any(f.severity != "info" for f in findings):
        findings = []  # "authentication passes" alone is no finding
    verdict = build_verdict(findings, analysis.spyware)
    text = message.text or (html.text if html is not None else "")
    return EmailReport(
        verdict=verdict,
        subject=message.subject,
        sender=message.from_raw,
        headers=message.headers,
        text=text,
        links=[_link_facts(link) for link in unique_links],
        attachments=attachments,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _with_origin(facts: FileFacts, content_type: str, found_by: str) -> FileFacts:
    facts.content_type = content_type
    facts.found_by = found_by
    return facts


def _link_facts(link: Link) -> LinkFacts:
    host = link.host
    return LinkFacts(link.url, host, registered_domain(host) or host, link.text, link.source)


def _mailto_buttons(links: list[Link], sender_domain: str, findings: list[Finding]) -> None:
    for link in links:
        if not link.url.lower().startswith("mailto:"):
            continue
        target = parse_mailbox(link.url[7:].split("?", 1)[0]).address
        domain = target.rpartition("@")[2]
        if not domain or same_registered_domain(domain, sender_domain):
            continue
        if link.text.strip().lower() == target:
            continue  # an address shown as itself (a signature), not a button hiding where it writes
        freemail = domain in freemail_domains()
        findings.append(
            said(
                "URL-08",
                "button {button} writes an e-mail to {target}, a free webmail address" if freemail
                else "button {button} writes an e-mail to {target}, not to the sender's domain",
                button=repr(link.text[:40]), target=target,
                severity="high" if freemail else "medium",
                title="Button writes an e-mail to another address",
            )
        )
        return


def _abused_services(links: list[Link], findings: list[Finding]) -> None:
    hosts = sorted({host for link in links if (host := form_host(link.host))})
    if hosts:
        findings.append(
            said(
                "EM-10",
                "links to {hosts}: free form and site builders are used to collect passwords under a trusted name",
                hosts=", ".join(hosts[:3]),
                severity="medium",
            )
        )


# A reader needs examples, not every one of a thousand links: more findings of one id are summarised.
MAX_FINDINGS_PER_INDICATOR = 10


def _collapse(findings: list[Finding], link_domains: dict[int, str]) -> list[Finding]:
    """One finding per indicator and linked domain, so a newsletter's hundred links read as one reason."""
    kept: list[Finding] = []
    keys: set[tuple[str, str]] = set()
    per_id: dict[str, int] = {}
    for position, item in enumerate(findings):
        key = (item.id, link_domains.get(position, item.evidence))
        if key in keys:
            continue
        keys.add(key)
        per_id[item.id] = per_id.get(item.id, 0) + 1
        if per_id[item.id] <= MAX_FINDINGS_PER_INDICATOR:
            kept.append(item)
    for indicator_id, count in per_id.items():
        if count > MAX_FINDINGS_PER_INDICATOR:
            example = next(f for f in kept if f.id == indicator_id)
            more = count - MAX_FINDINGS_PER_INDICATOR
            kept.append(dataclasses.replace(example, evidence=f"and {more} more like the above",
                                            message="and {more} more like the above", fields=(("more", str(more)),)))
    return kept
