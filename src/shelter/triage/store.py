"""The indicator store: feeds compiled into hash-table indexes, cached on disk as JSON.

Lookups are dictionary hits (constant time). The compiled index is rebuilt only when a feed file
changes (size or modification time), so loading every feed from cache takes milliseconds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from shelter.triage.domains import host_candidates, normalise_host, parse_ip, url_host
from shelter.triage.feed_formats import (
    HASH_KINDS,
    FeedError,
    ParsedFeed,
    classify_value,
    normalise_url,
    read_plain_list,
    read_stix_bundle,
)

CACHE_FORMAT = 1
_HEX = re.compile(r"^[0-9a-f]+$")
FEED_FORMATS = ("stix2", "list")


@dataclass(frozen=True)
class FeedSpec:
    """A feed file and what is known about it."""

    id: str
    path: Path
    format: str  # "stix2" | "list"
    name: str
    licence: str = "unknown"
    attribution: str = ""
    url: str = ""  # where `feeds update` fetches it; empty for feeds the user added
    origin: str = "shipped"  # "shipped" | "updated" | "added"
    category: str = "user"  # "spyware" | "phishing" | "user"


@dataclass(frozen=True)
class FeedSummary:
    spec: FeedSpec
    indicators: int
    device_only: int
    unsupported: int


class IndicatorMatch(NamedTuple):  # a tuple: built for every hit, so it must be cheap to create
    kind: str  # url | domain | ip | network | email | md5 | sha1 | sha256
    value: str  # the indicator's value
    matched_on: str  # what matched: "exact URL", "host", "parent domain", "registered domain", "IP", ...
    feed: str
    collection: str  # malware, campaign or report the indicator belongs to

    def describe(self) -> str:
        return f"{self.value} ({self.collection}, feed {self.feed}, matched on {self.matched_on})"


class IndicatorStore:
    """Constant-time lookups of URLs, hosts, IPs, e-mail addresses and hashes against loaded feeds."""

    def __init__(
        self,
        index: dict[str, dict[str, list[int]]],
        sources: list[tuple[str, str]],
        networks: list[tuple[str, list[int]]],
        summaries: Sequence[FeedSummary] = (),
    ) -> None:
        self._index = index
        self._sources = sources
        self._networks = [(ipaddress.ip_network(n), ids) for n, ids in networks]
        self.summaries = tuple(summaries)
        self._categories = {summary.spec.id: summary.spec.category for summary in self.summaries}

    def category(self, feed_id: str) -> str:
        """``spyware``, ``phishing`` or ``user`` for the feed an indicator came from."""
        return self._categories.get(feed_id, "user")

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_feeds(cls, specs: Sequence[FeedSpec], cache_path: Path | None = None) -> IndicatorStore:
        """Load feeds, from the compiled cache when it is current, else compile and refresh the cache."""
        fingerprint = _fingerprint(specs)
        if cache_path is not None:
            cached = _read_cache(cache_path, fingerprint, specs)
            if cached is not None:
                return cached
        store, payload = _compile(specs)
        if cache_path is not None:
            payload["fingerprint"] = fingerprint
            try:
                write_atomically(cache_path, json.dumps(payload, separators=(",", ":")))
            except OSError:
                pass  # a read-only SHELTER_HOME only costs the next load a recompile
        return store

    @classmethod
    def from_values(cls, values: Iterable[str], collection: str = "test list") -> IndicatorStore:
        """A store built from plain values (handy for a caseworker's own list and for tests)."""
        parsed = read_plain_list("\n".join(values), collection, collection)
        builder = _IndexBuilder()
        builder.add(collection, parsed)
        return cls(builder.index, builder.sources, builder.network_list())

    # -- lookups ------------------------------------------------------------------------------

    def values(self, kind: str) -> list[str]:
        """The indexed values of one kind (``domain``, ``ip``, ``url``, ``email``, ``md5``, ``sha1``, ``sha256``)."""
        return list(self._index.get(kind, {}))

    def __len__(self) -> int:
        return sum(len(values) for values in self._index.values()) + len(self._networks)

    def _hits(self, kind: str, value: str, matched_on: str) -> list[IndicatorMatch]:
        ids = self._index.get(kind, {}).get(value)
        if not ids:
            return []
        return [IndicatorMatch(kind, value, matched_on, *self._sources[i]) for i in ids]

    def lookup_ip(self, value: str) -> list[IndicatorMatch]:
        address = parse_ip(value)
        if address is None:
            return []
        hits = self._hits("ip", str(address), "IP")
        for network, ids in self._networks:
            if address.version == network.version and address in network:
                hits.extend(IndicatorMatch("network", str(network), "IP range", *self._sources[i]) for i in ids)
        return hits

    def lookup_host(self, host: str) -> list[IndicatorMatch]:
        """Full host, then each parent domain down to the registered domain; IP literals by address."""
        normalised = normalise_host(host)
        if parse_ip(normalised) is not None:
            return self.lookup_ip(normalised)
        domains = self._index.get("domain", {})
        # Most hosts match nothing: rule that out on the raw suffixes before consulting the public suffix list.
        labels = normalised.split(".")
        if not any(".".join(labels[i:]) in domains for i in range(len(labels) - 1)):
            return []
        for candidate, how in host_candidates(normalised) or ():
            if candidate in domains:
                return self._hits("domain", candidate, how)
        return []

    def lookup_url(self, url: str) -> list[IndicatorMatch]:
        """Exact URL, then full host, registered domain, IP (the order MVT documents)."""
        if self._index.get("url"):
            exact = self._hits("url", normalise_url(url), "exact URL")
            if exact:
                return exact
        host = url_host(url)
        return self.lookup_host(host) if host else []

    def lookup_email(self, address: str) -> list[IndicatorMatch]:
        classified = classify_value(address)
        if classified is None or classified[0] != "email":
            return []
        hits = self._hits("email", classified[1], "e-mail address")
        return hits or self.lookup_host(classified[1].rpartition("@")[2])

    def lookup_hash(self, digest: str) -> list[IndicatorMatch]:
        value = digest.strip().lower()
        kind = HASH_KINDS.get(len(value))
        return self._hits(kind, value, kind.upper()) if kind else []

    def lookup_any(self, value: str) -> list[IndicatorMatch]:
        """Look a value up by what it looks like: URL, e-mail address, hash, IP or host.

        Dispatches on cheap tests of the text; each lookup normalises its own kind of value.
        """
        value = value.strip()
        if "://" in value:
            return self.lookup_url(value)
        if "@" in value:
            return self.lookup_email(value)
        if len(value) in {32, 40, 64} and _HEX.match(value.lower()):
            return self.lookup_hash(value)
        if "/" in value or " " in value or not value:
            return [] if parse_ip(value) is None else self.lookup_ip(value)
        return self.lookup_host(value)


class _IndexBuilder:
    def __init__(self) -> None:
        self.index: dict[str, dict[str, list[int]]] = {}
        self.sources: list[tuple[str, str]] = []
        self._source_ids: dict[tuple[str, str], int] = {}
        self.networks: dict[str, list[int]] = {}

    def add(self, feed_id: str, parsed: ParsedFeed) -> None:
        for entry in parsed.entries:
            key = (feed_id, entry.collection)
            source = self._source_ids.get(key)
            if source is None:
                source = self._source_ids[key] = len(self.sources)
                self.sources.append(key)
            bucket = self.networks if entry.kind == "network" else self.index.setdefault(entry.kind, {})
            ids = bucket.setdefault(entry.value, [])
            if source not in ids:
                ids.append(source)

    def network_list(self) -> list[tuple[str, list[int]]]:
        return sorted(self.networks.items())


def read_feed(spec: FeedSpec) -> ParsedFeed:
    try:
        text = spec.path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise FeedError(f"{spec.path}: cannot be read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise FeedError(f"{spec.path}: not UTF-8 text (byte {error.start})") from error
    if spec.format == "stix2":
        return read_stix_bundle(text, spec.name, str(spec.path))
    if spec.format == "list":
        return read_plain_list(text, spec.name, str(spec.path))
    raise FeedError(f"{spec.path}: unknown feed format {spec.format!r} (expected one of {FEED_FORMATS})")


def _compile(specs: Sequence[FeedSpec]) -> tuple[IndicatorStore, dict[str, Any]]:
    builder = _IndexBuilder()
    summaries = []
    for spec in specs:
        parsed = read_feed(spec)
        builder.add(spec.id, parsed)
        summaries.append(FeedSummary(spec, len(parsed.entries), parsed.device_only, len(parsed.unsupported)))
    networks = builder.network_list()
    payload: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "index": builder.index,
        "sources": builder.sources,
        "networks": networks,
        "summaries": [[s.spec.id, s.indicators, s.device_only, s.unsupported] for s in summaries],
    }
    return IndicatorStore(builder.index, builder.sources, networks, summaries), payload


def _fingerprint(specs: Sequence[FeedSpec]) -> str:
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    for spec in specs:
        try:
            stat = spec.path.stat()
        except OSError as error:
            raise FeedError(f"{spec.path}: feed {spec.id} cannot be read ({error.strerror})") from error
        digest.update(f"{spec.id}\0{spec.format}\0{spec.name}\0{spec.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _read_cache(path: Path, fingerprint: str, specs: Sequence[FeedSpec]) -> IndicatorStore | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged cache: recompile
    if not isinstance(payload, dict) or payload.get("fingerprint") != fingerprint:
        return None
    by_id = {spec.id: spec for spec in specs}
    summaries = [FeedSummary(by_id[i], n, d, u) for i, n, d, u in payload["summaries"] if i in by_id]
    sources = [(feed, collection) for feed, collection in payload["sources"]]
    return IndicatorStore(payload["index"], sources, payload["networks"], summaries)


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
