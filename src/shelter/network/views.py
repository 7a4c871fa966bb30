"""The network page of a person, organisation or incident, and its data for the interactive view."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404
from shelter.incidents.models import Incident
from shelter.network.build import MAX_HOPS, UnknownNode, neighbourhood_network
from shelter.network.core import EDGE_KINDS, Network
from shelter.network.export import network_json, node_url
from shelter.registry.models import Organisation, Person, RelationshipKind

MODELS = {"person": Person, "organisation": Organisation, "incident": Incident}


def kind_label(kind: str) -> str:
    if kind in RelationshipKind.values:
        return str(RelationshipKind(kind).label)
    return {"target": _("target of"), "perpetrator": _("perpetrator of")}.get(kind, kind)


def _hops(request: HttpRequest) -> int:
    value = request.GET.get("hops", "1")
    return min(max(int(value), 1), MAX_HOPS) if value.isdigit() else 1


def _neighbourhood(request: HttpRequest, kind: str, pk: int) -> Network:
    if kind not in MODELS:
        raise Http404
    # A record the caller may not see answers 404 exactly like a missing one.
    record = get_visible_or_404(MODELS[kind]._default_manager.all(), request.user, pk=pk)
    log_access(request.user, record, "viewed")
    try:
        return neighbourhood_network(request.user, f"{kind}:{pk}", _hops(request))
    except UnknownNode as error:  # hidden between the two reads
        raise Http404 from error


@require_GET
def page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    network = _neighbourhood(request, kind, pk)
    data = network_json(network)
    start = network.nodes[f"{kind}:{pk}"]
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    rows = [{**e, "source_label": labels[e["source"]], "target_label": labels[e["target"]],
             "kind_label": kind_label(e["kind"])} for e in data["edges"]]
    nodes = [{**n, "pk": n["id"].partition(":")[2]} for n in data["nodes"]]
    return render(request, "network/page.html", {
        "start": start, "start_url": node_url(start.id), "hops": _hops(request), "hop_choices": range(1, MAX_HOPS + 1),
        "data": data, "edge_kinds": [(k, kind_label(k)) for k in EDGE_KINDS if any(e["kind"] == k for e in data["edges"])],
        "rows": rows, "nodes": nodes,
    })


@require_GET
def data(request: HttpRequest, kind: str, pk: int) -> JsonResponse:
    try:
        network = _neighbourhood(request, kind, pk)
    except Http404:
        return JsonResponse({"detail": "Not found."}, status=404)
    return JsonResponse(network_json(network))
