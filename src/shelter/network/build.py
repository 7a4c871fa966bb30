"""The network a caller may see, read from the records through the one visibility filter.

Nodes are the visible people, organisations and incidents; edges the visible relationships, incident targets and
incident perpetrators. A link row is visible only when the records at both of its ends are (their
``VISIBILITY_PATHS``), and every node is checked again, so no hidden record enters as a node, an edge, a label or
a count. Citations are the visible ones, from visible sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Citation as CitationRow
from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
from shelter.network.core import NODE_KINDS, Citation, Edge, Network, Node
from shelter.registry.models import Organisation, Person, Relationship

NEIGHBOURHOOD_NODE_LIMIT = 500
MAX_HOPS = 3
VERIFICATION_CONFIDENCE = {"verified": "high", "partially_verified": "medium", "unverified": "low",
                           "disputed": "low"}
LOWER = {"high": "medium", "medium": "low", "low": "low", "unknown": "unknown"}


class UnknownNode(LookupError):
    """A node id that is malformed, or names a record the caller may not see (the same answer for both)."""


def parse_node(node_id: str) -> tuple[str, int]:
    kind, _, pk = node_id.partition(":")
    if kind not in ("person", "organisation", "incident") or not pk.isdigit():
        raise UnknownNode(f"'{node_id}' is not a node: write person:ID, organisation:ID or incident:ID")
    return kind, int(pk)


def _ids(node_ids: Iterable[str], kind: str) -> set[int]:
    return {int(n.partition(":")[2]) for n in node_ids if n.startswith(kind + ":")}


# Above this many ids a query reads every visible row and keeps the wanted ones in Python: a database takes a
# bounded number of values in one IN list (SQLite 32,766), and at that size a scan is as fast.
LARGE_ID_SET = 5000


def _among(queryset: QuerySet[Any], ids: set[int], field: str = "pk") -> QuerySet[Any]:
    return queryset if len(ids) > LARGE_ID_SET else queryset.filter(**{f"{field}__in": ids})


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for begin in range(0, len(items), size):
        yield items[begin:begin + size]


def visible_by_id(model: type[Model], viewer: Viewer) -> QuerySet[Any]:
    """The rows of ``model`` that ``viewer`` may see, in id order, to be narrowed to some ids
    (``.filter(pk__in=...)``): each row is found by its id, then checked by the visibility filter on that id.

    ``visible_to(...).filter(pk__in=...)`` would let SQLite, which keeps no statistics unless asked, start from the
    confidentiality index of a joined record and read every incident or source there is; this plan holds whatever
    the statistics. Built once per request and narrowed per query, it also costs the ORM less."""
    check = Exists(visible_to(model._default_manager.filter(pk=OuterRef("pk")), viewer))
    return model._base_manager.filter(check).order_by("pk")


# ---------------------------------------------------------------------------------------------------------
# Rows to edges


def _relationship_edges(rows: QuerySet[Relationship]) -> list[Edge]:
    edges = []
    for pk, kind, detail, sp, so, op, oo, start, end in rows.values_list(
            "pk", "kind", "detail", "subject_person_id", "subject_organisation_id", "object_person_id",
            "object_organisation_id", "start", "end"):
        source = f"person:{sp}" if sp is not None else f"organisation:{so}"
        target = f"person:{op}" if op is not None else f"organisation:{oo}"
        edges.append(Edge(f"relationship:{pk}", source, target, kind, detail, start, end))
    return edges


def _target_edges(rows: QuerySet[IncidentTarget]) -> list[Edge]:
    return [Edge(f"target:{pk}", f"incident:{incident}", f"person:{person}", "target", role, date, end_date,
                 VERIFICATION_CONFIDENCE.get(verification, "unknown"))
            for pk, incident, person, role, date, end_date, verification in rows.values_list(
                "pk", "incident_id", "person_id", "role", "incident__date", "incident__end_date",
                "incident__verification")]


def _perpetrator_edges(rows: QuerySet[IncidentPerpetrator]) -> list[Edge]:
    edges = []
    for pk, incident, person, organisation, degree, date, end_date, verification in rows.values_list(
            "pk", "incident_id", "person_id", "organisation_id", "degree", "incident__date", "incident__end_date",
            "incident__verification"):
        actor = f"person:{person}" if person is not None else f"organisation:{organisation}"
        confidence = VERIFICATION_CONFIDENCE.get(verification, "unknown")
        edges.append(Edge(f"perpetrator:{pk}", actor, f"incident:{incident}", "perpetrator", degree, date,
                          end_date, confidence if degree == "direct" else LOWER[confidence]))
    return edges


RELIABILITY_RANK = {"high": 0, "medium": 1, "low": 2, "unknown": 3}


def _with_citations(edges: list[Edge], viewer: Viewer) -> list[Edge]:
    """The visible citations of each edge: a relationship's own, an incident link's those of its incident. A
    relationship's confidence is the reliability of its best visible source."""
    relationship_ids = {int(e.id.partition(":")[2]) for e in edges if e.id.startswith("relationship:")}
    incident_ids = {int(e.target.partition(":")[2]) if e.target.startswith("incident:")
                    else int(e.source.partition(":")[2]) for e in edges if not e.id.startswith("relationship:")}
    cited: dict[str, list[tuple[Citation, str]]] = defaultdict(list)
    fields = ("relationship_id", "incident_id", "source_id", "source__title", "locator", "source__reliability")
    if len(relationship_ids) + len(incident_ids) > LARGE_ID_SET:
        rows = list(visible_to(CitationRow.objects.filter(Q(relationship__isnull=False) | Q(incident__isnull=False)),
                               viewer).order_by("pk").values_list(*fields))
    else:
        candidates = sorted(CitationRow._base_manager.filter(
            Q(relationship_id__in=relationship_ids) | Q(incident_id__in=incident_ids)).values_list("pk", flat=True))
        visible = visible_by_id(CitationRow, viewer)
        rows = [row for part in _chunks(candidates, LARGE_ID_SET)
                for row in visible.filter(pk__in=part).values_list(*fields)]
    for relationship, incident, source, title, locator, reliability in rows:
        if relationship not in relationship_ids and incident not in incident_ids:
            continue
        key = f"relationship:{relationship}" if relationship is not None else f"incident:{incident}"
        cited[key].append((Citation(source, title, locator), reliability))
    result = []
    for edge in edges:
        if edge.id.startswith("relationship:"):
            found = cited.get(edge.id, [])
            best = min((r for _, r in found), key=lambda r: RELIABILITY_RANK.get(r, 3), default="unknown")
            confidence = best if best in RELIABILITY_RANK else "unknown"
        else:
            incident = edge.target if edge.target.startswith("incident:") else edge.source
            found, confidence = cited.get(incident, []), edge.confidence
        result.append(Edge(edge.id, edge.source, edge.target, edge.kind, edge.detail, edge.start, edge.end,
                           confidence, tuple(c for c, _ in found)))
    return result


