"""Host names: normalisation, registered domain (bundled public suffix list, never downloaded), skeletons."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import cache, lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from shelter.triage.catalogue import homoglyphs


@cache
def _suffix_list() -> PublicSuffixList:
    # The constructor with no source reads the snapshot shipped inside the package: no network.
    return PublicSuffixList()


@lru_cache(maxsize=65536)
def normalise_host(host: str) -> str:
    """Lower-case ASCII form of a host: trailing dot and IPv6 brackets removed, IDN labels in punycode."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # not a valid IDN: keep the Unicode form so it can still be compared and reported
    return host


@lru_cache(maxsize=65536)
def unicode_host(host: str) -> str:
    """The host as a person would see it: punycode labels decoded."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


# scheme://[userinfo@]host — the common shape, read without the cost of a full URL parser.
# After the host only a port may follow before the path: an "@" there means the host was user information
# (http://0:@ has no host), which the full parser below decides.
_URL_HOST = re.compile(
    r"^\s*[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@\s]*@)?([^/?#:@\s\[\]]+)(?=(?::[^/?#@]*)?(?:[/?#]|\s*$))"
)


def url_host(url: str) -> str:
    """The host of a URL ('' when it has none); the full parser handles IPv6 literals and odd forms."""
    match = _URL_HOST.match(url)
    if match:
        return match.group(1)
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


@lru_cache(maxsize=65536)
def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip("[]")
    # Most values are host names: skip the (slow, exception-raising) address parser for them.
    if not value or not (value[0].isdigit() or ":" in value):
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str | None:
    """The registrable part of a host (``passport.yandex.ru.com-auth.site`` → ``com-auth.site``).

    Private suffixes such as ``web.app`` count as suffixes, so each customer site is its own domain.
    """
    if not host or parse_ip(host) is not None:
        return None
    result = _suffix_list().privatesuffix(host)
    return result if isinstance(result, str) else None


def same_registered_domain(first: str, second: str) -> bool:
    """Whether two hosts belong to the same registrant (``mail.example.org`` and ``example.org``)."""
    return (registered_domain(first) or first) == (registered_domain(second) or second)


@lru_cache(maxsize=65536)
def public_suffix(host: str) -> str | None:
    result = _suffix_list().publicsuffix(host)
    return result if isinstance(result, str) else None


@lru_cache(maxsize=65536)
def parent_domains(host: str) -> tuple[str, ...]:
    """The host and each parent down to its registered domain, most specific first."""
    registered = registered_domain(host)
    if registered is None:
        return (host,) if host else ()
    parents: list[str] = []
    current = host
    while True:
        parents.append(current)
        if current == registered or "." not in current:
            break
        current = current.split(".", 1)[1]
    return tuple(parents)


@lru_cache(maxsize=65536)
def host_candidates(host: str) -> tuple[tuple[str, str], ...] | None:
    """(domain, how it relates to the host) to look up for a host, most specific first; None for an IP.

    Memoised because the same hosts recur across messages and lookups.
    """
    normalised = normalise_host(host)
    if parse_ip(normalised) is not None:
        return None
    registered = registered_domain(normalised)
    candidates = []
    for position, candidate in enumerate(parent_domains(normalised)):
        how = "host" if position == 0 else "registered domain" if candidate == registered else "parent domain"
        candidates.append((candidate, how))
    return tuple(candidates)


def skeleton(text: str) -> str:
    """Fold a string to the Latin letters it imitates: NFKC, homoglyphs and digit-for-letter swaps.

    ``аррӏе`` (Cyrillic), ``goog1e`` and ``ɡmail`` all fold to their Latin look-alike.
    The input's case matters: a capital ``I`` imitates ``l`` and is folded before lower-casing.
    """
    table = homoglyphs()
    folded = unicodedata.normalize("NFKC", text)
    for sequence in _sequences():
        folded = folded.replace(sequence, table[sequence])
    return "".join(table.get(char, char) for char in folded).lower()


@cache
def _sequences() -> tuple[str, ...]:
    return tuple(key for key in homoglyphs() if len(key) > 1)


def scripts(text: str) -> set[str]:
    """Names of the writing systems of the letters in ``text`` (LATIN, CYRILLIC, GREEK, ...)."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found
