"""The network of people, organisations and incidents, and the analyses over it. Pure: no Django.

A :class:`Network` holds what one caller may see (built by :mod:`shelter.network.build` through the visibility
filter); every function here works only on what it is given, so no result can reach past it. Each edge keeps
the record it comes from and the sources cited for it, so every result can be traced back to its evidence.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

NODE_KINDS = ("person", "organisation", "incident")
# Relationship kinds (shelter.registry.models.RelationshipKind) and the incident links.
EDGE_KINDS = ("family", "member_of", "employed_by", "informant_for", "associate", "leads", "subsidiary",
              "target", "perpetrator")
# Links through which an organisation acts: an incident done by its informant, officer or leader is its work.
ACTS_FOR = ("informant_for", "employed_by", "leads")
HANDLER_WORDS = ("handler", "куратор")
# Exact betweenness costs one search from every node (nodes x links steps); above this much work it is estimated
# from a sample of source nodes, and the result says so.
EXACT_BETWEENNESS_WORK = 5_000_000
BETWEENNESS_SAMPLES = 32
# Above this many edges communities come from label propagation (near-linear) instead of Louvain modularity.
LOUVAIN_EDGE_LIMIT = 200_000
SEED = 15


@dataclass(frozen=True)
class Citation:
    source_id: int
    title: str
    locator: str = ""


@dataclass(frozen=True)
class Node:
    id: str  # "person:12", "organisation:3", "incident:7"
    kind: str
    label: str
    attrs: tuple[tuple[str, str], ...] = ()  # e.g. country, host country, year, organisation kind

    def attr(self, name: str) -> str:
        return dict(self.attrs).get(name, "")


@dataclass(frozen=True)
class Edge:
    id: str  # the record behind it: "relationship:5", "target:9", "perpetrator:4"
    source: str
    target: str
    kind: str
    detail: str = ""
    start: str = ""  # partial dates, YYYY[-MM[-DD]]
    end: str = ""
    confidence: str = "unknown"  # high, medium, low, unknown
    citations: tuple[Citation, ...] = ()

    def other(self, node: str) -> str:
        return self.target if node == self.source else self.source

    @property
    def years(self) -> tuple[int | None, int | None]:
        """First and last year; a relationship without an end is open (None), an incident link without one
        lasts its start year."""
        if self.end or self.id.startswith("relationship:"):
            return _year(self.start), _year(self.end)
        return _year(self.start), _year(self.start)


def _year(value: str) -> int | None:
    return int(value[:4]) if value[:4].isdigit() else None


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    adjacency: dict[str, list[str]] = field(default_factory=dict)  # node id -> edge ids
    truncated: bool = False  # a neighbourhood stopped at its node limit

    def add_node(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)
        self.adjacency.setdefault(node.id, [])

    def add_edge(self, edge: Edge) -> None:
        """Add an edge between two nodes already in the network; an edge to a node not in it is left out."""
        if edge.id in self.edges or edge.source not in self.nodes or edge.target not in self.nodes:
            return
        self.edges[edge.id] = edge
        self.adjacency[edge.source].append(edge.id)
        if edge.target != edge.source:
            self.adjacency[edge.target].append(edge.id)

    def incident_edges(self, node: str) -> Iterator[Edge]:
        for edge_id in self.adjacency.get(node, ()):
            yield self.edges[edge_id]

    def subnetwork(self, node_ids: Iterable[str]) -> Network:
        chosen = set(node_ids)
        sub = Network()
        for node_id in chosen:
            sub.add_node(self.nodes[node_id])
        for node_id in chosen:
            for edge in self.incident_edges(node_id):
                sub.add_edge(edge)
        return sub

    def to_networkx(self) -> nx.MultiDiGraph:
        """A directed multigraph for export: node and edge attributes are plain strings and numbers."""
        graph = nx.MultiDiGraph()
        for node in self.nodes.values():
            graph.add_node(node.id, kind=node.kind, label=node.label, **dict(node.attrs))
        for edge in self.edges.values():
            graph.add_edge(edge.source, edge.target, key=edge.id, record=edge.id, kind=edge.kind,
                           detail=edge.detail, start=edge.start, end=edge.end, confidence=edge.confidence,
                           sources="; ".join(_cited(c) for c in edge.citations))
        return graph

    def simple_graph(self) -> nx.Graph:
        """Undirected, one edge per pair of nodes weighted by how many records link them."""
        graph = nx.Graph()
        graph.add_nodes_from(self.nodes)
        for edge in self.edges.values():
            if edge.source == edge.target:
                continue
            if graph.has_edge(edge.source, edge.target):
                graph[edge.source][edge.target]["weight"] += 1
            else:
                graph.add_edge(edge.source, edge.target, weight=1)
        return graph


def _cited(citation: Citation) -> str:
    return f"source:{citation.source_id} {citation.title}" + (f" ({citation.locator})" if citation.locator else "")


# ---------------------------------------------------------------------------------------------------------
# Neighbourhoods and paths


def edge_passes(edge: Edge, kinds: frozenset[str] | None = None, year_from: int | None = None,
                year_to: int | None = None) -> bool:
    """Whether ``edge`` is of one of ``kinds`` and overlaps the years asked for (an undated edge always does)."""
    if kinds is not None and edge.kind not in kinds:
        return False
    first, last = edge.years
    if year_from is not None and last is not None and last < year_from:
        return False
    return not (year_to is not None and first is not None and first > year_to)


def neighbourhood(network: Network, start: str, hops: int, kinds: frozenset[str] | None = None,
                  max_nodes: int | None = None) -> dict[str, int]:
    """The nodes within ``hops`` of ``start`` (breadth first, through edges of ``kinds``), with their distance.
    Stops at ``max_nodes``; the caller learns it from a result of exactly that size."""
    if start not in network.nodes:
        raise KeyError(start)
    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if distance[node] >= hops:
            continue
        for edge in network.incident_edges(node):
            if kinds is not None and edge.kind not in kinds:
                continue
            other = edge.other(node)
            if other not in distance:
                if max_nodes is not None and len(distance) >= max_nodes:
                    return distance
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


@dataclass(frozen=True)
class Path:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]  # one record between each pair of consecutive nodes (the best cited)


_CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2, "unknown": 3}


def _best_edge(network: Network, a: str, b: str) -> Edge:
    between = [e for e in network.incident_edges(a) if e.other(a) == b]
    return min(between, key=lambda e: (_CONFIDENCE_RANK.get(e.confidence, 3), -len(e.citations), e.id))


def shortest_paths(network: Network, a: str, b: str, limit: int = 10) -> list[Path]:
    """Up to ``limit`` shortest paths between two nodes, each edge with its record and sources; none when
    either node is not in the network or nothing connects them."""
    if a not in network.nodes or b not in network.nodes:
        return []
    graph = network.simple_graph()
    try:
        found = nx.all_shortest_paths(graph, a, b)
        paths = []
        for nodes in found:
            paths.append(Path(tuple(nodes), tuple(_best_edge(network, x, y) for x, y in zip(nodes, nodes[1:]))))
            if len(paths) >= limit:
                break
    except nx.NetworkXNoPath:
        return []
    return paths


# ---------------------------------------------------------------------------------------------------------
# Shared perpetrators, informants and handlers


@dataclass(frozen=True)
class SharedPerpetrator:
    actor: str
    incidents: tuple[str, ...]
    host_countries: tuple[str, ...]
    years: tuple[int, ...]
    edges: tuple[Edge, ...]  # perpetrator links, and the links through which the actor's people acted

    @property
    def spread(self) -> bool:
        return len(self.host_countries) > 1 or len(self.years) > 1


def attributions(network: Network, through_people: bool = True) -> dict[str, dict[str, list[Edge]]]:
    """Actor -> incident -> the edges that tie them: the actor's perpetrator link and, with ``through_people``,
    for an organisation also the incidents of the people who act for it (informants, employees, leaders), the
    link between them cited alongside."""
    incidents_of: dict[str, dict[str, list[Edge]]] = {}
    for edge in network.edges.values():
        if edge.kind == "perpetrator":
            actor, incident = (edge.source, edge.target) if edge.target.startswith("incident:") \
                else (edge.target, edge.source)
            incidents_of.setdefault(actor, {}).setdefault(incident, []).append(edge)
    if through_people:
        direct = {actor: dict(incidents) for actor, incidents in incidents_of.items()}
        for edge in list(network.edges.values()):
            if edge.kind in ACTS_FOR and edge.target.startswith("organisation:") and edge.source in direct:
                credited = incidents_of.setdefault(edge.target, {})
                for incident, links in direct[edge.source].items():
                    credited.setdefault(incident, []).extend([edge, *links])
    return incidents_of


def shared_perpetrators(network: Network, through_people: bool = True) -> list[SharedPerpetrator]:
    """Actors (agencies, handlers, informants...) named as perpetrator in more than one incident, with the host
    countries and years of those incidents (see :func:`attributions` for ``through_people``)."""
    incidents_of = attributions(network, through_people)
    result = []
    for actor, incidents in incidents_of.items():
        if len(incidents) < 2:
            continue
        nodes = [network.nodes[i] for i in sorted(incidents)]
        hosts = sorted({n.attr("host_country") for n in nodes if n.attr("host_country")})
        years = sorted({int(n.attr("year")) for n in nodes if n.attr("year").isdigit()})
        edges = {e.id: e for links in incidents.values() for e in links}
        result.append(SharedPerpetrator(actor, tuple(sorted(incidents)), tuple(hosts), tuple(years),
                                        tuple(edges[k] for k in sorted(edges))))
    result.sort(key=lambda s: (-len(s.host_countries), -len(s.incidents), s.actor))
    return result


def informants_and_handlers(network: Network) -> tuple[set[str], set[str]]:
    """People known as informants (the subject of an ``informant_for`` link) and as handlers (the person an
    informant reports to, or whose link to an agency names them handler)."""
    informants: set[str] = set()
    handlers: set[str] = set()
    for edge in network.edges.values():
        if edge.kind == "informant_for" and edge.source.startswith("person:"):
            informants.add(edge.source)
            if edge.target.startswith("person:"):
                handlers.add(edge.target)
        elif (edge.kind in ("employed_by", "member_of") and edge.source.startswith("person:")
              and any(word in edge.detail.lower() for word in HANDLER_WORDS)):
            handlers.add(edge.source)
    return informants, handlers


@dataclass(frozen=True)
class Reached:
    person: str
    distance: int
    via: str  # the informant or handler it is nearest to
    path: Path


def people_near(network: Network, known: Iterable[str], hops: int) -> list[Reached]:
    """People within ``hops`` of one of the ``known`` informants or handlers (not counting themselves), each
    with the path that reaches them."""
    known_set = sorted(set(known) & network.nodes.keys())
    parent: dict[str, tuple[str, Edge] | None] = {k: None for k in known_set}
    root = {k: k for k in known_set}
    distance = dict.fromkeys(known_set, 0)
    queue = deque(known_set)
    while queue:
        node = queue.popleft()
        if distance[node] >= hops:
            continue
        for edge in sorted(network.incident_edges(node), key=lambda e: e.id):
            other = edge.other(node)
            if other not in distance:
                distance[other], parent[other], root[other] = distance[node] + 1, (node, edge), root[node]
                queue.append(other)
    reached = []
    for node, steps in distance.items():
        if steps == 0 or not node.startswith("person:"):
            continue
        nodes, edges, cursor = [node], [], node
        while (step := parent[cursor]) is not None:
            cursor, edge = step
            nodes.append(cursor)
            edges.append(edge)
        reached.append(Reached(node, steps, root[node], Path(tuple(reversed(nodes)), tuple(reversed(edges)))))
    reached.sort(key=lambda r: (r.distance, r.person))
    return reached


# ---------------------------------------------------------------------------------------------------------
# Centrality and communities


@dataclass(frozen=True)
class Structure:
    degree: dict[str, int]
    betweenness: dict[str, float]
    betweenness_approximate: bool
    betweenness_samples: int | None
    communities: list[list[str]]
    community_method: str


def structure(network: Network, samples: int = BETWEENNESS_SAMPLES, seed: int = SEED) -> Structure:
    """Degree, betweenness (estimated from ``samples`` source nodes above :data:`EXACT_BETWEENNESS_WORK`)
    and communities: Louvain modularity with a fixed seed (the same network gives the same answer), or label
    propagation above :data:`LOUVAIN_EDGE_LIMIT` edges. The result says which and whether it is estimated."""
    graph = network.simple_graph()
    approximate = graph.number_of_nodes() * max(graph.number_of_edges(), 1) > EXACT_BETWEENNESS_WORK
    k = min(samples, graph.number_of_nodes()) if approximate else None
    betweenness = nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True) if graph else {}
    method = "louvain" if graph.number_of_edges() <= LOUVAIN_EDGE_LIMIT else "label_propagation"
    if not graph:
        communities: list[set[str]] = []
    elif method == "louvain":
        communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    else:
        communities = list(nx.community.label_propagation_communities(graph))
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    return Structure(degree={n: int(d) for n, d in graph.degree()}, betweenness=betweenness,
                     betweenness_approximate=approximate, betweenness_samples=k,
                     communities=ordered, community_method=method)


def top(scores: dict[str, Any], count: int, among: Sequence[str] | None = None) -> list[tuple[str, Any]]:
    chosen = scores if among is None else {k: scores[k] for k in among if k in scores}
    return sorted(chosen.items(), key=lambda item: (-item[1], item[0]))[:count]
