"""A network as JSON (for the page and the report) and as GEXF and GraphML (for Gephi and similar tools).
FollowTheMoney entities are written by the one FtM writer, :mod:`shelter.connectors.ftm_entities`, given the
network's records (:func:`ftm_selection`)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

import networkx as nx
from django.urls import reverse

from shelter.access.visibility import Viewer
from shelter.network.core import Edge, Network, Node

EXPORT_FORMATS = ("gexf", "graphml", "ftm")


def node_url(node_id: str) -> str:
    kind, _, pk = node_id.partition(":")
    name = {"person": "registry:person", "organisation": "registry:organisation", "incident": "incidents:incident"}
    return reverse(name[kind], args=[int(pk)])


def record_url(edge: Edge) -> str:
    """The page that shows the record behind an edge: a relationship on its subject's page, an incident link on
    the incident's page."""
    if edge.id.startswith("relationship:"):
        return node_url(edge.source)
    return node_url(edge.target if edge.target.startswith("incident:") else edge.source)


def node_json(node: Node) -> dict[str, Any]:
    return {"id": node.id, "kind": node.kind, "label": node.label, "url": node_url(node.id), **dict(node.attrs)}


def edge_json(edge: Edge) -> dict[str, Any]:
    return {
        "id": edge.id, "source": edge.source, "target": edge.target, "kind": edge.kind, "detail": edge.detail,
        "start": edge.start, "end": edge.end, "confidence": edge.confidence, "record_url": record_url(edge),
        "sources": [{"id": c.source_id, "title": c.title, "locator": c.locator,
                     "url": reverse("incidents:source", args=[c.source_id])} for c in edge.citations],
    }


def network_json(network: Network) -> dict[str, Any]:
    return {
        "nodes": [node_json(n) for n in sorted(network.nodes.values(), key=lambda n: n.id)],
        "edges": [edge_json(e) for e in sorted(network.edges.values(), key=lambda e: e.id)],
        "truncated": network.truncated,
    }


def _graph_with_urls(network: Network) -> nx.MultiDiGraph:
    graph = network.to_networkx()
    for node_id, data in graph.nodes(data=True):
        data["url"] = node_url(node_id)
    for _, _, data in graph.edges(data=True):
        data["record_url"] = record_url(network.edges[data["record"]])
    return graph


def write_gexf(stream: IO[str], network: Network) -> int:
    buffer = io.BytesIO()
    nx.write_gexf(_graph_with_urls(network), buffer)
    stream.write(buffer.getvalue().decode("utf-8"))
    return len(network.nodes) + len(network.edges)


def write_graphml(stream: IO[str], network: Network) -> int:
    buffer = io.BytesIO()
    nx.write_graphml(_graph_with_urls(network), buffer)
    stream.write(buffer.getvalue().decode("utf-8"))
    return len(network.nodes) + len(network.edges)


def note_export(viewer: Viewer, network: Network) -> None:
    """Note in the access log the confidential records of ``network`` that were exported."""
    from shelter.access.access_log import log_access
    from shelter.access.visibility import visible_to
    from shelter.incidents.models import Incident
    from shelter.registry.models import Organisation, Person, Relationship

    for model, prefix, among in ((Person, "person", network.nodes), (Organisation, "organisation", network.nodes),
                                 (Incident, "incident", network.nodes),
                                 (Relationship, "relationship", network.edges)):
        ids = [int(key.partition(":")[2]) for key in among if key.startswith(prefix + ":")]
        log_access(viewer, visible_to(model.objects.filter(pk__in=ids), viewer), "exported")


def ftm_selection(network: Network) -> dict[str, set[int]]:
    """The ids of the network's records by kind, as the FtM writer (shelter.connectors.ftm_entities) takes them."""
    def ids(prefix: str, among: dict[str, Any]) -> set[int]:
        return {int(key.partition(":")[2]) for key in among if key.startswith(prefix + ":")}

    return {"people": ids("person", network.nodes), "organisations": ids("organisation", network.nodes),
            "incidents": ids("incident", network.nodes), "relationships": ids("relationship", network.edges)}


WRITERS: dict[str, Callable[[IO[str], Network], int]] = {"gexf": write_gexf, "graphml": write_graphml}
