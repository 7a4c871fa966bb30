"""The network of people, organisations and incidents, and the analyses over it. Pure: no Django.

A :class:`Network` holds what one caller may see (built by :mod:`shelter.network.build` through the visibility
filter); every function here works only on what it is given, so no result can reach past it. Each edge keeps
the record it comes from and the sources cited for it, so every result can be traced back to its evidence.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy, networkx, scipy and scikit-network are imported where used: start-up for every process
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray
    from scipy import sparse

NODE_KINDS = ("person", "organisation", "incident")
# Relationship kinds (shelter.registry.models.RelationshipKind) and the incident links.
EDGE_KINDS = ("family", "member_of", "employed_by", "informant_for", "associate", "leads", "subsidiary",
              "target", "perpetrator")
# Links through which an organisation acts: an incident done by its informant, officer or leader is its work.
ACTS_FOR = ("informant_for", "employed_by", "leads")
HANDLER_WORDS = ("handler", "куратор")


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
        import networkx as nx

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
        import networkx as nx

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
    import networkx as nx

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

# Betweenness (Brandes) costs, per source node, one breadth-first search: levels x (nodes + links) steps, done
# for a batch of sources at once as sparse-matrix products. From every node when that fits in this much work
# (about 10 s on an idle core); above it, from as many sources of a seeded sample as fit, at least the minimum,
# the result saying so and how many.
BETWEENNESS_WORK = 6_000_000_000
BETWEENNESS_MIN_SAMPLES = 64
BETWEENNESS_BATCH_CELLS = 6_400_000  # nodes x sources searched at once (4 bytes a cell in each array)
SEED = 15


@dataclass(frozen=True)
class Structure:
    degree: dict[str, int]  # how many others a record is linked to
    pagerank: dict[str, float]  # PageRank over the links, each pair weighted by the records linking it
    betweenness: dict[str, float]  # normalised: the share of shortest paths between others through a record
    betweenness_approximate: bool
    betweenness_samples: int | None  # source nodes of the estimate; None when exact
    communities: list[list[str]]  # largest first
    community_method: str


def adjacency(network: Network) -> tuple[list[str], sparse.csr_matrix]:
    """Node ids (sorted) and the undirected adjacency matrix between them: one entry per linked pair, weighted by
    how many records link it; a record linking a node to itself is left out."""
    import numpy as np
    from scipy import sparse

    order = sorted(network.nodes)
    index = {node: position for position, node in enumerate(order)}
    pairs = [(index[e.source], index[e.target]) for e in network.edges.values() if e.source != e.target]
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([ends[:, 0], ends[:, 1]])
    columns = np.concatenate([ends[:, 1], ends[:, 0]])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(order), len(order)))
    matrix.sum_duplicates()
    return order, matrix


def _dependencies(links: sparse.csr_matrix, sources: NDArray[np.int64]) -> tuple[NDArray[np.float64], int]:
    """Brandes' dependencies summed over ``sources``, searched breadth first together (one column each), and the
    most levels a search took. ``links`` is the 0/1 adjacency matrix in float32."""
    import numpy as np

    n, k = links.shape[0], len(sources)
    columns = np.arange(k)
    paths = np.zeros((n, k), dtype=np.float32)  # shortest paths from each source; 0 until reached
    paths[sources, columns] = 1
    frontier = paths.copy()
    levels = [frontier > 0]
    while True:
        reached = links @ frontier  # paths arriving from the last level
        reached *= paths == 0  # at nodes not reached before
        at = reached > 0
        if not at.any():
            break
        paths += reached
        levels.append(at)
        frontier = reached
    dependency = np.zeros((n, k), dtype=np.float32)
    share = np.empty((n, k), dtype=np.float32)
    for level in range(len(levels) - 1, 0, -1):
        share.fill(0)
        np.divide(1 + dependency, paths, out=share, where=levels[level])
        back = links @ share
        back *= paths
        back *= levels[level - 1]
        dependency += back
    dependency[sources, columns] = 0
    return dependency.sum(axis=1, dtype=np.float64), len(levels) - 1


def betweenness(matrix: sparse.csr_matrix, work: int = BETWEENNESS_WORK,
                seed: int = SEED) -> tuple[NDArray[np.float64], int | None]:
    """Normalised betweenness of each node (as networkx computes it, unweighted) and the number of sampled
    sources, or None when every node was a source (exact). The first batch of the sample tells how many levels
    a search takes, and so how many sources fit in ``work``."""
    import numpy as np

    n = matrix.shape[0]
    if n <= 2:
        return np.zeros(n), None
    links = matrix.astype(np.float32)
    links.data[:] = 1
    batch = min(n, BETWEENNESS_MIN_SAMPLES, max(1, BETWEENNESS_BATCH_CELLS // n))
    order = np.random.default_rng(seed).permutation(n)
    total, levels = _dependencies(links, order[:batch])
    per_source = max(levels, 1) * (n + links.nnz)
    count = min(n, max(BETWEENNESS_MIN_SAMPLES, batch, work // per_source))
    for begin in range(batch, count, batch):
        total += _dependencies(links, order[begin:min(begin + batch, count)])[0]
    scale = 1 / ((n - 1) * (n - 2)) * (n / count)
    return total * scale, None if count == n else count


def pagerank(matrix: sparse.csr_matrix, damping: float = 0.85, tolerance: float = 1e-6,
             iterations: int = 200) -> NDArray[np.float64]:
    """PageRank over the weighted links, as networkx defines it: a walker follows a link in proportion to its
    weight with probability ``damping``, else (and always from a record with no link) jumps to any record."""
    import numpy as np
    from scipy import sparse

    n = matrix.shape[0]
    strength = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = strength == 0
    inverse = np.divide(1.0, strength, out=np.zeros(n), where=~dangling)
    walk = (sparse.diags(inverse) @ matrix).T.tocsr()  # column j: where a walker at j goes
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        previous = rank
        rank = damping * (walk @ previous + previous[dangling].sum() / n) + (1 - damping) / n
        if np.abs(rank - previous).sum() < n * tolerance:
            break
    return rank


def structure(network: Network, work: int = BETWEENNESS_WORK, seed: int = SEED) -> Structure:
    """Degree, PageRank, betweenness (estimated from a seeded sample of sources above ``work``, see
    :func:`betweenness`) and Louvain communities (scikit-network, fixed seed: the same network gives the same
    answer), all on a sparse matrix (scipy). The result says whether betweenness is estimated."""
    import numpy as np
    from sknetwork.clustering import Louvain

    order, matrix = adjacency(network)
    if not order:
        return Structure({}, {}, {}, False, None, [], "louvain")
    degree = np.diff(matrix.indptr)
    rank = pagerank(matrix)
    between, samples = betweenness(matrix, work, seed)
    labels = Louvain(random_state=seed).fit_predict(matrix)
    groups: dict[int, list[str]] = {}
    for node, label in zip(order, labels.tolist(), strict=True):
        groups.setdefault(label, []).append(node)
    communities = sorted(groups.values(), key=lambda c: (-len(c), c[0]))
    return Structure(degree=dict(zip(order, degree.tolist(), strict=True)),
                     pagerank=dict(zip(order, rank.tolist(), strict=True)),
                     betweenness=dict(zip(order, between.tolist(), strict=True)),
                     betweenness_approximate=samples is not None, betweenness_samples=samples,
                     communities=communities, community_method="louvain")


def top(scores: dict[str, Any], count: int, among: Sequence[str] | None = None) -> list[tuple[str, Any]]:
    chosen = scores if among is None else {k: scores[k] for k in among if k in scores}
    return sorted(chosen.items(), key=lambda item: (-item[1], item[0]))[:count]
