from __future__ import annotations

import json
import os
from pathlib import Path

from shelter.triage.store import FeedSpec, IndicatorStore
from tests.triage.conftest import FIXTURES


def test_url_matching_order(store: IndicatorStore) -> None:
    exact = store.lookup_url("https://tracker.example/path?a=b=c")
    assert [m.matched_on for m in exact] == ["exact URL"]
    assert [m.matched_on for m in store.lookup_url("http://evil-phish.example/x")] == ["host"]
    registered = store.lookup_url("https://passport.yandex.ru.com-auth.site/login")
    assert [(m.value, m.matched_on) for m in registered] == [("com-auth.site", "registered domain")]
    assert [m.matched_on for m in store.lookup_url("http://198.51.100.9:8080/")] == ["IP"]
    assert store.lookup_url("https://example.org/") == []


def test_parent_domain_below_registered_domain(tmp_path: Path) -> None:
    store = IndicatorStore.from_values(["b.evil.example"])
    assert [m.matched_on for m in store.lookup_host("a.b.evil.example")] == ["parent domain"]
    assert store.lookup_host("evil.example") == []  # the parent of an indicator is not itself an indicator


def test_private_suffix_keeps_customer_sites_apart() -> None:
    store = IndicatorStore.from_values(["phish.web.app"])
    assert store.lookup_host("login.phish.web.app")
    assert store.lookup_host("other.web.app") == []


def test_novispy_keeps_malware_name_and_ips_from_domain_type(store: IndicatorStore) -> None:
    hits = store.lookup_ip("176.223.111.131")
    assert [(m.kind, m.collection, m.feed) for m in hits] == [("ip", "NoviSpy", "novispy")]
    assert store.category("novispy") == "spyware"


def test_email_and_hash_lookups(store: IndicatorStore) -> None:
    assert store.lookup_email("Attacker@Evil-Phish.example")[0].matched_on == "e-mail address"
    assert store.lookup_email("someone@evil-phish.example")[0].matched_on == "host"
    assert store.lookup_hash("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
    assert store.lookup_hash("abc") == []


def test_network_ranges() -> None:
    store = IndicatorStore.from_values(["203.0.113.0/24"])
    assert store.lookup_ip("203.0.113.77")[0].matched_on == "IP range"
    assert store.lookup_ip("203.0.114.1") == []


def test_cache_is_written_reused_and_refreshed(tmp_path: Path) -> None:
    feed = tmp_path / "list.txt"
    feed.write_text("one.example\n")
    cache = tmp_path / "cache" / "index.json"
    specs = [FeedSpec("mine", feed, "list", "mine")]
    first = IndicatorStore.from_feeds(specs, cache)
    assert first.lookup_host("one.example") and cache.exists()
    # Same fingerprint: the cache is what gets read (prove it by planting a value only the cache has).
    payload = json.loads(cache.read_text())
    payload["index"]["domain"]["planted.example"] = [0]
    cache.write_text(json.dumps(payload))
    assert IndicatorStore.from_feeds(specs, cache).lookup_host("planted.example")
    # The feed changes: the cache is rebuilt from the file.
    feed.write_text("two.example\n")
    os.utime(feed, ns=(1, 1))
    fresh = IndicatorStore.from_feeds(specs, cache)
    assert fresh.lookup_host("two.example") and not fresh.lookup_host("planted.example")


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "index.json"
    cache.write_text("{not json")
    specs = [FeedSpec("n", FIXTURES / "novispy.stix2", "stix2", "n")]
    assert IndicatorStore.from_feeds(specs, cache).lookup_ip("176.223.111.131")
    assert json.loads(cache.read_text())["format"] == 1


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    specs = [FeedSpec("n", FIXTURES / "novispy.stix2", "stix2", "n")]
    assert IndicatorStore.from_feeds(specs, blocker / "index.json").lookup_ip("176.223.111.131")
