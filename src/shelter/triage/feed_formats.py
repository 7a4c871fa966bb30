"""Reading indicator feeds: STIX 2.x bundles and plain lists, into (kind, value, collection) entries.

Kinds: ``url``, ``domain``, ``ip``, ``network``, ``email``, ``md5``, ``sha1``, ``sha256``.
Device-only indicator types (process names, app ids, certificates, profiles) are counted, not indexed:
they belong to device forensics, which Shelter leaves to dedicated tools.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from shelter.intake import DOMAIN, URL, InputRefused, parse_json, text_problem
from shelter.triage.domains import normalise_host, parse_ip


class FeedError(ValueError):
    """A feed file cannot be read; the message says which file, where and why."""


@dataclass(frozen=True)
class FeedEntry:
    kind: str
    value: str
    collection: str


@dataclass
class ParsedFeed:
    entries: list[FeedEntry] = field(default_factory=list)
    device_only: int = 0  # indicators only meaningful on a device (left to device forensics)
    unsupported: list[str] = field(default_factory=list)  # patterns this reader does not understand


HASH_KINDS = {32: "md5", 40: "sha1", 64: "sha256"}
_HEX = re.compile(r"^[0-9a-f]+$")
_HOST_CHARS = re.compile(r"^[a-z0-9_.\-]+$")

# One comparison ``object:path = 'value'``; values may hold '=' and escaped quotes.
_COMPARISON = re.compile(r"([a-z0-9\-]+):([A-Za-z0-9_.'\-]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
# What may remain between comparisons in a pattern we accept: brackets, parentheses and OR.
_JOINERS = re.compile(r"^[\s\[\]()]*(?:OR[\s\[\]()]*)*$")

_DEVICE_OBJECTS = {"process", "app", "configuration-profile", "android-property", "file:name", "file:path"}


def normalise_url(url: str) -> str:
    """Canonical form for exact URL comparison: scheme and host lower-cased, default port and fragment dropped."""
    try:
        parts = urlsplit(url.strip())
        host = normalise_host(parts.hostname or "")
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = host
    if ":" in host:
        netloc = f"[{host}]"
    if port and not (parts.scheme == "http" and port == 80 or parts.scheme == "https" and port == 443):
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    if path == "/" and not parts.query:
        path = ""
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


_DEFANGED = [
    (re.compile(r"^h(?:xx|\*\*|XX)p(s?)(\[?:\]?)//", re.IGNORECASE), r"http\1://"),
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)", re.IGNORECASE), "."),
    (re.compile(r"\[:\]"), ":"),
    (re.compile(r"\[@\]|\[at\]|\(at\)", re.IGNORECASE), "@"),
]


def refang(value: str) -> str:
    """Undo the 'defanging' researchers use when sharing indicators: ``hxxps://evil[.]example`` → ``https://evil.example``."""
    for pattern, replacement in _DEFANGED:
        value = pattern.sub(replacement, value)
    return value


def classify_value(raw: str) -> tuple[str, str] | None:
    """(kind, normalised value) of a plain value, or None when it is none of the supported kinds."""
    value = raw.strip()
    if not value or text_problem(value, URL):
        return None
    lowered = value.lower()
    if "://" in value:
        return "url", normalise_url(value)
    if "@" in value and " " not in value:
        local, _, domain = value.rpartition("@")
        if local and "." in domain:
            return "email", f"{local.lower()}@{normalise_host(domain)}"
        return None
    if len(lowered) in HASH_KINDS and _HEX.match(lowered):
        return HASH_KINDS[len(lowered)], lowered
    address = parse_ip(value)
    if address is not None:
        return "ip", str(address)
    if "/" in value:
        try:
            return "network", str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            return None
    if text_problem(value, DOMAIN):
        return None
    host = normalise_host(value)
    if "." in host and _HOST_CHARS.match(host):
        return "domain", host
    return None


