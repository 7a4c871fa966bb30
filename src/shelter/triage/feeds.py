"""The feed set: shipped offline feeds, fresher copies fetched on request, and feeds the user added.

Layout under ``$SHELTER_HOME/triage/``::

    feeds/updated/<id>.<ext>   copies fetched by `shelter triage feeds update` (replace the shipped file)
    feeds/added/<id>.<ext>     feeds the user added, listed in feeds/added.json
    cache/index.json           the compiled index

``update_feeds`` is the only code here that touches the network, and only through the fetch
function it is given.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from shelter.config import shelter_home
from shelter.triage.feed_formats import FeedError, read_plain_list, read_stix_bundle
from shelter.triage.store import FEED_FORMATS, FeedSpec, IndicatorStore, write_atomically

Fetch = Callable[[str], bytes]


def triage_home() -> Path:
    return shelter_home() / "triage"


def _data_dir() -> Path:
    return Path(str(resources.files("shelter.triage").joinpath("data")))


@cache
def shipped_feeds() -> tuple[FeedSpec, ...]:
    """The feeds in the package's ``data/feeds.yaml``."""
    manifest = yaml.safe_load((_data_dir() / "feeds.yaml").read_text(encoding="utf-8"))
    specs = []
    for entry in manifest["feeds"]:
        missing = {"id", "file", "format", "name", "licence", "attribution", "url"} - set(entry)
        if missing:
            raise FeedError(f"feeds.yaml: feed {entry.get('id', '?')} lacks {sorted(missing)}")
        if entry["format"] not in FEED_FORMATS:
            raise FeedError(f"feeds.yaml: feed {entry['id']} has format {entry['format']!r}")
        specs.append(
            FeedSpec(
                id=entry["id"],
                path=_data_dir() / entry["file"],
                format=entry["format"],
                name=entry["name"],
                licence=entry["licence"],
                attribution=entry["attribution"],
                url=entry["url"],
                category=entry.get("category", "phishing"),
            )
        )
    return tuple(specs)


def _updated_path(home: Path, spec: FeedSpec) -> Path:
    return home / "feeds" / "updated" / f"{spec.id}{spec.path.suffix}"


def _added_manifest(home: Path) -> Path:
    return home / "feeds" / "added.json"


def added_feeds(home: Path) -> list[FeedSpec]:
    manifest = _added_manifest(home)
    if not manifest.exists():
        return []
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as error:
        raise FeedError(f"{manifest}: damaged ({error}); remove it and add the feeds again") from error
    return [
        FeedSpec(
            id=e["id"],
            path=home / "feeds" / "added" / e["file"],
            format=e["format"],
            name=e["name"],
            licence=e.get("licence", "unknown"),
            attribution=e.get("attribution", ""),
            origin="added",
        )
        for e in entries
    ]


def active_feeds(home: Path | None = None) -> list[FeedSpec]:
    """Shipped feeds (or their updated copies) followed by the user's own feeds."""
    home = home or triage_home()
    specs = []
    for spec in shipped_feeds():
        updated = _updated_path(home, spec)
        if updated.exists():
            spec = dataclasses.replace(spec, path=updated, origin="updated")
        specs.append(spec)
    return specs + added_feeds(home)


_loaded: dict[str, IndicatorStore] = {}


def default_store(home: Path | None = None) -> IndicatorStore:
    """The active feed set, from the on-disk cache when it is current (kept in memory per process)."""
    home = home or triage_home()
    specs = active_feeds(home)
    key = str(home) + "|" + "|".join(f"{s.path}:{_mtime(s.path)}" for s in specs)
    store = _loaded.get(key)
    if store is None:
        store = IndicatorStore.from_feeds(specs, home / "cache" / "index.json")
        _loaded.clear()
        _loaded[key] = store
    return store


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def detect_format(path: Path) -> str:
    """``stix2`` for JSON files (or content starting with '{'), else ``list``."""
    if path.suffix.lower() in {".json", ".stix", ".stix2"}:
        return "stix2"
    with path.open("rb") as stream:
        head = stream.read(64).lstrip()
    return "stix2" if head.startswith(b"{") else "list"


def _feed_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "feed"


