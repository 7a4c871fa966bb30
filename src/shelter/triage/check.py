"""``check_value``: one URL, domain, IP address, e-mail address or file hash, judged offline."""

from __future__ import annotations

from urllib.parse import urlsplit

from shelter.triage.feed_formats import classify_value, refang
from shelter.triage.links import Link, LinkAnalysis, analyse_link, host_findings
from shelter.triage.store import IndicatorMatch, IndicatorStore
from shelter.triage.verdict import Verdict, build_verdict, finding


class UnrecognisedValue(ValueError):
    """The value is none of the kinds ``check_value`` understands."""


def check_value(value: str, store: IndicatorStore | None = None) -> Verdict:
    if store is None:
        from shelter.triage.feeds import default_store

        store = default_store()
    text = refang(value.strip())
    classified = classify_value(text) if text else None
    if classified is None and text.lower().startswith("data:"):
        classified = ("url", text)
    if classified is None:
        raise UnrecognisedValue(
            f"{value[:80]!r} is not a URL, domain, IP address, e-mail address or MD5/SHA-1/SHA-256 hash"
        )
    kind, normalised = classified
    analysis = LinkAnalysis()
    if kind == "url":
        try:
            host = (urlsplit(text).hostname or "").strip()
        except ValueError as error:
            raise UnrecognisedValue(f"{value[:80]!r} is not a well-formed URL ({error})") from error
        if not host and not text.lower().startswith("data:"):
            raise UnrecognisedValue(f"{value[:80]!r} is a URL without a host name")
        analyse_link(Link(text), store, analysis)
    elif kind in {"domain", "ip"}:
        _record_matches("URL-01", normalised, store.lookup_host(normalised), store, analysis)
        if kind == "domain":
            analysis.findings += host_findings(normalised)
    elif kind == "email":
        _record_matches("EM-11", normalised, store.lookup_email(normalised), store, analysis)
        analysis.findings += host_findings(normalised.rpartition("@")[2])
    elif kind in {"md5", "sha1", "sha256"}:
        _record_matches("ATT-05", normalised, store.lookup_hash(normalised), store, analysis)
    else:  # an IP range: a feed may hold ranges, but a person checks one address they saw
        raise UnrecognisedValue(f"{value[:80]!r} is an IP range; check single addresses")
    return build_verdict(analysis.findings, analysis.spyware, checked="value")


def _record_matches(
    indicator_id: str, value: str, matches: list[IndicatorMatch], store: IndicatorStore, analysis: LinkAnalysis
) -> None:
    for match in matches:
        analysis.findings.append(finding(indicator_id, f"{value}: {match.describe()}"))
        if store.category(match.feed) == "spyware":
            analysis.spyware.add(match.collection)
