from __future__ import annotations

import json

import pytest

from shelter.triage.feed_formats import (
    FeedError,
    classify_value,
    normalise_url,
    read_plain_list,
    read_stix_bundle,
)


def bundle(*patterns: str) -> str:
    objects = [{"type": "malware", "id": "malware--1", "name": "Family"}]
    for number, pattern in enumerate(patterns):
        objects.append({"type": "indicator", "id": f"indicator--{number}", "pattern": pattern, "pattern_type": "stix"})
        objects.append({"type": "relationship", "id": f"relationship--{number}", "source_ref": f"indicator--{number}",
                        "target_ref": "malware--1", "relationship_type": "indicates"})
    return json.dumps({"type": "bundle", "id": "bundle--1", "objects": objects})


def values(text: str) -> set[tuple[str, str, str]]:
    return {(e.kind, e.value, e.collection) for e in read_stix_bundle(text, "default", "test").entries}


def test_single_comparisons_of_every_network_type() -> None:
    found = values(bundle(
        "[domain-name:value='Evil.EXAMPLE']", "[ipv4-addr:value='192.0.2.1']", "[ipv6-addr:value='2001:db8::1']",
        "[email-addr:value='Spy@Example.com']", "[url:value='HTTPS://Evil.example/a']",
        "[file:hashes.'SHA-256'='AA" + "a" * 62 + "']", "[file:hashes.MD5='" + "b" * 32 + "']",
    ))
    assert found == {
        ("domain", "evil.example", "Family"), ("ip", "192.0.2.1", "Family"), ("ip", "2001:db8::1", "Family"),
        ("email", "spy@example.com", "Family"), ("url", "https://evil.example/a", "Family"),
        ("sha256", "a" * 64, "Family"), ("md5", "b" * 32, "Family"),
    }


def test_or_joined_pattern_gives_each_value() -> None:
    found = values(bundle("[domain-name:value='a.example' OR domain-name:value='b.example']"))
    assert {v for _, v, _ in found} == {"a.example", "b.example"}


def test_values_containing_equals_and_escaped_quotes() -> None:
    found = values(bundle("[url:value='https://x.example/?a=1&b=2']", "[domain-name:value='o\\'brien.example']"))
    assert ("url", "https://x.example/?a=1&b=2", "Family") in found
    assert len(found) == 1  # a quote is not valid in a host name: that value is dropped, not mangled


def test_ip_declared_as_domain_is_indexed_as_ip() -> None:
    assert values(bundle("[domain-name:value='176.223.111.131']")) == {("ip", "176.223.111.131", "Family")}


def test_and_patterns_and_device_indicators_are_not_indexed() -> None:
    parsed = read_stix_bundle(
        bundle("[domain-name:value='a.example' AND url:value='http://b']", "[process:name='bh']", "[app:id='com.x']"),
        "d", "t",
    )
    assert parsed.entries == []
    assert parsed.device_only == 2
    assert len(parsed.unsupported) == 1


def test_report_object_refs_name_the_collection() -> None:
    text = json.dumps({"type": "bundle", "objects": [
        {"type": "report", "id": "report--1", "name": "Campaign report", "object_refs": ["indicator--9"]},
        {"type": "indicator", "id": "indicator--9", "pattern": "[domain-name:value='r.example']", "pattern_type": "stix"},
    ]})
    assert values(text) == {("domain", "r.example", "Campaign report")}


def test_not_a_bundle_is_a_clear_error() -> None:
    with pytest.raises(FeedError, match="not a STIX 2 bundle"):
        read_stix_bundle('{"type": "indicator"}', "d", "feed.json")
    with pytest.raises(FeedError, match="not valid JSON"):
        read_stix_bundle("{oops", "d", "feed.json")


def test_plain_list_reports_bad_lines_by_number() -> None:
    with pytest.raises(FeedError, match=r"mine.txt, line 3: 'not a value at all'"):
        read_plain_list("good.example\n# comment\nnot a value at all\n", "mine", "mine.txt")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Evil.Example.", ("domain", "evil.example")),
        ("198.51.100.1", ("ip", "198.51.100.1")),
        ("10.0.0.0/8", ("network", "10.0.0.0/8")),
        ("D41D8CD98F00B204E9800998ECF8427E", ("md5", "d41d8cd98f00b204e9800998ecf8427e")),
        ("x@Example.COM", ("email", "x@example.com")),
        ("пример.рф", ("domain", "xn--e1afmkfd.xn--p1ai")),
        ("hello world", None),
    ],
)
def test_classify_value(raw: str, expected: tuple[str, str] | None) -> None:
    assert classify_value(raw) == expected


def test_normalise_url_drops_default_port_fragment_and_case_of_host() -> None:
    assert normalise_url("HTTPS://Evil.Example:443/Path?q=1#frag") == "https://evil.example/Path?q=1"


def test_plain_lists_accept_defanged_values() -> None:
    parsed = read_plain_list("evil[.]example\nhxxp://bad[.]example/x\n", "l", "l.txt")
    assert [(e.kind, e.value) for e in parsed.entries] == [("domain", "evil.example"), ("url", "http://bad.example/x")]