# ---------------------------------------------------------------------------------------------------------
# Rows to nodes


def _nodes(viewer: Viewer, node_ids: Iterable[str]) -> list[Node]:
    wanted = set(node_ids)
    nodes: list[Node] = []
    people, organisations, incidents = _ids(wanted, "person"), _ids(wanted, "organisation"), _ids(wanted, "incident")
    if people:
        rows = visible_to(_among(Person.objects.all(), people), viewer)
        for pk, name, residence in rows.values_list("pk", "primary_name", "country_of_residence"):
            if pk in people:
                nodes.append(Node(f"person:{pk}", "person", name, (("country", residence),)))
    if organisations:
        rows = visible_to(_among(Organisation.objects.all(), organisations), viewer)
        for pk, name, kind, country in rows.values_list("pk", "name", "kind", "country"):
            if pk in organisations:
                nodes.append(Node(f"organisation:{pk}", "organisation", name,
                                  (("organisation_kind", kind), ("country", country))))
    if incidents:
        rows = visible_to(_among(Incident.objects.all(), incidents), viewer)
        for pk, title, tactic, origin, host, year, date in rows.values_list(
                "pk", "title", "tactic", "origin_state", "host_country", "year", "date"):
            if pk in incidents:
                nodes.append(Node(f"incident:{pk}", "incident", title,
                                  (("tactic", tactic), ("origin_state", origin), ("host_country", host),
                                   ("year", str(year or "")), ("date", date))))
    return nodes


