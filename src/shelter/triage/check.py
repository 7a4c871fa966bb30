"""``check_value``: one URL, domain, IP address, e-mail address or file hash, judged offline."""

from __future__ import annotations

from urllib.parse import urlsplit

from shelter.triage.feed_formats import classify_value
from shelter.triage.links import Link, LinkAnalysis, analyse_link, host_findings
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Verdict, build_verdict, finding


class UnrecognisedValue(ValueError):
    """The value is none of the kinds ``check_value`` understands."""


def check_value(value: str, store: IndicatorStore | None = None) -> Verdict:
    if store is None:
        from shelter.triage.feeds import default_store

        store = default_store()
    text = value.strip()
    classified = classify_value(text) if text else None
    if classified is None and text.lower().startswith("data:"):
        classified = ("url", text)
    if classified is None:
        raise UnrecognisedValue(
            f"{value[:80]!r} is not a URL, domain, IP address, e-mail address or MD5/SHA-1/SHA-256 hash"
        )
    kind, normalised = classified
    analysis = LinkAnalysis()
    if kind in {"url", "domain", "ip"}:
        url = text if kind == "url" else f"http://{normalised}"
        if kind == "url" and not (urlsplit(text).hostname or "").strip() and not text.lower().startswith("data:"):
            raise UnrecognisedValue(f"{value[:80]!r} is a URL without a host name")
        analyse_link(Link(url), store, analysis)
        if kind != "url":  # the evidence should name what the user typed, not a made-up URL
            analysis.findings = [f for f in analysis.findings if f.id not in {"URL-09"} or kind == "ip"]
    elif kind == "email":
        for match in store.lookup_email(normalised):
            analysis.findings.append(finding("EM-11", f"{normalised}: {match.describe()}"))
            if store.category(match.feed) == "spyware":
                analysis.spyware.add(match.collection)
        analysis.findings += host_findings(normalised.rpartition("@")[2])
    elif kind in {"md5", "sha1", "sha256"}:
        for match in store.lookup_hash(normalised):
            analysis.findings.append(finding("ATT-05", f"{normalised}: {match.describe()}"))
            if store.category(match.feed) == "spyware":
                analysis.spyware.add(match.collection)
    else:  # an IP range: look up the addresses it starts with
        raise UnrecognisedValue(f"{value[:80]!r} is an IP range; check single addresses")
    return build_verdict(analysis.findings, analysis.spyware)