def add_feed(source: Path, name: str | None = None, home: Path | None = None) -> FeedSpec:
    """Validate a feed file and copy it into the user's feed folder; returns its spec."""
    home = home or triage_home()
    if not source.is_file():
        raise FeedError(f"{source}: no such file")
    feed_format = detect_format(source)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(f"{source}: not UTF-8 text (byte {error.start}); save it as UTF-8 and add it again") from error
    label = name or source.stem
    parsed = (
        read_stix_bundle(text, label, str(source)) if feed_format == "stix2" else read_plain_list(text, label, str(source))
    )
    if not parsed.entries:
        raise FeedError(
            f"{source}: no usable indicators (domains, IPs, URLs, e-mail addresses or file hashes) found"
            + (f"; {parsed.device_only} device-only indicators are left to device forensics" if parsed.device_only else "")
        )
    existing = {spec.id for spec in shipped_feeds()} | {spec.id for spec in added_feeds(home)}
    feed_id = base = "user-" + _feed_id(label)
    counter = 2
    while feed_id in existing:
        feed_id, counter = f"{base}-{counter}", counter + 1
    target = home / "feeds" / "added" / f"{feed_id}{source.suffix or '.txt'}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    entries = json.loads(_added_manifest(home).read_text(encoding="utf-8")) if _added_manifest(home).exists() else []
    entries.append({"id": feed_id, "file": target.name, "format": feed_format, "name": label})
    write_atomically(_added_manifest(home), json.dumps(entries, indent=2, ensure_ascii=False))
    return FeedSpec(feed_id, target, feed_format, label, origin="added")


def remove_feed(feed_id: str, home: Path | None = None) -> str:
    """Remove a feed the user added, or drop the updated copy of a shipped feed; says what was done."""
    home = home or triage_home()
    manifest = _added_manifest(home)
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    kept = [entry for entry in entries if entry["id"] != feed_id]
    if len(kept) < len(entries):
        (home / "feeds" / "added" / next(e["file"] for e in entries if e["id"] == feed_id)).unlink(missing_ok=True)
        write_atomically(manifest, json.dumps(kept, indent=2, ensure_ascii=False))
        return f"removed feed {feed_id}"
    shipped = {spec.id: spec for spec in shipped_feeds()}
    if feed_id in shipped:
        updated = _updated_path(home, shipped[feed_id])
        if updated.exists():
            updated.unlink()
            return f"{feed_id}: back to the shipped copy"
        raise FeedError(f"{feed_id} is a shipped feed; it can be updated but not removed")
    known = ", ".join(sorted([e["id"] for e in entries] + list(shipped)))
    raise FeedError(f"no feed {feed_id!r} (feeds: {known})")


@dataclass(frozen=True)
class UpdateResult:
    feed: str
    ok: bool
    message: str


def update_feeds(fetch: Fetch, home: Path | None = None,
                 on_progress: Callable[[int], None] | None = None) -> list[UpdateResult]:
    """Fetch a fresh copy of each shipped feed with ``fetch(url) -> bytes``; keep the old copy on any error.

    A download replaces the shipped file only after it parses and still holds indicators. ``on_progress(1)`` is
    called after each feed, ``len(shipped_feeds())`` times in all.
    """
    home = home or triage_home()
    results = []
    for spec in shipped_feeds():
        results.append(_update_feed(spec, fetch, home))
        if on_progress is not None:
            on_progress(1)
    return results


def _update_feed(spec: FeedSpec, fetch: Fetch, home: Path) -> UpdateResult:
    try:
        body = fetch(spec.url)
        text = body.decode("utf-8-sig")
        if spec.format == "stix2":
            parsed = read_stix_bundle(text, spec.name, spec.url)
        else:
            parsed = read_plain_list(text, spec.name, spec.url)
        if not parsed.entries:
            raise FeedError(f"{spec.url}: downloaded file holds no indicators")
    except (OSError, UnicodeDecodeError, FeedError) as error:
        return UpdateResult(spec.id, False, f"kept the previous copy: {error}")
    write_atomically(_updated_path(home, spec), text)
    return UpdateResult(spec.id, True, f"{len(parsed.entries)} indicators")


def fetch_over_https(url: str, timeout: float = 30.0) -> bytes:
    """The network fetch used by `shelter triage feeds update` (and nothing else)."""
    import urllib.request

    if not url.startswith("https://"):
        raise FeedError(f"{url}: only https:// feed addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "shelter-triage-feeds"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read(50_000_000)
    return body
