"""The network page and its data: what the caller may see, 404 for a hidden record like a missing one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.network.conftest import LEVELS, ROLES, SEES, Levels

pytestmark = pytest.mark.django_db


def _client(users: Any, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_page_and_data_show_only_visible_records(role: str, levels: Levels, users: Any) -> None:
    client = _client(users, role)
    handler = levels.hub["handler"].pk
    page = client.get(f"/network/person/{handler}/?hops=2")
    assert page.status_code == 200
    text = page.content.decode()
    answer = client.get(f"/network/person/{handler}.json?hops=2")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    data = answer.json()
    for level in LEVELS:
        for kind in ("PER", "ORG", "INC", "REL", "SRC"):
            marker = f"ZQ{kind}{level}"
            assert (marker in text) == (level in SEES[role]), (role, marker)
            assert (marker in json.dumps(data, ensure_ascii=False)) == (level in SEES[role]), (role, marker)
    # every edge has its record and sources linked
    assert all(e["record_url"].startswith("/") for e in data["edges"])
    assert 'id="network-links"' in text and "cytoscape.min.js" in text


@pytest.mark.parametrize("role", ROLES)
def test_hidden_start_is_not_found_like_a_missing_one(role: str, levels: Levels, users: Any) -> None:
    client = _client(users, role)
    for level in LEVELS:
        for kind, record in (("person", levels.people[level]), ("organisation", levels.organisations[level]),
                             ("incident", levels.incidents[level])):
            page = client.get(f"/network/{kind}/{record.pk}/")
            data = client.get(f"/network/{kind}/{record.pk}.json")
            if level in SEES[role]:
                assert page.status_code == 200 and data.status_code == 200
            else:
                assert page.status_code == 404 and data.status_code == 404, (role, kind, level)
                missing = client.get(f"/network/{kind}/999999.json")
                assert data.content == missing.content
    assert client.get("/network/source/1/").status_code == 404
    assert client.get(f"/network/person/{levels.hub['handler'].pk}/?hops=abc").status_code == 200


def test_the_vendored_library_is_recorded_with_its_licence() -> None:
    from pathlib import Path

    import shelter.network

    vendor = Path(shelter.network.__file__).parent / "static" / "network" / "vendor"
    [entry] = json.loads((vendor / "VENDOR.json").read_text(encoding="utf-8"))
    assert (entry["name"], entry["license"]) == ("cytoscape", "MIT")
    import hashlib

    for name, digest in entry["files"].items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest


def test_record_pages_link_to_their_network(levels: Levels, users: Any) -> None:
    client = _client(users, "admin")
    for kind, url in (("person", f"/registry/people/{levels.hub['handler'].pk}/"),
                      ("organisation", f"/registry/organisations/{levels.hub['agency'].pk}/"),
                      ("incident", f"/incidents/{levels.incidents['PUBLISHED'].pk}/")):
        pk = url.rstrip("/").rsplit("/", 1)[1]
        assert f'href="/network/{kind}/{pk}/"' in client.get(url).content.decode()
    assert "/network/source/" not in client.get(f"/incidents/sources/{levels.sources['PUBLISHED'].pk}/").content.decode()
