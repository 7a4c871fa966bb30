"""The graph holds exactly what the caller may see: no hidden node, edge, citation or count."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.network.conftest import LEVELS, ROLES, SEES, Levels

pytestmark = pytest.mark.django_db


def _text(network: Any) -> str:
    from shelter.network.export import network_json

    return json.dumps(network_json(network), ensure_ascii=False)


@pytest.mark.parametrize("role", ROLES)
def test_whole_network_shows_exactly_the_visible_records(role: str, levels: Levels, viewers: dict[str, Any]) -> None:
    from shelter.network.build import build_network

    network = build_network(viewers[role])
    seen = SEES[role]
    labels = {node.label for node in network.nodes.values()}
    expected = {"HUB agency", "HUB handler", "HUB friend"}
    expected |= {f"ZQ{kind}{level}" for kind in ("PER", "ORG", "INC") for level in seen}
    assert labels == expected
    # edges: the hub employment, and per visible level: the associate link, the informant and membership
    # links of its person, the target and perpetrator links of its incident
    kinds = sorted(edge.kind for edge in network.edges.values())
    n = len(seen)
    assert kinds == sorted(["employed_by"] + ["associate", "informant_for", "member_of", "target",
                                               "perpetrator"] * n)
    assert {e.detail for e in network.edges.values() if e.kind == "associate"} == {f"ZQREL{lv}" for lv in seen}
    employed = network.edges[f"relationship:{levels.hub['employed'].pk}"]
    assert {c.title for c in employed.citations} == {f"ZQSRC{lv}" for lv in seen}
    text = _text(network)
    for level in set(LEVELS) - seen:
        for kind in ("PER", "ORG", "INC", "REL", "SRC"):
            assert f"ZQ{kind}{level}" not in text, (role, kind, level)
        for record in (levels.people[level], levels.incidents[level]):
            assert f'{record._meta.model_name}:{record.pk}"' not in text


@pytest.mark.parametrize("role", ROLES)
def test_state_network_and_neighbourhood_hide_the_same(role: str, levels: Levels,
                                                       viewers: dict[str, Any]) -> None:
    from shelter.network.build import build_network, neighbourhood_network

    seen = SEES[role]
    state = build_network(viewers[role], state="UZ")
    assert {n.label for n in state.nodes.values() if n.kind == "incident"} == {f"ZQINC{lv}" for lv in seen}
    assert {n.label for n in state.nodes.values() if n.kind == "organisation"} == \
        {"HUB agency"} | {f"ZQORG{lv}" for lv in seen}
    assert build_network(viewers[role], state="TJ").nodes == {}
    around = neighbourhood_network(viewers[role], f"person:{levels.hub['handler'].pk}", hops=2)
    labels = {n.label for n in around.nodes.values()}
    # two hops from the handler: informants, friend, agency; then their incidents and organisations
    assert labels == ({"HUB handler", "HUB friend", "HUB agency"}
                      | {f"ZQ{kind}{lv}" for kind in ("PER", "ORG", "INC") for lv in seen})
    assert not around.truncated
    text = _text(around)
    for level in set(LEVELS) - seen:
        assert f"ZQPER{level}" not in text and f"ZQREL{level}" not in text and f"ZQSRC{level}" not in text


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_start_answers_like_a_missing_one(role: str, levels: Levels, viewers: dict[str, Any]) -> None:
    from shelter.network.build import UnknownNode, neighbourhood_network

    for level in LEVELS:
        start = f"person:{levels.people[level].pk}"
        if level in SEES[role]:
            assert neighbourhood_network(viewers[role], start).nodes
        else:
            with pytest.raises(UnknownNode) as hidden:
                neighbourhood_network(viewers[role], start)
            with pytest.raises(UnknownNode) as missing:
                neighbourhood_network(viewers[role], "person:999999")
            assert str(hidden.value).replace(start, "X") == str(missing.value).replace("person:999999", "X")


def test_neighbourhood_stops_at_its_node_limit_and_says_so(levels: Levels, users: Any) -> None:
    from shelter.network.build import neighbourhood_network

    around = neighbourhood_network(users["admin"], f"person:{levels.hub['handler'].pk}", hops=3, max_nodes=4)
    assert len(around.nodes) <= 4 and around.truncated
    for edge in around.edges.values():
        assert edge.source in around.nodes and edge.target in around.nodes


def test_deleted_records_leave_the_network(levels: Levels, users: Any) -> None:
    from django.utils import timezone

    from shelter.network.build import build_network
    from shelter.registry.models import Person

    Person.objects.filter(pk=levels.people["PUBLISHED"].pk).update(deleted=timezone.now())
    network = build_network(users["admin"])
    assert f"person:{levels.people['PUBLISHED'].pk}" not in network.nodes
    assert all(levels.people["PUBLISHED"].pk not in (e.source, e.target) for e in network.edges.values())
    assert "ZQPERPUBLISHED" not in _text(network)


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_large_id_sets_give_the_same_network(role: str, levels: Levels, viewers: dict[str, Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the size of one IN list the build reads every visible row and keeps the wanted ones."""
    from shelter.network import build

    expected = [build.build_network(viewers[role], state="UZ"),
                build.neighbourhood_network(viewers[role], f"person:{levels.hub['handler'].pk}", hops=2)]
    monkeypatch.setattr(build, "LARGE_ID_SET", 1)
    found = [build.build_network(viewers[role], state="UZ"),
             build.neighbourhood_network(viewers[role], f"person:{levels.hub['handler'].pk}", hops=2)]
    for old, new in zip(expected, found, strict=True):
        assert new.nodes == old.nodes and new.edges == old.edges


