"""Findings, the verdict built from them, and the advice shown to the person targeted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from shelter.triage.catalogue import SEVERITIES, advice_catalogue, indicator_catalogue

MALICIOUS = "malicious"
SUSPICIOUS = "suspicious"
NO_INDICATORS_FOUND = "no_indicators_found"

# Score at or above which a message is called malicious without a direct indicator match:
# e.g. a lookalike sender plus a dangerous attachment.
MALICIOUS_SCORE = 70
SUSPICIOUS_SCORE = 15

# Which findings call for which advice beyond the general lines.
_CREDENTIAL_IDS = frozenset(
    {"EM-04", "EM-06", "EM-07", "EM-11", "URL-01", "URL-02", "URL-03", "URL-04", "URL-05", "URL-06", "URL-08", "ATT-04"}
)
_MALWARE_IDS = frozenset({"ATT-01", "ATT-02", "ATT-03", "ATT-05"})


@dataclass(frozen=True)
class Finding:
    id: str  # indicator id from the catalogue, e.g. "EM-03", "URL-02", "ATT-04"
    severity: str  # critical | high | medium | low | info
    title: str
    evidence: str
    reference: str
    # The evidence in Shelter's own words as a message id (English, with {named} fields holding what was checked:
    # addresses, hosts, links, names) and its fields, so that a page can say it in the reader's language;
    # ``evidence`` is the English. Empty for evidence that is only what was found (a feed's entry, a header).
    message: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "fields": [list(pair) for pair in self.fields]}


def finding(indicator_id: str, evidence: str, severity: str | None = None, title: str | None = None) -> Finding:
    """A finding for a catalogued indicator; severity and title default to the catalogue's."""
    definition = indicator_catalogue().indicators[indicator_id]
    chosen = severity or definition.severity
    if chosen not in SEVERITIES:
        raise ValueError(f"unknown severity {chosen!r}")
    return Finding(indicator_id, chosen, title or definition.title, evidence, definition.reference)


def said(indicator_id: str, message: str, severity: str | None = None, title: str | None = None,
         **fields: str) -> Finding:
    """A finding whose evidence is Shelter's own sentence: ``message`` with its ``fields`` filled in, kept apart so
    that it can be translated. Keep each message one literal string."""
    found = finding(indicator_id, message.format(**fields), severity, title)
    return replace(found, message=message, fields=tuple(fields.items()))


def said_further(found: Finding, suffix: str, **fields: str) -> Finding:
    """``found`` with more of Shelter's words after its evidence (``suffix`` a message with its own fields)."""
    evidence = found.evidence + suffix.format(**fields)
    if not found.message:
        return replace(found, evidence=evidence)
    return replace(found, evidence=evidence, message=found.message + suffix, fields=found.fields + tuple(fields.items()))


@dataclass(frozen=True)
class Verdict:
    verdict: str  # "malicious" | "suspicious" | "no_indicators_found"
    score: int  # 0..100
    findings: tuple[Finding, ...]
    advice: dict[str, list[str]]  # {"en": [...], "ru": [...]}
    spyware: tuple[str, ...] = ()  # names of spyware families whose indicators matched

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
            "advice": {lang: list(lines) for lang, lines in self.advice.items()},
            "spyware": list(self.spyware),
        }


def build_verdict(findings: Iterable[Finding], spyware: Iterable[str] = (), *, checked: str = "message") -> Verdict:
    """Score the findings and choose the verdict and advice.

    Each distinct indicator id counts once, at its highest severity, so that fifty tracking links do
    not outweigh one lookalike sender. ``checked`` is "message" for an e-mail, "value" for a link, address or
    hash checked on its own: the advice then speaks of that, not of a message.
    """
    unique: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for item in findings:
        key = (item.id, item.evidence)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    weights = indicator_catalogue().weights
    strongest: dict[str, int] = {}
    for item in unique:
        strongest[item.id] = max(strongest.get(item.id, 0), weights[item.severity])
    score = min(100, sum(strongest.values()))
    if any(item.severity == "critical" for item in unique) or score >= MALICIOUS_SCORE:
        label = MALICIOUS
    elif score >= SUSPICIOUS_SCORE or any(item.severity == "high" for item in unique):
        label = SUSPICIOUS
    else:
        label = NO_INDICATORS_FOUND
    ordered = tuple(sorted(unique, key=lambda f: (SEVERITIES.index(f.severity), f.id)))
    families = tuple(sorted(set(spyware)))
    return Verdict(label, score, ordered, _advice(label, ordered, families, checked), families)


def _advice(
    label: str, findings: tuple[Finding, ...], spyware: tuple[str, ...], checked: str = "message"
) -> dict[str, list[str]]:
    catalogue = advice_catalogue()
    situations = ["no_indicators"] if label == NO_INDICATORS_FOUND else ["general"]
    ids = {f.id for f in findings if f.severity != "info"}
    if label != NO_INDICATORS_FOUND:
        if ids & _CREDENTIAL_IDS:
            situations.append("credentials")
        if ids & _MALWARE_IDS:
            situations.append("malware")
        if spyware:
            situations.append("spyware")
    situations.append("help")
    # A situation may have its own words for a value checked on its own ("general_value").
    situations = [f"{s}_{checked}" if f"{s}_{checked}" in catalogue else s for s in situations]
    return {lang: [line for s in situations for line in catalogue[s][lang]] for lang in ("en", "ru")}
