from __future__ import annotations

import json
from pathlib import Path

import pytest

from shelter.triage.feed_formats import FeedError
from shelter.triage.feeds import active_feeds, add_feed, default_store, shipped_feeds, update_feeds
from tests.triage.conftest import FIXTURES

RECORDED = FIXTURES / "feed_update"


def recorded_fetch(url: str) -> bytes:
    """Stands in for the network: answers each feed address with a recorded body."""
    return (RECORDED / ("bundle.stix2" if url.endswith(".stix2") else "list.txt")).read_bytes()


def test_shipped_feeds_have_licence_attribution_and_files() -> None:
    specs = shipped_feeds()
    assert {s.licence for s in specs} <= {"CC-BY-2.0", "MIT"}
    for spec in specs:
        assert spec.path.is_file() and spec.attribution and spec.url.startswith("https://")
    attribution = (specs[0].path.parent / "ATTRIBUTION.txt").read_text()
    assert "Amnesty International Security Lab" in attribution and "MIT" in attribution


def test_default_store_compiles_then_reads_cache(private_home: Path) -> None:
    store = default_store()
    assert len(store) > 2000
    assert (private_home / "triage" / "cache" / "index.json").exists()
    counts = {s.spec.id: s.indicators for s in store.summaries}
    assert counts["amnesty-uzbekistan-2020-domains"] == 71 and counts["mvt-residentbat"] == 32
    assert store.lookup_host("weather4free.com")[0].collection == "Pegasus"
    assert store.lookup_ip("83.220.169.120")[0].collection == "ResidentBat"


def test_add_plain_list_and_stix(tmp_path: Path, private_home: Path) -> None:
    mine = tmp_path / "caseload.txt"
    mine.write_text("# domains seen in our cases\nfake-court.example\n203.0.113.0/24\n")
    spec = add_feed(mine, "Our cases")
    assert spec.id == "user-our-cases" and spec.format == "list"
    second = add_feed(FIXTURES / "novispy.stix2")
    assert second.format == "stix2"
    store = default_store()
    assert store.lookup_host("x.fake-court.example")[0].feed == "user-our-cases"
    assert store.lookup_ip("203.0.113.4")
    assert {s.origin for s in active_feeds()} == {"shipped", "added"}
    # Adding a feed under an existing name gets a new id rather than replacing it.
    assert add_feed(mine, "Our cases").id == "user-our-cases-2"


def test_add_rejects_bad_files_with_reasons(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("ok.example\nthis is not an indicator\n")
    with pytest.raises(FeedError, match="line 2"):
        add_feed(bad)
    device_only = tmp_path / "device.json"
    device_only.write_text(json.dumps({"type": "bundle", "objects": [
        {"type": "indicator", "id": "indicator--1", "pattern": "[process:name='bh']", "pattern_type": "stix"}]}))
    with pytest.raises(FeedError, match="device forensics"):
        add_feed(device_only)
    with pytest.raises(FeedError, match="no such file"):
        add_feed(tmp_path / "missing.txt")


def test_update_replaces_feeds_with_recorded_downloads(private_home: Path) -> None:
    requested: list[str] = []

    def fetch(url: str) -> bytes:
        requested.append(url)
        return recorded_fetch(url)

    results = update_feeds(fetch)
    assert all(r.ok for r in results) and requested == [s.url for s in shipped_feeds()]
    assert {s.origin for s in active_feeds()} == {"updated"}
    store = default_store()
    assert store.lookup_host("recorded-update.example")[0].collection == "Recorded Spyware"
    assert store.lookup_host("weather4free.com") == []  # the recorded Pegasus body replaced the shipped one


def test_failed_download_keeps_the_previous_copy(private_home: Path) -> None:
    def broken(url: str) -> bytes:
        if "pegasus" in url:
            raise OSError("connection refused")
        if "cytrox" in url:
            return b"<html>rate limited</html>"
        return recorded_fetch(url)

    results = {r.feed: r for r in update_feeds(broken)}
    assert not results["amnesty-pegasus"].ok and "connection refused" in results["amnesty-pegasus"].message
    assert not results["amnesty-cytrox"].ok and "not valid JSON" in results["amnesty-cytrox"].message
    assert default_store().lookup_host("weather4free.com")  # shipped Pegasus still in use


def test_remove_added_and_updated_feeds(tmp_path: Path, private_home: Path) -> None:
    from shelter.triage.feeds import remove_feed

    mine = tmp_path / "mine.txt"
    mine.write_text("removable.example\n")
    spec = add_feed(mine)
    assert default_store().lookup_host("removable.example")
    assert remove_feed(spec.id) == f"removed feed {spec.id}"
    assert not spec.path.exists() and default_store().lookup_host("removable.example") == []
    update_feeds(recorded_fetch)
    assert remove_feed("amnesty-pegasus") == "amnesty-pegasus: back to the shipped copy"
    assert default_store().lookup_host("weather4free.com")
    with pytest.raises(FeedError, match="can be updated but not removed"):
        remove_feed("amnesty-pegasus")
    with pytest.raises(FeedError, match="no feed 'nothing'"):
        remove_feed("nothing")