@pytest.mark.parametrize("role", ROLES)
def test_neighbourhood_is_the_same_whatever_the_visibility_chunk(role: str, levels: Levels, viewers: dict[str, Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Links are checked against the visibility filter a chunk at a time; one link per query gives the same
    network, truncated or not."""
    from shelter.network import build

    start = f"person:{levels.hub['handler'].pk}"
    expected = [build.neighbourhood_network(viewers[role], start, hops=2),
                build.neighbourhood_network(viewers[role], start, hops=3, max_nodes=5)]
    monkeypatch.setattr(build, "VISIBILITY_CHUNK", 1)
    found = [build.neighbourhood_network(viewers[role], start, hops=2),
             build.neighbourhood_network(viewers[role], start, hops=3, max_nodes=5)]
    for old, new in zip(expected, found, strict=True):
        assert new.nodes == old.nodes and new.edges == old.edges and new.truncated == old.truncated


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_link_does_not_make_a_neighbourhood_truncated(role: str, levels: Levels,
                                                               viewers: dict[str, Any]) -> None:
    """The friend's visible links fill the limit exactly; only the caller's visible links may say there is more."""
    from shelter.network.build import neighbourhood_network

    friend = f"person:{levels.hub['friend'].pk}"
    # the friend's neighbours: the handler (a public relationship per level) and the incident of each level
    seen = SEES[role]
    limit = 1 + 1 + len(seen)  # the friend, the handler, the visible incidents
    around = neighbourhood_network(viewers[role], friend, hops=1, max_nodes=limit)
    assert {n.label for n in around.nodes.values()} == {"HUB friend", "HUB handler"} | {
        f"ZQINC{lv}" for lv in seen}
    assert not around.truncated
    smaller = neighbourhood_network(viewers[role], friend, hops=1, max_nodes=limit - 1)
    assert smaller.truncated and len(smaller.nodes) == limit - 1


def test_a_truncated_neighbourhood_keeps_every_link_between_its_records(levels: Levels, users: Any) -> None:
    from shelter.network.build import neighbourhood_network

    around = neighbourhood_network(users["admin"], f"person:{levels.hub['handler'].pk}", hops=2, max_nodes=3)
    assert around.truncated and len(around.nodes) == 3
    full = neighbourhood_network(users["admin"], f"person:{levels.hub['handler'].pk}", hops=2)
    between = {e.id for e in full.edges.values() if e.source in around.nodes and e.target in around.nodes}
    assert set(around.edges) == between


@pytest.mark.parametrize("role", ROLES)
def test_neighbourhood_from_the_database_matches_a_search_of_the_whole_network(
        role: str, levels: Levels, viewers: dict[str, Any]) -> None:
    """The same records as a breadth-first search of the whole visible network, and every link of it that
    touches a record nearer than the last hop."""
    from shelter.network.build import build_network, neighbourhood_network
    from shelter.network.core import neighbourhood

    whole = build_network(viewers[role])
    for start in (f"person:{levels.hub['handler'].pk}", f"organisation:{levels.hub['agency'].pk}"):
        for hops in (1, 2, 3):
            around = neighbourhood_network(viewers[role], start, hops=hops)
            distance = neighbourhood(whole, start, hops)
            assert set(around.nodes) == set(distance), (start, hops)
            assert set(around.edges) == {
                e.id for e in whole.edges.values() if e.source in distance and e.target in distance
                and min(distance[e.source], distance[e.target]) < hops}, (start, hops)