def _assemble(viewer: Viewer, edges: list[Edge], node_ids: set[str]) -> Network:
    network = Network()
    for node in _nodes(viewer, node_ids | {e.source for e in edges} | {e.target for e in edges}):
        network.add_node(node)
    for edge in _with_citations(edges, viewer):
        network.add_edge(edge)  # an edge to a node the caller may not see is left out with it
    return network


def _links(viewer: Viewer, people: set[int] | None, organisations: set[int] | None,
           incidents: set[int] | None) -> list[Edge]:
    """The visible links touching the given records (``None`` for all of a kind; an empty set for none)."""
    def touching(**fields: set[int] | None) -> Q | None:
        # everything of a kind, or more ids than one query takes: read all, keep the links that touch (below)
        if any(ids is None or len(ids) > LARGE_ID_SET for ids in fields.values()):
            return Q()
        condition = Q(pk__in=[])
        for name, ids in fields.items():
            if ids:
                condition |= Q(**{f"{name}__in": ids})
        return condition

    edges: list[Edge] = []
    if people is None or organisations is None or people or organisations:
        edges += _relationship_edges(visible_to(Relationship.objects.filter(touching(
            subject_person=people, object_person=people, subject_organisation=organisations,
            object_organisation=organisations)), viewer))
    none = IncidentTarget.objects.none()
    targets = (visible_to(IncidentTarget.objects.filter(touching(person=people, incident=incidents)), viewer)
               if people is None or incidents is None or people or incidents else none)
    perpetrators = (visible_to(IncidentPerpetrator.objects.filter(touching(
        person=people, organisation=organisations, incident=incidents)), viewer)
        if None in (people, organisations, incidents) or people or organisations or incidents
        else IncidentPerpetrator.objects.none())
    edges += _target_edges(targets) + _perpetrator_edges(perpetrators)
    if all(ids is None or len(ids) <= LARGE_ID_SET for ids in (people, organisations, incidents)):
        return edges
    wanted = {f"{kind}:{pk}" for kind, ids in (("person", people), ("organisation", organisations),
                                               ("incident", incidents)) for pk in ids or ()}
    every = {kind for kind, ids in (("person", people), ("organisation", organisations), ("incident", incidents))
             if ids is None}
    return [e for e in edges if e.source in wanted or e.target in wanted
            or e.source.partition(":")[0] in every or e.target.partition(":")[0] in every]


# ---------------------------------------------------------------------------------------------------------
# The networks


def build_network(viewer: Viewer, state: str | None = None) -> Network:
    """Everything ``viewer`` may see; with ``state``, that state's operation: its incidents (as origin state),
    their targets and perpetrators, the state's own organisations, and every relationship of those people and
    organisations."""
    if state is None:
        node_ids = {f"person:{pk}" for pk in visible_to(Person.objects.all(), viewer).values_list("pk", flat=True)}
        node_ids |= {f"organisation:{pk}"
                     for pk in visible_to(Organisation.objects.all(), viewer).values_list("pk", flat=True)}
        node_ids |= {f"incident:{pk}" for pk in visible_to(Incident.objects.all(), viewer).values_list("pk", flat=True)}
        return _assemble(viewer, _links(viewer, None, None, None), node_ids)
    incidents = set(visible_to(Incident.objects.filter(origin_state=state), viewer).values_list("pk", flat=True))
    agencies = set(visible_to(Organisation.objects.filter(country=state), viewer).values_list("pk", flat=True))
    incident_links = _links(viewer, set(), agencies, incidents)
    reached = {e.source for e in incident_links} | {e.target for e in incident_links}
    people = _ids(reached, "person")
    organisations = _ids(reached, "organisation") | agencies
    relationships = [e for e in _links(viewer, people, organisations, set()) if e.id.startswith("relationship:")]
    node_ids = {f"incident:{pk}" for pk in incidents} | {f"organisation:{pk}" for pk in agencies}
    return _assemble(viewer, incident_links + relationships, node_ids)


@dataclass(frozen=True)
class LinkTable:
    """A table of links: its model, the prefix of its edge ids, its end columns (node kind, column) and how its
    rows (already narrowed by the visibility filter) become edges."""
    model: type[Model]
    prefix: str
    ends: tuple[tuple[str, str], ...]
    edges: Callable[[QuerySet[Any]], list[Edge]]


