"""Paths, shared perpetrators, people near informants and handlers, centrality and communities, on crafted
networks (pure) and on records (through the visibility filter)."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest

from shelter.network.core import (
    BETWEENNESS_MIN_SAMPLES,
    Citation,
    Edge,
    Network,
    Node,
    informants_and_handlers,
    neighbourhood,
    people_near,
    shared_perpetrators,
    shortest_paths,
    structure,
    top,
)
from tests.network.conftest import SEES, Levels


def _network(nodes: list[Node], edges: list[Edge]) -> Network:
    network = Network()
    for node in nodes:
        network.add_node(node)
    for edge in edges:
        network.add_edge(edge)
    return network


def person(pk: int) -> Node:
    return Node(f"person:{pk}", "person", f"P{pk}")


def incident(pk: int, host: str, year: int) -> Node:
    return Node(f"incident:{pk}", "incident", f"I{pk}", (("host_country", host), ("year", str(year))))


def agency(pk: int) -> Node:
    return Node(f"organisation:{pk}", "organisation", f"O{pk}")


def test_shared_perpetrators_across_host_countries_and_years() -> None:
    # Agency 1 acts directly in DE 2018 and, through its informant (person 5), in TR 2021; agency 2 once only;
    # handler person 6 perpetrates twice in the same country and year.
    network = _network(
        [agency(1), agency(2), person(5), person(6), incident(10, "DE", 2018), incident(11, "TR", 2021),
         incident(12, "FR", 2020), incident(13, "FR", 2020)],
        [Edge("perpetrator:1", "organisation:1", "incident:10", "perpetrator"),
         Edge("perpetrator:2", "person:5", "incident:11", "perpetrator"),
         Edge("relationship:3", "person:5", "organisation:1", "informant_for", citations=(Citation(7, "Report"),)),
         Edge("perpetrator:4", "organisation:2", "incident:12", "perpetrator"),
         Edge("perpetrator:5", "person:6", "incident:12", "perpetrator"),
         Edge("perpetrator:6", "person:6", "incident:13", "perpetrator")])
    found = {s.actor: s for s in shared_perpetrators(network)}
    assert set(found) == {"organisation:1", "person:6"}
    first = found["organisation:1"]
    assert first.incidents == ("incident:10", "incident:11")
    assert first.host_countries == ("DE", "TR") and first.years == (2018, 2021) and first.spread
    assert [e.id for e in first.edges] == ["perpetrator:1", "perpetrator:2", "relationship:3"]
    assert first.edges[2].citations == (Citation(7, "Report"),)
    assert found["person:6"].host_countries == ("FR",) and not found["person:6"].spread
    assert "organisation:1" not in {s.actor for s in shared_perpetrators(network, through_people=False)}
    assert shared_perpetrators(network)[0].actor == "organisation:1"  # the widest spread first


def test_shortest_paths_take_the_best_cited_record() -> None:
    network = _network(
        [person(1), person(2), person(3), person(4)],
        [Edge("relationship:1", "person:1", "person:2", "family", confidence="low"),
         Edge("relationship:2", "person:2", "person:1", "associate", confidence="high",
              citations=(Citation(9, "Court record", "p. 4"),)),
         Edge("relationship:3", "person:2", "person:3", "informant_for")])
    [path] = shortest_paths(network, "person:1", "person:3")
    assert path.nodes == ("person:1", "person:2", "person:3")
    assert [e.id for e in path.edges] == ["relationship:2", "relationship:3"]
    assert path.edges[0].citations[0].locator == "p. 4"
    assert shortest_paths(network, "person:1", "person:4") == []
    assert shortest_paths(network, "person:1", "person:99") == []


def test_people_within_k_hops_of_informants_and_handlers() -> None:
    network = _network(
        [person(n) for n in range(1, 8)] + [agency(1)],
        [Edge("relationship:1", "person:1", "person:2", "informant_for"),  # 1 informs to handler 2
         Edge("relationship:2", "person:3", "organisation:1", "employed_by", detail="Handler"),
         Edge("relationship:3", "person:1", "person:4", "family"),
         Edge("relationship:4", "person:4", "person:5", "associate"),
         Edge("relationship:5", "person:5", "person:6", "associate"),
         Edge("relationship:6", "person:7", "organisation:1", "member_of")])
    informants, handlers = informants_and_handlers(network)
    assert informants == {"person:1"} and handlers == {"person:2", "person:3"}
    near = {r.person: r for r in people_near(network, informants | handlers, 2)}
    assert set(near) == {"person:4", "person:5", "person:7"}
    assert near["person:5"].distance == 2 and near["person:5"].via == "person:1"
    assert [e.id for e in near["person:5"].path.edges] == ["relationship:3", "relationship:4"]
    assert near["person:7"].via == "person:3"
    assert neighbourhood(network, "person:1", 1) == {"person:1": 0, "person:2": 1, "person:4": 1}
    assert len(neighbourhood(network, "person:1", 3, max_nodes=2)) == 2


def test_centrality_and_communities_find_the_broker_between_two_cells() -> None:
    cell_a = [person(n) for n in range(1, 5)]
    cell_b = [person(n) for n in range(5, 9)]
    edges = [Edge(f"relationship:{a}{b}", f"person:{a}", f"person:{b}", "associate")
             for group in ((1, 2, 3, 4), (5, 6, 7, 8)) for a in group for b in group if a < b]
    edges += [Edge("relationship:90", "person:4", "person:9", "informant_for"),
              Edge("relationship:91", "person:9", "person:5", "informant_for")]
    found = structure(_network([*cell_a, *cell_b, person(9)], edges))
    assert max(found.betweenness, key=found.betweenness.__getitem__) == "person:9"
    # every shortest path between the cells (16 pairs of 28 among the others) runs through the broker
    assert found.betweenness["person:9"] == pytest.approx(16 / 28)
    assert not found.betweenness_approximate and found.community_method == "louvain"
    assert {frozenset(c) for c in found.communities if "person:9" not in c} <= {
        frozenset(f"person:{n}" for n in group) for group in ((1, 2, 3, 4), (5, 6, 7, 8))}
    assert len(found.communities) == 2
    # the cells' members who hold the broker's links have the most links and the highest PageRank
    assert found.degree["person:4"] == found.degree["person:5"] == 4 and found.degree["person:9"] == 2
    assert {n for n, _ in top(found.pagerank, 2)} == {"person:4", "person:5"}
    assert sum(found.pagerank.values()) == pytest.approx(1)


def _random_network(nodes: int, links: int, seed: int) -> tuple[Network, nx.Graph]:
    graph = nx.gnm_random_graph(nodes, links, seed=seed)
    network = _network([person(n) for n in graph],
                       [Edge(f"relationship:{i}", f"person:{a}", f"person:{b}", "associate")
                        for i, (a, b) in enumerate(graph.edges())])
    network.add_edge(Edge("relationship:999", "person:0", "person:1", "family"))  # a second record, same pair
    network.add_edge(Edge("relationship:998", "person:2", "person:2", "associate"))  # to itself: no path
    return network, network.simple_graph()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_centrality_equals_networkx(seed: int) -> None:
    """Below the work limit every node is a source: the same betweenness as networkx's Brandes, the same PageRank
    (isolated records included), the same degree."""
    network, graph = _random_network(80, 120, seed)
    found = structure(network)
    assert not found.betweenness_approximate and found.betweenness_samples is None
    expected = nx.betweenness_centrality(graph)
    assert found.betweenness == pytest.approx(expected, abs=1e-6)
    assert found.pagerank == pytest.approx(nx.pagerank(graph), abs=1e-9)
    assert found.degree == dict(graph.degree())
    assert sorted(n for c in found.communities for n in c) == sorted(network.nodes)


def test_betweenness_is_estimated_from_a_sample_above_the_work_limit_and_says_so() -> None:
    """Two groups of 150 joined only through one broker (linked to five in each): sampled, the broker still
    stands out, its estimate is near the exact value, and the same network gives the same answer."""
    rng = random.Random(4)
    nodes = [person(n) for n in range(301)]
    edges = [Edge(f"relationship:{g}{a}-{b}", f"person:{a + g * 150}", f"person:{b + g * 150}", "associate")
             for g in (0, 1) for a in range(150) for b in range(a + 1, 150) if rng.random() < 0.05]
    edges += [Edge(f"relationship:b{n}", f"person:{n}", "person:300", "informant_for")
              for n in (*range(5), *range(150, 155))]
    network = _network(nodes, edges)
    exact = structure(network)
    sampled = structure(network, work=1)
    assert sampled.betweenness_approximate and sampled.betweenness_samples == BETWEENNESS_MIN_SAMPLES
    assert not exact.betweenness_approximate
    assert top(sampled.betweenness, 1)[0][0] == top(exact.betweenness, 1)[0][0] == "person:300"
    assert sampled.betweenness["person:300"] == pytest.approx(exact.betweenness["person:300"], rel=0.2)
    assert structure(network, work=1) == sampled
    assert len(exact.communities) >= 2
    assert not any(set(range(150)) & _pks(c) and set(range(150, 300)) & _pks(c) for c in exact.communities)


def _pks(community: list[str]) -> set[int]:
    return {int(n.partition(":")[2]) for n in community}


def test_structure_of_empty_and_tiny_networks() -> None:
    assert structure(Network()).communities == []
    two = structure(_network([person(1), person(2)], [Edge("relationship:1", "person:1", "person:2", "family")]))
    assert two.betweenness == {"person:1": 0.0, "person:2": 0.0} and two.degree == {"person:1": 1, "person:2": 1}
    assert two.communities == [["person:1", "person:2"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SEES))
def test_analysis_on_records_sees_only_what_the_role_may(role: str, levels: Levels, viewers: dict[str, Any]) -> None:
    from shelter.network.build import build_network

    network = build_network(viewers[role], state="UZ")
    agency_id = f"organisation:{levels.hub['agency'].pk}"
    shared = {s.actor: s for s in shared_perpetrators(network)}
    visible_incidents = sorted(f"incident:{levels.incidents[lv].pk}" for lv in SEES[role])
    if len(visible_incidents) < 2:
        assert agency_id not in shared
    else:
        assert sorted(shared[agency_id].incidents) == visible_incidents
        assert len(shared[agency_id].host_countries) == len(SEES[role])
    handler = f"person:{levels.hub['handler'].pk}"
    informants, handlers = informants_and_handlers(network)
    assert informants == {f"person:{levels.people[lv].pk}" for lv in SEES[role]}
    assert handler in handlers


def test_date_filter_keeps_open_relationships_and_dated_incident_links() -> None:
    from shelter.network.core import edge_passes

    open_link = Edge("relationship:1", "person:1", "person:2", "employed_by", start="2016")
    closed = Edge("relationship:2", "person:1", "person:2", "associate", start="2010", end="2012")
    incident_link = Edge("perpetrator:1", "person:1", "incident:1", "perpetrator", start="2020-04")
    undated = Edge("relationship:3", "person:1", "person:2", "family")
    assert [edge_passes(e, year_from=2021) for e in (open_link, closed, incident_link, undated)] == \
        [True, False, False, True]
    assert [edge_passes(e, year_to=2015) for e in (open_link, closed, incident_link, undated)] == \
        [False, True, False, True]
    assert not edge_passes(open_link, kinds=frozenset({"family"}))