def read_plain_list(text: str, collection: str, source_name: str) -> ParsedFeed:
    """One value per line; '#' starts a comment. Any line that is not a value is an error with its number."""
    parsed = ParsedFeed()
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        problem = text_problem(content, URL)
        if problem:
            errors.append(f"{source_name}, line {number}: the value {problem}")
            continue
        classified = classify_value(refang(content))
        if classified is None:
            errors.append(
                f"{source_name}, line {number}: {content[:80]!r} is not a domain, IP address, network, URL,"
                " e-mail address or MD5/SHA-1/SHA-256 hash"
            )
            continue
        parsed.entries.append(FeedEntry(classified[0], classified[1], collection))
    if errors:
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise FeedError("; ".join(errors[:5]) + more)
    return parsed


def read_stix_bundle(text: str, default_collection: str, source_name: str) -> ParsedFeed:
    """Indicators of a STIX 2.x bundle, each attributed to the malware, campaign or report it belongs to."""
    try:
        bundle = parse_json(text, source_name)
    except InputRefused as error:
        raise FeedError(str(error)) from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise FeedError(f"{source_name}: not a STIX 2 bundle (expected an object with type 'bundle' and 'objects')")
    objects = [o for o in bundle["objects"] if isinstance(o, dict)]
    names = {
        o["id"]: str(o.get("name") or o["id"])
        for o in objects
        if o.get("type") in {"malware", "report", "campaign", "intrusion-set", "tool", "threat-actor"} and "id" in o
    }
    collection_of: dict[str, str] = {}
    for o in objects:
        if o.get("type") == "relationship" and o.get("target_ref") in names:
            collection_of.setdefault(str(o.get("source_ref")), names[o["target_ref"]])
        if o.get("type") == "report":
            for ref in o.get("object_refs") or []:
                collection_of.setdefault(str(ref), names.get(o.get("id", ""), default_collection))
    parsed = ParsedFeed()
    for o in objects:
        if o.get("type") != "indicator":
            continue
        pattern = o.get("pattern")
        if o.get("pattern_type", "stix") != "stix" or not isinstance(pattern, str):
            parsed.unsupported.append(str(pattern)[:120])
            continue
        collection = collection_of.get(str(o.get("id")), str(o.get("name") or default_collection))
        try:
            _read_pattern(pattern, collection, parsed)
        except FeedError as error:
            raise FeedError(f"{source_name}, indicator {str(o.get('id'))[:80]}: {error}") from None
    return parsed


def _read_pattern(pattern: str, collection: str, parsed: ParsedFeed) -> None:
    comparisons = list(_COMPARISON.finditer(pattern))
    leftover = _COMPARISON.sub("", pattern)
    if not comparisons or not _JOINERS.match(leftover):
        # AND, FOLLOWEDBY, LIKE, MATCHES, ...: a match would need more than one value at once.
        parsed.unsupported.append(pattern[:120])
        return
    for comparison in comparisons:
        object_type, path, raw_value = comparison.groups()
        value = raw_value.replace("\\'", "'").replace("\\\\", "\\")
        problem = text_problem(value, DOMAIN if object_type == "domain-name" else URL)
        if problem:
            raise FeedError(f"the {object_type} value {problem}")
        entry = _entry_for(object_type, path.replace("'", "").lower(), value, collection)
        if entry is None:
            if object_type in _DEVICE_OBJECTS or f"{object_type}:{path.split('.')[0]}" in _DEVICE_OBJECTS:
                parsed.device_only += 1
            else:
                parsed.unsupported.append(comparison.group(0)[:120])
        else:
            parsed.entries.append(entry)


def _entry_for(object_type: str, path: str, value: str, collection: str) -> FeedEntry | None:
    if object_type == "file" and path.startswith("hashes."):
        algorithm = path.split(".", 1)[1].replace("-", "")
        lowered = value.strip().lower()
        if algorithm in {"md5", "sha1", "sha256"} and _HEX.match(lowered):
            return FeedEntry(algorithm, lowered, collection)
        return None
    if path != "value":
        return None
    if object_type in {"domain-name", "ipv4-addr", "ipv6-addr"}:
        # Feeds declare IP addresses as domain names and vice versa: trust the value, not the type.
        classified = classify_value(value)
        if classified and classified[0] in {"ip", "network", "domain"}:
            return FeedEntry(classified[0], classified[1], collection)
        return None
    if object_type == "url":
        return FeedEntry("url", normalise_url(value), collection)
    if object_type == "email-addr":
        classified = classify_value(value)
        return FeedEntry("email", classified[1], collection) if classified and classified[0] == "email" else None
    return None
