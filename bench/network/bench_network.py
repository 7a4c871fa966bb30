"""Network speed at scale: a node's neighbourhood at 200,000 nodes / 1,000,000 links, and a state network's
centrality and communities at 100,000 nodes / 1,000,000 links.

Run from the repository root:  python bench/network/bench_network.py  [--nodes 200000 --edges 1000000]
[--structure-nodes 100000] [--no-structure-baseline] [--db | --no-db] [--db-nodes N --db-edges M]
[--db-home DIR]
Each figure has a baseline measured in the same run:
- neighbourhood in memory (shelter.network.core.neighbourhood, 2 hops, at most 500 nodes) against a scan of the
  link list per hop (what a query without an adjacency index does);
- neighbourhood from the database (shelter.network.build.neighbourhood_network, the page's query, through the
  visibility filter, on a SQLite workspace in a temporary SHELTER_HOME, or in --db-home to load it once for
  several runs) against building the whole network and searching it;
- centrality and communities (shelter.network.core.structure: degree, PageRank, betweenness from a seeded
  sample of sources, Louvain) against the earlier networkx computation (betweenness from 32 sampled sources,
  label propagation) and exact networkx betweenness, extrapolated from the time per source.
Results go to bench/RESULTS.md (section "network").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from shelter.network.core import (
    BETWEENNESS_MIN_SAMPLES,
    BETWEENNESS_WORK,
    EDGE_KINDS,
    Edge,
    Network,
    Node,
    adjacency,
    betweenness,
    neighbourhood,
    pagerank,
    structure,
)

RELATION_KINDS = EDGE_KINDS[:7]


def _kinds(nodes: int) -> tuple[int, int, int]:
    people = int(nodes * 0.75)
    organisations = int(nodes * 0.05)
    return people, organisations, nodes - people - organisations


def _pick(rng: random.Random, count: int) -> int:
    """Skewed: a few records are linked to many (agencies, hubs), most to a few."""
    return int(count * rng.random() ** 2.2)


def synthetic_links(nodes: int, edges: int, seed: int = 15) -> list[tuple[str, str, str, str, str]]:
    """(id, source, target, kind, start) for a network of people, organisations and incidents."""
    rng = random.Random(seed)
    people, organisations, incidents = _kinds(nodes)
    links = []
    for index in range(edges):
        roll = rng.random()
        if roll < 0.55:
            kind = rng.choice(RELATION_KINDS)
            source = f"person:{_pick(rng, people) + 1}"
            target = (f"organisation:{_pick(rng, organisations) + 1}" if kind in ("member_of", "employed_by",
                                                                                   "informant_for", "leads")
                      else f"person:{rng.randrange(people) + 1}")
            links.append((f"relationship:{index}", source, target, kind, str(2000 + rng.randrange(26))))
        elif roll < 0.85:
            links.append((f"target:{index}", f"incident:{rng.randrange(incidents) + 1}",
                           f"person:{rng.randrange(people) + 1}", "target", str(2010 + rng.randrange(16))))
        else:
            actor = (f"organisation:{_pick(rng, organisations) + 1}" if rng.random() < 0.5
                     else f"person:{_pick(rng, people) + 1}")
            links.append((f"perpetrator:{index}", actor, f"incident:{rng.randrange(incidents) + 1}", "perpetrator",
                          str(2010 + rng.randrange(16))))
    return links


def memory_network(nodes: int, links: list[tuple[str, str, str, str, str]]) -> Network:
    network = Network()
    people, organisations, incidents = _kinds(nodes)
    for kind, count in (("person", people), ("organisation", organisations), ("incident", incidents)):
        for pk in range(1, count + 1):
            network.add_node(Node(f"{kind}:{pk}", kind, f"{kind} {pk}"))
    for edge_id, source, target, kind, start in links:
        network.add_edge(Edge(edge_id, source, target, kind, start=start))
    return network


def scan_neighbourhood(edges: list[Edge], start: str, hops: int, max_nodes: int) -> dict[str, int]:
    distance = {start: 0}
    frontier = {start}
    for hop in range(1, hops + 1):
        found = set()
        for edge in edges:
            if edge.source in frontier and edge.target not in distance:
                found.add(edge.target)
            elif edge.target in frontier and edge.source not in distance:
                found.add(edge.source)
        for node in sorted(found):
            if len(distance) >= max_nodes:
                return distance
            distance[node] = hop
        frontier = found
    return distance


def timed(run: object, *args: object) -> tuple[float, object]:
    begin = time.perf_counter()
    result = run(*args)  # type: ignore[operator]
    return time.perf_counter() - begin, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def describe(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"median {ms(statistics.median(times))}, p95 {ms(p95)}, max {ms(times[-1])}"


Rows = list[tuple[str, str, str]]


def bench_memory(nodes: int, edges: int, queries: int, rows: Rows) -> Network:
    links = synthetic_links(nodes, edges)
    seconds, network = timed(memory_network, nodes, links)
    rows.append((f"build the in-memory network, {nodes:,} nodes / {len(network.edges):,} links", ms(seconds), ""))
    rng = random.Random(1)
    starts = [f"person:{rng.randrange(1, _kinds(nodes)[0])}" for _ in range(queries)]
    starts += [f"organisation:{_pick(rng, _kinds(nodes)[1]) + 1}" for _ in range(queries // 4)]
    ours = [timed(neighbourhood, network, s, 2, None, 500)[0] for s in starts]
    edge_list = list(network.edges.values())
    baseline = [timed(scan_neighbourhood, edge_list, s, 2, 500)[0] for s in starts[:5]]
    for s in starts[:5]:
        assert set(neighbourhood(network, s, 2, None, 10**9)) <= set(scan_neighbourhood(edge_list, s, 2, 10**9))
    rows.append((f"neighbourhood in memory, 2 hops, ≤ 500 nodes ({len(starts)} starts, people and agencies)",
                 describe(ours), f"link-list scan per hop: {describe(baseline)} (5 starts)"))
    return network


def networkx_structure(network: Network, samples: int = 32, seed: int = 15) -> tuple[dict[str, float], int]:
    """The earlier pure-Python computation: networkx betweenness from ``samples`` sampled sources and label
    propagation (Louvain in networkx being slower still at this size); the betweenness and the community count."""
    import networkx as nx

    graph = network.simple_graph()
    scores = nx.betweenness_centrality(graph, k=samples, seed=seed, normalized=True)
    return scores, len(list(nx.community.label_propagation_communities(graph)))


def bench_structure(nodes: int, edges: int, rows: Rows, baseline: bool) -> None:
    import networkx as nx

    network = memory_network(nodes, synthetic_links(nodes, edges, seed=16))
    seconds, found = timed(structure, network)
    parts = []
    for name, run in (("matrix", lambda: adjacency(network)),):
        parts.append(f"{name} {timed(run)[0]:,.1f} s")
    _, matrix = adjacency(network)
    parts.append(f"PageRank {timed(pagerank, matrix)[0]:,.1f} s")
    parts.append(f"betweenness {timed(betweenness, matrix)[0]:,.1f} s")
    sampled = f"from {found.betweenness_samples:,} sampled sources" if found.betweenness_approximate else "exact"
    rows.append((f"centrality + communities, {nodes:,} nodes / {len(network.edges):,} links: degree, PageRank, "
                 f"betweenness {sampled}, Louvain ({len(found.communities):,} communities); "
                 f"parts measured apart: {', '.join(parts)}", f"{seconds:,.1f} s", ""))
    graph = network.simple_graph()
    per_source, _ = timed(lambda: nx.betweenness_centrality(graph, k=4, seed=7))
    exact = per_source / 4 * graph.number_of_nodes()
    compared = [f"exact networkx betweenness over every source: {exact / 3600:,.1f} h (extrapolated from 4 sources)"]
    if baseline:
        old_seconds, (old_scores, old_communities) = timed(networkx_structure, network)
        people = [n for n in network.nodes if n.startswith("person:")]
        ours = {n for n, _ in sorted(((n, found.betweenness[n]) for n in people), key=lambda x: -x[1])[:10]}
        theirs = {n for n, _ in sorted(((n, old_scores[n]) for n in people), key=lambda x: -x[1])[:10]}
        compared.insert(0, f"networkx as before (betweenness from 32 sampled sources, label propagation, "
                           f"{old_communities:,} communities): {old_seconds:,.1f} s; the two estimates share "
                           f"{len(ours & theirs)} of their 10 people with the highest betweenness")
    rows[-1] = (*rows[-1][:2], "; ".join(compared))


def load_database(nodes: int, edges: int) -> tuple[int, bool]:
    """Records and links of :func:`synthetic_links` in the configured workspace: the number of links, and whether
    they were loaded now. A workspace that already holds them (``--db-home`` of an earlier run at the same sizes)
    is used as it is."""
    from django.db import transaction

    from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
    from shelter.registry.models import Organisation, Person, Relationship

    people, organisations, incidents = _kinds(nodes)
    if Person.objects.count() == people and Incident.objects.count() == incidents:
        return (Relationship.objects.count() + IncidentTarget.objects.count()
                + IncidentPerpetrator.objects.count(), False)
    with transaction.atomic():
        Person.objects.bulk_create((Person(pk=pk, primary_name=f"Person {pk}", confidentiality="internal")
                                    for pk in range(1, people + 1)), batch_size=5000)
        Organisation.objects.bulk_create((Organisation(pk=pk, name=f"Agency {pk}", confidentiality="internal")
                                          for pk in range(1, organisations + 1)), batch_size=5000)
        Incident.objects.bulk_create((Incident(pk=pk, title=f"Incident {pk}", tactic="detention", date="2020",
                                               year=2020, origin_state="UZ", confidentiality="internal")
                                      for pk in range(1, incidents + 1)), batch_size=5000)
        relationships, targets, perpetrators = [], [], []
        seen_targets = set()
        for edge_id, source, target, kind, start in synthetic_links(nodes, edges):
            pk = int(edge_id.partition(":")[2]) + 1
            s_kind, _, s_pk = source.partition(":")
            t_kind, _, t_pk = target.partition(":")
            if edge_id.startswith("relationship:"):
                relationships.append(Relationship(
                    pk=pk, kind=kind, start=start, confidentiality="internal", subject_person_id=int(s_pk),
                    object_person_id=int(t_pk) if t_kind == "person" else None,
                    object_organisation_id=int(t_pk) if t_kind == "organisation" else None))
            elif edge_id.startswith("target:"):
                if (s_pk, t_pk) not in seen_targets:  # a person is a target of an incident once
                    seen_targets.add((s_pk, t_pk))
                    targets.append(IncidentTarget(pk=pk, incident_id=int(s_pk), person_id=int(t_pk)))
            else:
                perpetrators.append(IncidentPerpetrator(
                    pk=pk, incident_id=int(t_pk), person_id=int(s_pk) if s_kind == "person" else None,
                    organisation_id=int(s_pk) if s_kind == "organisation" else None))
        Relationship.objects.bulk_create(relationships, batch_size=5000)
        IncidentTarget.objects.bulk_create(targets, batch_size=5000)
        IncidentPerpetrator.objects.bulk_create(perpetrators, batch_size=5000)
    return len(relationships) + len(targets) + len(perpetrators), True


def bench_database(nodes: int, edges: int, queries: int, rows: Rows, home: str | None) -> None:
    os.environ.setdefault("SHELTER_HOME", home or tempfile.mkdtemp(prefix="shelter-bench-network-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from shelter.access.models import User
    from shelter.network.build import build_network, neighbourhood_network

    call_command("migrate", interactive=False, verbosity=0)
    begin = time.perf_counter()
    total, loaded = load_database(nodes, edges)
    rows.append((f"load the SQLite workspace, {nodes:,} records / {total:,} links",
                 f"{time.perf_counter() - begin:,.0f} s" if loaded else "loaded by an earlier run (--db-home)", ""))
    viewer, _ = User.objects.get_or_create(username="bench-viewer", defaults={"role": "viewer",
                                                                             "clearance": "internal"})
    people, organisations, _incidents = _kinds(nodes)
    rng = random.Random(2)
    starts = [f"person:{rng.randrange(1, people)}" for _ in range(queries)]
    starts += [f"organisation:{_pick(rng, organisations) + 1}" for _ in range(queries // 4)]
    neighbourhood_network(viewer, starts[0], 2)  # warm the connection and caches
    one_hop = [timed(neighbourhood_network, viewer, s, 1)[0] for s in starts]
    two_hops = [timed(neighbourhood_network, viewer, s, 2)[0] for s in starts]
    three_hops = [timed(neighbourhood_network, viewer, s, 3)[0] for s in starts]
    seconds, whole = timed(build_network, viewer)
    baseline = (f"build the whole visible network, then search it: {seconds:,.1f} s per query "
                f"({len(whole.nodes):,} nodes, {len(whole.edges):,} links)")
    rows.append((f"neighbourhood from the database through the visibility filter, 1 hop ({len(starts)} starts)",
                 describe(one_hop), baseline))
    rows.append(("same, 2 hops, ≤ 500 nodes", describe(two_hops), baseline))
    rows.append(("same, 3 hops, ≤ 500 nodes", describe(three_hops), baseline))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--structure-nodes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--structure-baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also time the earlier networkx computation (minutes at 100,000 / 1,000,000)")
    parser.add_argument("--db", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--db-nodes", type=int, help="records in the database part (default: --nodes)")
    parser.add_argument("--db-edges", type=int, help="links in the database part (default: --edges)")
    parser.add_argument("--db-home", help="keep the loaded workspace in this SHELTER_HOME and use it again")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    rows: Rows = []
    load_before = os.getloadavg()
    bench_memory(arguments.nodes, arguments.edges, arguments.queries, rows)
    bench_structure(arguments.structure_nodes, arguments.edges, rows, arguments.structure_baseline)
    if arguments.db:
        bench_database(arguments.db_nodes or arguments.nodes, arguments.db_edges or arguments.edges,
                       max(20, arguments.queries // 2), rows, arguments.db_home)
    load_after = os.getloadavg()
    command = "python bench/network/bench_network.py " + " ".join(a for a in sys.argv[1:] if a != "--no-write")
    body = "\n".join([
        f"## network — `{command.strip()}`",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} CPU(s) shared with other work, one process; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Synthetic network: 75% people, 5% organisations, 20% incidents; "
        "links skewed so that a few agencies and people have many. Targets: neighbourhood ≤ 200 ms at "
        "200,000 nodes / 1,000,000 links; centrality and communities ≤ 60 s at 100,000 / 1,000,000.",
        "",
        "| measure | Shelter | baseline in the same run |",
        "|---|---|---|",
        *(f"| {name} | {value} | {baseline or '—'} |" for name, value, baseline in rows),
        "",
        "Betweenness is exact while levels × (nodes + links) × nodes stays within "
        f"{BETWEENNESS_WORK:,}; above, it is estimated from as many sampled sources as fit (at least "
        f"{BETWEENNESS_MIN_SAMPLES}), and the report says so and how many.",
    ])
    print(body)
    if not arguments.no_write:
        from bench.results import write_section

        write_section("network", body)


if __name__ == "__main__":
    main()
