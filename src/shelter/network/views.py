"""The network page of a person, organisation or incident, and its data for the interactive view."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404
from shelter.incidents.models import Incident, PerpetratorDegree, TargetRole
from shelter.network.build import MAX_HOPS, UnknownNode, neighbourhood_network
from shelter.network.core import EDGE_KINDS, Network
from shelter.network.export import network_json, node_url
from shelter.registry.models import Organisation, Person, RelationshipKind

MODELS = {"person": Person, "organisation": Organisation, "incident": Incident}


def kind_label(kind: str) -> str:
    if kind in RelationshipKind.values:
        return str(RelationshipKind(kind).label)
    return {"target": _("target of"), "perpetrator": _("perpetrator of")}.get(kind, kind)


# A target link's detail is the target's role, a perpetrator link's its degree: coded values, named in words.
CODED_DETAILS = {"target": TargetRole, "perpetrator": PerpetratorDegree}


def detail_labels() -> dict[str, dict[str, str]]:
    return {kind: {str(code): str(label) for code, label in choices.choices} for kind, choices in CODED_DETAILS.items()}


def detail_label(kind: str, detail: str) -> str:
    return detail_labels().get(kind, {}).get(detail, detail)


def node_kind_label(kind: str) -> str:
    return {"person": _("person"), "organisation": _("organisation"), "incident": _("incident")}.get(kind, kind)


def confidence_label(confidence: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low"), "unknown": _("unknown")}.get(confidence,
                                                                                                 confidence)


def page_texts() -> dict[str, object]:
    """What the page's script writes, in the page's language: its status lines and the labels of links it adds."""
    return {
        "shown": _("%(shown)s / %(total)s links shown"),
        "loading": _("Loading…"),
        "added": _("%(records)s records and %(links)s links added."),
        "failed": _("Could not load more links (%(error)s)."),
        "kinds": {kind: kind_label(kind) for kind in (*RelationshipKind.values, "target", "perpetrator")},
        "confidence": {level: confidence_label(level) for level in ("high", "medium", "low", "unknown")},
        "details": detail_labels(),
    }


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
             "kind_label": kind_label(e["kind"]), "confidence_label": confidence_label(e["confidence"]),
             "detail_label": detail_label(e["kind"], e["detail"])}
            for e in data["edges"]]
    nodes = [{**n, "pk": n["id"].partition(":")[2], "kind_label": node_kind_label(n["kind"])} for n in data["nodes"]]
    return render(request, "network/page.html", {
        "start": start, "start_url": node_url(start.id), "hops": _hops(request), "hop_choices": range(1, MAX_HOPS + 1),
        "data": data, "edge_kinds": [(k, kind_label(k)) for k in EDGE_KINDS if any(e["kind"] == k for e in data["edges"])],
        "rows": rows, "nodes": nodes, "texts": page_texts(),
    })


@require_GET
def data(request: HttpRequest, kind: str, pk: int) -> JsonResponse:
    try:
        network = _neighbourhood(request, kind, pk)
    except Http404:
        return JsonResponse({"detail": "Not found."}, status=404)
    return JsonResponse(network_json(network))
