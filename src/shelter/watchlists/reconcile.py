"""The W3C Reconciliation Service API v0.2 (what OpenRefine speaks) over the match API's datasets: ``registry``,
``notices`` and each watchlist, under ``/api/v1/reconcile/{dataset}``.

- ``GET`` without parameters: the service manifest;
- ``GET ?queries=...`` or ``POST`` with the form field ``queries``: a batch of reconciliation queries, each a name
  (``query``), optional ``type`` (``Person``), ``limit`` and ``properties`` (``birthDate``, ``nationality``,
  ``citizenship``, ``gender``, ``alias``), answered with candidates scored by the name matcher;
- ``/preview?id=``: a small HTML card of a candidate; ``/view?id=``: the candidate's page in Shelter;
- ``/suggest/entity|type|property?prefix=``: auto-completion.

Every answer passes through the visibility filter, as the match API's do. A token is sent as
``Authorization: Bearer <token>`` or, for clients that cannot send headers (OpenRefine), as ``?api_key=<token>``;
without one the caller sees published public records only.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from followthemoney import model
from ninja import Query, Router
from ninja.errors import HttpError

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.api.auth import BearerTokenOrAnonymous
from shelter.names import DEFAULT_THRESHOLD
from shelter.notices.models import Notice, search_notices
from shelter.registry.models import Person
from shelter.search.index import search as full_text
from shelter.watchlists.core import PropertyError, describe
from shelter.watchlists.match_api import DEFAULT_CUTOFF, FEATURE, Dataset, dataset_for, search
from shelter.watchlists.models import WatchlistEntry

DEFAULT_LIMIT = 5
MAX_LIMIT = 100
MAX_QUERIES = 100
SUGGESTIONS = 10
PERSON_TYPE = {"id": "Person", "name": "Person"}
# What a query's properties may name, as FtM properties of a Person.
PROPERTIES = {
    "alias": "Other name", "birthDate": "Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)",
    "nationality": "Nationality (ISO code or English name)", "citizenship": "Citizenship (ISO code or English name)",
    "gender": "Sex (male or female)",
}


class ReconcileToken(BearerTokenOrAnonymous):
    """A Bearer token, or ``?api_key=`` for clients that cannot send headers; neither: an anonymous caller."""

    def __call__(self, request: HttpRequest) -> Any:
        key = request.GET.get("api_key", "")
        if key and not request.headers.get(self.header):
            return self.authenticate(request, key)
        return super().__call__(request)


router = Router(tags=["reconciliation"])
AUTH = ReconcileToken()


def _viewer(request: HttpRequest) -> Viewer:
    viewer: User | Viewer = request.auth  # type: ignore[attr-defined]
    return viewer


def _base(request: HttpRequest, dataset: str) -> str:
    return request.build_absolute_uri(f"/api/v1/reconcile/{dataset}")


def manifest(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    base = _base(request, dataset.name)
    found: dict[str, Any] = {
        "versions": ["0.2"],
        "name": f"Shelter: {dataset.name}",
        "identifierSpace": f"{base}/entity/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "documentation": "docs/match-api.md",
        "defaultTypes": [PERSON_TYPE],
        "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": 420, "height": 140},
        "suggest": {kind: {"service_url": base, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
    }
    if dataset.name in ("registry", "notices"):
        found["view"] = {"url": f"{base}/view?id={{{{id}}}}"}
    return found


def _values(pid: str, value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    values = []
    for item in items:
        if isinstance(item, dict):  # a value reconciled before: {"id": ..., "name": ...}
            item = item.get("name") or item.get("id")
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise PropertyError(f"property '{pid}': values must be strings")
        values.append(str(item))
    return values


def _properties(qid: str, query: dict[str, Any]) -> dict[str, list[str]]:
    properties: dict[str, list[str]] = {"name": []}
    text = query.get("query", "")
    if not isinstance(text, str):
        raise HttpError(400, f"query '{qid}': 'query' must be a string")
    if text.strip():
        properties["name"].append(text)
    mappings = query.get("properties", [])
    if not isinstance(mappings, list):
        raise HttpError(400, f"query '{qid}': 'properties' must be a list of {{\"pid\", \"v\"}}")
    for mapping in mappings:
        if not isinstance(mapping, dict) or not isinstance(mapping.get("pid"), str) or "v" not in mapping:
            raise HttpError(400, f"query '{qid}': each property needs a 'pid' and a 'v'")
        pid = mapping["pid"]
        if pid not in PROPERTIES:
            raise HttpError(400, f"query '{qid}': property '{pid}' is not one Shelter compares "
                                 f"({', '.join(PROPERTIES)})")
        try:
            properties.setdefault(pid, []).extend(_values(pid, mapping["v"]))
        except PropertyError as error:
            raise HttpError(400, f"query '{qid}': {error}") from None
    if not any(properties.values()):
        raise HttpError(400, f"query '{qid}': give a 'query' or 'properties'")
    return properties


def _wants_people(qid: str, query: dict[str, Any]) -> bool:
    types = query.get("type")
    if types is None:
        return True
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(name, str) for name in types):
        raise HttpError(400, f"query '{qid}': 'type' must be a type id or a list of them")
    person = model.get("Person")
    assert person is not None
    return not types or any(model.get(name) is not None and person.is_a(name) for name in types)


def _limit(qid: str, query: dict[str, Any]) -> int:
    limit = query.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 1 <= limit <= MAX_LIMIT:
        raise HttpError(400, f"query '{qid}': 'limit' must be a number from 1 to {MAX_LIMIT}")
    return int(limit)


def _description(entity: dict[str, Any]) -> str:
    properties = entity["properties"]
    parts = [f"born {', '.join(properties['birthDate'])}" if properties.get("birthDate") else "",
             ", ".join(code.upper() for code in properties.get("nationality", [])),
             "; ".join(properties.get("alias", [])[:3])]
    return "; ".join(part for part in parts if part)


def reconcile(dataset: Dataset, raw: str, viewer: Viewer) -> dict[str, Any]:
    try:
        queries = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise HttpError(400, "'queries' is not JSON: send {\"q0\": {\"query\": \"a name\"}, ...}") from None
    if not isinstance(queries, dict) or not all(isinstance(query, dict) for query in queries.values()):
        raise HttpError(400, "'queries' must be an object of queries: {\"q0\": {\"query\": \"a name\"}, ...}")
    if len(queries) > MAX_QUERIES:
        raise HttpError(400, f"too many queries in one batch (limit: {MAX_QUERIES})")
    parsed = []
    for qid, query in queries.items():
        properties = _properties(qid, query)
        try:
            record = describe(properties).record
        except PropertyError as error:
            raise HttpError(400, f"query '{qid}': {error}") from None
        parsed.append((qid, record if _wants_people(qid, query) else None, _limit(qid, query)))
    answers: dict[str, Any] = {}
    for qid, person, limit in parsed:
        found = search(dataset, person, viewer, DEFAULT_CUTOFF) if person is not None else []
        certain = [item for item in found if item.hit.result.score >= DEFAULT_THRESHOLD]
        results = []
        for item in found[:limit]:
            entity = dataset.entity(item.record)
            score = item.hit.result.score
            results.append({"id": entity["id"], "name": entity["caption"], "description": _description(entity),
                            "score": score, "features": [{"id": FEATURE, "value": score}],
                            # certain only when it is the one candidate at or above the threshold
                            "match": len(certain) == 1 and certain[0] is item, "type": [PERSON_TYPE]})
        answers[qid] = {"result": results}
    return answers


def _record(dataset: Dataset, entity_id: str, viewer: Viewer) -> Any:
    """The visible record of ``dataset`` with this id, or None (hidden and missing alike)."""
    if dataset.name in ("registry", "notices"):
        prefix = "shelter-person-" if dataset.name == "registry" else "shelter-notice-"
        number = entity_id.removeprefix(prefix)
        if not entity_id.startswith(prefix) or not number.isdigit() or len(number) > 18:
            return None
        found = dataset.visible([number], viewer)
        return found[0] if found else None
    return WatchlistEntry.objects.filter(watchlist__name=dataset.name, entity_id=entity_id,
                                         removed__isnull=True).first()


@router.get("/{dataset}", auth=AUTH, summary="Reconciliation: the service manifest, or a batch of queries",
            operation_id="reconcile_get")
def reconcile_get(request: HttpRequest, dataset: str, queries: str | None = None) -> dict[str, Any]:
    """Without ``queries``: the manifest. With it: ``{"q0": {"query": "a name", "properties": [...]}}``."""
    found = dataset_for(dataset, _viewer(request))
    return manifest(request, found) if queries is None else reconcile(found, queries, _viewer(request))


@router.post("/{dataset}", auth=AUTH, summary="Reconciliation: a batch of queries (form field 'queries')",
             operation_id="reconcile_post")
def reconcile_post(request: HttpRequest, dataset: str) -> dict[str, Any]:
    found = dataset_for(dataset, _viewer(request))
    raw = request.POST.get("queries")
    if raw is None:
        raise HttpError(400, "send the queries as the form field 'queries' (JSON)")
    return reconcile(found, raw, _viewer(request))


@router.get("/{dataset}/preview", auth=AUTH, summary="Reconciliation: a candidate's HTML card",
            operation_id="reconcile_preview")
def preview(request: HttpRequest, dataset: str, id: str = Query(..., max_length=200)) -> HttpResponse:
    found = dataset_for(dataset, _viewer(request))
    record = _record(found, id, _viewer(request))
    if record is None:
        raise HttpError(404, f"there is no candidate '{id}' in {dataset}")
    entity = found.entity(record)
    rows = format_html_join("", "<dt>{}</dt><dd>{}</dd>", (
        (label, ", ".join(entity["properties"].get(prop, [])))
        for label, prop in (("Other names", "alias"), ("Born", "birthDate"), ("Nationality", "nationality"))
        if entity["properties"].get(prop)))
    html = format_html("<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body>"
                       "<h1>{}</h1><p>{}</p><dl>{}</dl></body></html>", entity["caption"], entity["caption"],
                       entity["schema"], rows)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@router.get("/{dataset}/view", auth=AUTH, summary="Reconciliation: open a candidate's page in Shelter",
            operation_id="reconcile_view")
def view(request: HttpRequest, dataset: str, id: str = Query(..., max_length=200)) -> HttpResponse:
    found = dataset_for(dataset, _viewer(request))
    record = _record(found, id, _viewer(request)) if dataset in ("registry", "notices") else None
    if record is None:
        raise HttpError(404, f"there is no candidate '{id}' in {dataset}")
    name = "registry:person" if isinstance(record, Person) else "notices:notice"
    return HttpResponseRedirect(reverse(name, args=[record.pk]))


def _suggest_entities(dataset: Dataset, prefix: str, viewer: Viewer) -> list[dict[str, Any]]:
    records: list[Any]
    if dataset.name == "registry":
        records = list(full_text(visible_to(Person.objects.all(), viewer), prefix).prefetch_related("names")
                       [:SUGGESTIONS])
    elif dataset.name == "notices":
        records = list(search_notices(visible_to(Notice.objects.all(), viewer), prefix)[:SUGGESTIONS])
    else:
        records = list(WatchlistEntry.objects.filter(watchlist__name=dataset.name, removed__isnull=True,
                                                     caption__icontains=prefix)[:SUGGESTIONS])
    entities = [dataset.entity(record) for record in records]
    return [{"id": e["id"], "name": e["caption"], "description": _description(e), "notable": [PERSON_TYPE]}
            for e in entities]


@router.get("/{dataset}/suggest/{kind}", auth=AUTH, summary="Reconciliation: suggest entities, types or properties",
            operation_id="reconcile_suggest")
def suggest(request: HttpRequest, dataset: str, kind: str,
            prefix: str = Query("", max_length=200)) -> dict[str, Any]:
    found = dataset_for(dataset, _viewer(request))
    if kind not in ("entity", "type", "property"):
        raise HttpError(404, f"there is no suggest service '{kind}' (entity, type or property)")
    prefix = prefix.strip()
    if not prefix:
        return {"result": []}
    if kind == "entity":
        return {"result": _suggest_entities(found, prefix, _viewer(request))}
    if kind == "type":
        return {"result": [PERSON_TYPE] if "person".startswith(prefix.casefold()) else []}
    wanted = prefix.casefold()
    return {"result": [{"id": pid, "name": pid, "description": label} for pid, label in PROPERTIES.items()
                       if pid.casefold().startswith(wanted) or wanted in label.casefold()]}
