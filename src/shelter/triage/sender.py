"""Sender checks EM-01…EM-08, EM-11 and the authority lure ATT-06: who the message claims to be from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz.distance import DamerauLevenshtein

from shelter.triage.catalogue import Brand, brands, freemail_domains, word_lists
from shelter.triage.domains import registered_domain, same_registered_domain, scripts, skeleton
from shelter.triage.lookalikes import brand_in_text, owning_brand, typosquat_of
from shelter.triage.mime import Mailbox, ParsedMessage
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import Finding, finding, said

# Results of each method from worst to best; "worst seen" decides the finding.
_RANK = {"fail": 0, "permerror": 1, "softfail": 2, "temperror": 3, "none": 4, "neutral": 5, "policy": 6, "pass": 7}
_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
_PROPERTY = re.compile(r"\b(header\.d|header\.i|header\.from|smtp\.mailfrom)\s*=\s*([^\s;()]+)", re.IGNORECASE)
_RECEIVED_SPF = re.compile(r"^\s*([a-z]+)", re.IGNORECASE)
_EMAIL_IN_TEXT = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


@dataclass
class AuthenticationResults:
    """Worst result per method across Authentication-Results (RFC 8601 and Exchange Online forms) and Received-SPF."""

    results: dict[str, list[str]] = field(default_factory=dict)
    properties: dict[str, list[str]] = field(default_factory=dict)

    def worst(self, method: str) -> str | None:
        values = self.results.get(method)
        return min(values, key=lambda v: _RANK.get(v, 5)) if values else None

    @property
    def passes(self) -> bool:
        seen = [self.worst(m) for m in ("spf", "dkim", "dmarc") if self.worst(m)]
        return bool(seen) and all(result == "pass" for result in seen)


def read_authentication(message: ParsedMessage) -> AuthenticationResults:
    auth = AuthenticationResults()
    for value in message.header_values("Authentication-Results"):
        for method, result in _RESULT.findall(value):
            auth.results.setdefault(method.lower(), []).append(result.lower())
        for key, prop in _PROPERTY.findall(value):
            auth.properties.setdefault(key.lower(), []).append(prop.strip('"').lower())
    for value in message.header_values("Received-SPF"):
        match = _RECEIVED_SPF.match(value)
        if match:
            auth.results.setdefault("spf", []).append(match.group(1).lower())
    return auth


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower() if "@" in address else ""


def _registered(domain: str) -> str:
    return registered_domain(domain) or domain


def sender_findings(message: ParsedMessage, store: IndicatorStore, spyware: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    auth = read_authentication(message)
    findings += _authentication_findings(auth, message.sender)
    findings += _alignment_findings(message)
    findings += _display_name_findings(message.sender)
    findings += _lookalike_findings(message)
    findings += _obfuscation_findings(message)
    findings += _lure_findings(message)
    addresses = [("From", message.sender.address), ("Return-Path", message.return_path)]
    addresses += [("Reply-To", box.address) for box in message.reply_to]
    for role, address in addresses:
        for match in store.lookup_email(address) if address else []:
            findings.append(finding("EM-11", f"{role} {address}: {match.describe()}"))
            if store.category(match.feed) == "spyware":
                spyware.add(match.collection)
    if auth.passes:
        findings.append(
            said("EM-10", "SPF, DKIM and DMARC pass: this proves only which service sent the message, not that it is safe")
        )
    return findings


def _authentication_findings(auth: AuthenticationResults, sender: Mailbox) -> list[Finding]:
    findings: list[Finding] = []
    spf = auth.worst("spf")
    if spf in {"fail", "softfail", "none", "neutral", "permerror"}:
        findings.append(
            said("EM-01", "spf={spf}: the sending server is not authorised for the sender's domain",
                 severity="high" if spf == "fail" else None, spf=spf)
        )
    dkim = auth.worst("dkim")
    signers = auth.properties.get("header.d", []) + auth.properties.get("header.i", [])
    if dkim in {"fail", "none", "permerror", "neutral"}:
        findings.append(finding("EM-02", f"dkim={dkim}", severity="low" if dkim == "none" else None))
    elif dkim == "pass" and signers and sender.domain:
        aligned = any(same_registered_domain(s.lstrip("@").rpartition("@")[2], sender.domain) for s in signers)
        if not aligned:
            findings.append(
                said("EM-02", "signed by {signers}, not by the From domain {domain}", severity="low",
                     signers=", ".join(sorted(set(signers))), domain=sender.domain)
            )
    dmarc = auth.worst("dmarc")
    if dmarc in {"fail", "permerror", "none", "temperror"}:
        claimed = ", ".join(sorted(set(auth.properties.get("header.from", [])))) or sender.domain
        findings.append(
            said("EM-03", "dmarc={dmarc} for {claimed}", dmarc=dmarc, claimed=claimed,
                    severity="high" if dmarc == "fail" else "low" if dmarc == "none" else None)
        )
    return findings


def _alignment_findings(message: ParsedMessage) -> list[Finding]:
    findings: list[Finding] = []
    from_domain = message.sender.domain
    if not from_domain:
        return findings
    for box in message.reply_to:
        reply_domain = box.domain
        if not reply_domain or same_registered_domain(reply_domain, from_domain):
            continue
        freemail = reply_domain in freemail_domains()
        findings.append(
            said(
                "EM-04",
                "Reply-To {reply_to} differs from From {sender} and is a free webmail address anyone can open"
                if freemail else "Reply-To {reply_to} differs from From {sender}",
                reply_to=box.address, sender=message.sender.address,
                severity="high" if freemail else None,
            )
        )
    envelope = _domain_of(message.return_path)
    if envelope and not same_registered_domain(envelope, from_domain):
        findings.append(said("EM-05", "Return-Path {return_path} vs From {sender}", return_path=message.return_path,
                             sender=message.sender.address))
    return findings


def _display_name_findings(sender: Mailbox) -> list[Finding]:
    findings: list[Finding] = []
    name = unicodedata.normalize("NFKC", sender.display_name).lower()
    if not name or not sender.address:
        return findings
    shown_addresses = [a.lower() for a in _EMAIL_IN_TEXT.findall(name[:500])]
    if any(shown != sender.address for shown in shown_addresses):
        findings.append(
            said("EM-06", "display name shows {shown} but the message is from {sender}", shown=shown_addresses[0],
                 sender=sender.address)
        )
        return findings
    own = owning_brand(sender.domain)
    for brand, pattern in _display_name_patterns():
        if pattern.search(name) and own is not brand:
            findings.append(
                said("EM-06", "display name {name} claims {brand}, sent from {domain}", name=repr(sender.display_name),
                     brand=brand.name, domain=sender.domain)
            )
            break
    return findings


@cache
def _display_name_patterns() -> tuple[tuple[Brand, re.Pattern[str]], ...]:
    """One pattern per brand matching any of its display-name phrases as whole words."""
    return tuple(
        (brand, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in brand.display_names) + r")(?!\w)"))
        for brand in brands()
        if brand.display_names
    )


def _lookalike_findings(message: ParsedMessage) -> list[Finding]:
    """Sender domains close to a brand domain or to another domain the same message claims."""
    findings: list[Finding] = []
    claimed = {a.rpartition("@")[2] for a in _EMAIL_IN_TEXT.findall(message.sender.display_name[:500].lower())}
    if message.sender.domain:
        claimed.add(message.sender.domain)
    reply_raw = " ".join(message.header_values("Reply-To"))
    boxes = [("From", message.sender, message.from_raw)] + [("Reply-To", box, reply_raw) for box in message.reply_to]
    for role, box, raw in boxes:
        domain = box.domain
        if not domain:
            continue
        as_written = _written_domain(raw or box.address, domain)
        for other in claimed - {domain}:
            if skeleton(as_written) == skeleton(other) or DamerauLevenshtein.distance(domain, other) <= 2:
                how = "look-alike characters" if skeleton(as_written) == skeleton(other) else "a few letters changed"
                findings.append(said("EM-07", "{role} domain {domain} imitates {imitated} ({how})", role=role,
                                     domain=as_written, imitated=other, how=how))
        if owning_brand(domain) is None:
            squat = typosquat_of(_registered(domain))
            label = _registered(domain).split(".")[0]
            token = brand_in_text(label)
            if squat is not None:
                findings.append(said("EM-07", "{role} domain {domain} imitates {imitated} ({how})", role=role,
                                     domain=domain, imitated=squat[1], how=squat[0].name))
            elif token is not None:
                findings.append(
                    said("EM-07", "{role} domain {domain} uses the name '{token}' ({brand})", severity="medium",
                         role=role, domain=domain, token=token.token, brand=token.brand.name)
                )
    return findings


def _written_domain(raw: str, lowered_domain: str) -> str:
    """The domain as written in the header (case kept), to see a capital I posing as l."""
    index = raw.lower().rfind("@" + lowered_domain) + 1 or raw.lower().rfind(lowered_domain)
    return raw[index : index + len(lowered_domain)] if index >= 0 else lowered_domain


def _obfuscation_findings(message: ParsedMessage) -> list[Finding]:
    findings = []
    for role, text in (("subject", message.subject), ("sender name", message.sender.display_name)):
        if not text:
            continue
        normalised = unicodedata.normalize("NFKC", text)
        styled = [c for c in text if 0x1D400 <= ord(c) <= 0x1D7FF or 0xFF01 <= ord(c) <= 0xFF5E]
        if styled:
            findings.append(
                said("EM-08", "{role} written in styled Unicode letters that read as {reading}", role=role,
                     reading=repr(normalised[:80]))
            )
            continue
        mixed = [w for w in re.findall(r"\w+", text) if len(scripts(w) - {"UNKNOWN"}) > 1]
        if mixed:
            findings.append(said("EM-08", "{role} mixes alphabets inside words: {words}", role=role,
                                 words=", ".join(mixed[:3])))
            continue
        disguised = [w for w in re.findall(r"[A-Za-z]+", text) if re.search(r"[a-z]I|I[a-z]*I|^I[a-z]*[A-Z]", w)]
        brand = brand_in_text(" ".join(disguised)) if disguised else None
        if brand is not None and brand_in_text(text.lower()) is None:
            findings.append(
                said("EM-08", "{role} spells {brand} with look-alike letters: {words}", role=role,
                     brand=brand.brand.name, words=" ".join(disguised)[:60])
            )
    return findings


@cache
def _lure_pattern() -> re.Pattern[str]:
    """Lure words at the start of a word; a word listed with a trailing space must end there."""
    alternatives = [
        re.escape(word.strip()) + (r"(?!\w)" if word.endswith(" ") else "")
        for word in sorted(word_lists().authority_lure_words, key=len, reverse=True)
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


def _lure_findings(message: ParsedMessage) -> list[Finding]:
    sender_brand = owning_brand(message.sender.domain) if message.sender.domain else None
    if sender_brand is not None and sender_brand.kind == "state":
        return []
    visible = f"{message.subject} {message.sender.display_name}".lower()
    body = message.text[:3000].lower()
    in_headers = sorted({m.group(0).strip() for m in _lure_pattern().finditer(visible)})
    in_body = sorted({m.group(0).strip() for m in _lure_pattern().finditer(body)} - set(in_headers))
    if not in_headers and not in_body:
        return []
    # Named in the subject or sender name, the authority is the lure; named only in the text, it may be news.
    return [
        said(
            "ATT-06", "mentions {names} but is not sent from that authority's domain",
            severity=None if in_headers else "low", names=", ".join((in_headers + in_body)[:4]),
        )
    ]