# In the order a neighbourhood takes its links (then by record id), which decides what a truncated one keeps.
LINK_TABLES = (
    LinkTable(IncidentPerpetrator, "perpetrator", (("person", "person_id"), ("organisation", "organisation_id"),
                                                   ("incident", "incident_id")), _perpetrator_edges),
    LinkTable(Relationship, "relationship", (("person", "subject_person_id"), ("organisation", "subject_organisation_id"),
                                             ("person", "object_person_id"), ("organisation", "object_organisation_id")),
              _relationship_edges),
    LinkTable(IncidentTarget, "target", (("incident", "incident_id"), ("person", "person_id")), _target_edges),
)
# Links checked against the visibility filter in one query.
VISIBILITY_CHUNK = 1000


def _touching(table: LinkTable, nodes: set[str]) -> list[tuple[Any, ...]]:
    """The rows of ``table`` that touch ``nodes`` as (id, end columns...), by id: read from the end columns'
    indexes alone. They are candidates only: nothing of them reaches the caller unless the visibility filter
    passes it (:func:`visible_by_id`)."""
    found: dict[int, tuple[Any, ...]] = {}
    columns = [column for _, column in table.ends]
    for part in _chunks(sorted(nodes), LARGE_ID_SET):
        condition = Q(pk__in=[])
        for kind, column in table.ends:
            ids = _ids(part, kind)
            if ids:
                condition |= Q(**{f"{column}__in": ids})
        found.update((row[0], row) for row in table.model._base_manager.filter(condition).values_list("pk", *columns))
    return sorted(found.values())


def _new_ends(table: LinkTable, row: tuple[Any, ...], kept: dict[str, set[int]]) -> int:
    """How many ends of a candidate row (from :func:`_touching`) are not among the ``kept`` ids of their kind."""
    return sum(1 for (kind, _), end in zip(table.ends, row[1:], strict=True) if end is not None and end not in kept[kind])


def neighbourhood_network(viewer: Viewer, start: str, hops: int = 1,
                          max_nodes: int = NEIGHBOURHOOD_NODE_LIMIT) -> Network:
    """The records within ``hops`` (1 to 3) of ``start``, read hop by hop (no whole-graph build). Stops adding
    nodes at ``max_nodes`` and says so (``truncated``). Raises :class:`UnknownNode` for a record the caller may
    not see, exactly as for one that does not exist.

    Each hop reads the ids and ends of the links touching the frontier from the end columns' indexes, then keeps
    those the visibility filter passes (one query per link table and :data:`VISIBILITY_CHUNK` links, by id); a
    link is visible only with both of its ends, so only visible records join the frontier. Once a visible link
    has not fitted under ``max_nodes`` (truncated), only links that still fit are checked: at the limit, those
    between the records already kept."""
    parse_node(start)
    if not _nodes(viewer, {start}):
        raise UnknownNode(f"{start} not found")
    hops = max(1, min(hops, MAX_HOPS))
    visible = {table.prefix: visible_by_id(table.model, viewer) for table in LINK_TABLES}
    seen, frontier, edges = {start}, {start}, {}
    taken: dict[str, set[int]] = {table.prefix: set() for table in LINK_TABLES}
    truncated = False
    for _ in range(hops):
        new: set[str] = set()
        for table in LINK_TABLES:
            pending = [row for row in _touching(table, frontier) if row[0] not in taken[table.prefix]]
            while pending:
                if truncated:  # only links that still fit are left to check
                    kept = seen | new
                    ids = {kind: _ids(kept, kind) for kind in NODE_KINDS}
                    room = max_nodes - len(kept)
                    pending = [row for row in pending if _new_ends(table, row, ids) <= room]
                    if not pending:
                        break
                chunk, pending = pending[:VISIBILITY_CHUNK], pending[VISIBILITY_CHUNK:]
                for edge in table.edges(visible[table.prefix].filter(pk__in=[row[0] for row in chunk])):
                    ends = {edge.source, edge.target} - seen - new
                    if len(seen) + len(new) + len(ends) > max_nodes:
                        truncated = True
                        continue
                    new |= ends
                    edges[edge.id] = edge
                    taken[table.prefix].add(int(edge.id.partition(":")[2]))
        seen |= new
        frontier = new
        if not frontier:
            break
    network = _assemble(viewer, list(edges.values()), seen)
    network.truncated = truncated
    return network
