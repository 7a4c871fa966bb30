"""A state's network report (JSON and HTML): who acts, where, through whom; every finding with its records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.template.loader import render_to_string

from shelter.network.core import (
    Network,
    Path,
    informants_and_handlers,
    people_near,
    shared_perpetrators,
    structure,
    top,
)
from shelter.network.export import edge_json, node_json

NEAR_HOPS = 2
TOP = 10


def path_json(network: Network, path: Path) -> dict[str, Any]:
    return {"nodes": [node_json(network.nodes[n]) for n in path.nodes], "edges": [edge_json(e) for e in path.edges]}


def _ref(network: Network, node_id: str) -> dict[str, Any]:
    return node_json(network.nodes[node_id])


def state_report(network: Network, state: str) -> dict[str, Any]:
    """Findings over ``network`` (already narrowed to what the caller may see)."""
    informants, handlers = informants_and_handlers(network)
    found = structure(network)
    people = [n for n in network.nodes.values() if n.kind == "person"]
    return {
        "state": state,
        "nodes": dict(sorted(Counter(n.kind for n in network.nodes.values()).items())),
        "edges": dict(sorted(Counter(e.kind for e in network.edges.values()).items())),
        "shared_perpetrators": [{
            "actor": _ref(network, s.actor),
            "incidents": [_ref(network, i) for i in s.incidents],
            "host_countries": list(s.host_countries), "years": list(s.years),
            "records": [edge_json(e) for e in s.edges],
        } for s in shared_perpetrators(network)],
        "informants": [_ref(network, n) for n in sorted(informants)],
        "handlers": [_ref(network, n) for n in sorted(handlers)],
        "near_informants_and_handlers": {"hops": NEAR_HOPS, "people": [{
            "person": _ref(network, r.person), "distance": r.distance, "via": _ref(network, r.via),
            "path": path_json(network, r.path),
        } for r in people_near(network, informants | handlers, NEAR_HOPS)]},
        "centrality": {
            "degree": [{"node": _ref(network, n), "score": s} for n, s in top(found.degree, TOP)],
            "pagerank": [{"node": _ref(network, n), "score": round(s, 6)} for n, s in top(found.pagerank, TOP)],
            "betweenness": [{"node": _ref(network, n), "score": round(s, 6)}
                            for n, s in top(found.betweenness, TOP, [p.id for p in people])],
            "betweenness_approximate": found.betweenness_approximate,
            "betweenness_samples": found.betweenness_samples,
        },
        "communities": {"method": found.community_method, "count": len(found.communities), "largest": [
            {"size": len(c), "members": [_ref(network, n) for n in c[:TOP]]} for c in found.communities[:TOP]]},
    }


def render_report_html(report: dict[str, Any]) -> str:
    return render_to_string("network/report.html", {"report": report})
