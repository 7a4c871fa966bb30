"""The match API, compatible with OpenSanctions' yente: ``POST /api/v1/match/{dataset}``.

A batch of FollowTheMoney query entities (``{"queries": {"q1": {"schema": "Person", "properties": {...}}}}``) is
matched against a dataset: ``registry`` (the people of the registry), ``notices`` (the subjects of notices and
requests) or the name of a watchlist. Each query is answered with its results, best first: ``id``, ``caption``,
``schema``, ``properties``, ``score``, ``match`` (score at or above ``threshold``), ``features`` and
``explanation`` (what agreed and what did not, as Shelter's name matcher writes it).

Every answer passes through the visibility filter: a person, notice or watchlist the caller may not see is never
a result and is not counted in ``total``; a hidden watchlist answers 404 like one that does not exist. The API
needs a token (``Authorization: Bearer <token>``, or ``ApiKey <token>`` as yente's clients send it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.http import HttpRequest
from followthemoney import model
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from shelter.access.access_log import log_access
from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.api.auth import BearerToken
from shelter.names import DEFAULT_THRESHOLD, PersonRecord, ScreeningIndex
from shelter.names.index import Hit
from shelter.notices.models import Notice
from shelter.notices.screening.notices import registry_index
from shelter.notices.screening.people import notice_subjects
from shelter.registry.models import Person
from shelter.watchlists.core import PropertyError, describe
from shelter.watchlists.models import Watchlist, WatchlistEntry
from shelter.watchlists.services import UnknownWatchlist, visible_watchlist

MATCH_PAGE = 5  # yente's default page of results per query
MAX_LIMIT = 500
MAX_BATCH = 100  # queries in one request
# Candidates read from an index before the caller's visibility narrows them: the total counts visible
# candidates among these, which is exact unless this many scored at or above the cutoff.
SCAN = 500
DEFAULT_CUTOFF = 0.5
FEATURE = "shelter_person"
# An index sorts its postings lazily on its first search: one search at a time keeps that safe in a threaded server.
_search_lock = threading.Lock()
MATCHER = {
    FEATURE: {
        "description": "Shelter's cross-script person comparison: names aligned part by part in any script and "
                       "word order, adjusted by date of birth, sex and nationality (docs/names.md)",
        "coefficient": 1.0,
        "url": "docs/names.md",
    },
}


class MatchToken(BearerToken):
    """``Authorization: Bearer <token>``, or ``ApiKey <token>`` as yente's clients send it."""

    def __call__(self, request: HttpRequest) -> User | None:
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() == "apikey" and token.strip():
            return self.authenticate(request, token.strip())
        return super().__call__(request)


class Example(Schema):
    id: str | None = Field(None, max_length=200)
    schema_: str = Field(..., alias="schema", max_length=64)
    properties: dict[str, Any]


class MatchBody(Schema):
    queries: dict[str, Example]
    weights: dict[str, float] = {}


@dataclass(frozen=True)
class Dataset:
    name: str
    index: Callable[[], ScreeningIndex]
    visible: Callable[[list[str], Viewer], list[Any]]  # index keys -> the visible records, in any order
    key: Callable[[Any], str]
    entity: Callable[[Any], dict[str, Any]]


def _person_entity(person: Person) -> dict[str, Any]:
    """A person as a FollowTheMoney entity with the id of Shelter's FtM export; only what the matcher compares."""
    names = person.all_names()
    properties: dict[str, list[str]] = {
        "name": names[:1], "alias": names[1:], "birthDate": [person.dob] if person.dob else [],
        "nationality": [code.lower() for code in person.nationalities],
        "country": [person.country_of_residence.lower()] if person.country_of_residence else [],
        "gender": [{"m": "male", "f": "female"}[person.sex]] if person.sex else [],
    }
    return {"id": f"shelter-person-{person.pk}", "caption": person.primary_name, "schema": "Person",
            "properties": {key: value for key, value in properties.items() if value}, "datasets": ["registry"]}


def _visible_people(keys: list[str], viewer: Viewer) -> list[Person]:
    people = list(visible_to(Person.objects.filter(pk__in=[int(k) for k in keys]), viewer).prefetch_related("names"))
    log_access(viewer, people, "viewed")
    return people


def _notice_entity(notice: Notice) -> dict[str, Any]:
    names = notice.all_names()
    properties: dict[str, list[str]] = {
        "name": names[:1], "alias": names[1:], "birthDate": [notice.dob] if notice.dob else [],
        "nationality": [code.lower() for code in notice.nationalities],
        "gender": [{"m": "male", "f": "female"}[notice.sex]] if notice.sex else [],
        "birthPlace": [notice.place_of_birth] if notice.place_of_birth else [],
        "topics": ["wanted"], "notes": [f"{notice.get_kind_display()} {notice.entity_id}"],
    }
    return {"id": f"shelter-notice-{notice.pk}", "caption": names[0] if names else notice.entity_id,
            "schema": "Person", "properties": {key: value for key, value in properties.items() if value},
            "datasets": ["notices"]}


def _visible_notices(keys: list[str], viewer: Viewer) -> list[Notice]:
    notices = list(visible_to(Notice.objects.filter(pk__in=[int(k) for k in keys]), viewer))
    log_access(viewer, notices, "viewed")
    return notices


# One index per watchlist, rebuilt when an import changed its entries.
_watchlist_indexes: dict[int, tuple[tuple[Any, ...], ScreeningIndex]] = {}


def _watchlist_index(watchlist: Watchlist) -> ScreeningIndex:
    from shelter.watchlists.importing import entry_record

    live = WatchlistEntry.objects.filter(watchlist=watchlist, removed__isnull=True)
    state = (str(WatchlistEntry.objects.filter(watchlist=watchlist).aggregate(last=Max("changed"))["last"]),
             live.count())
    cached = _watchlist_indexes.get(watchlist.pk)
    if cached is not None and cached[0] == state:
        return cached[1]
    index = ScreeningIndex.build((str(entry.pk), entry_record(entry)) for entry in live.iterator(chunk_size=2000))
    _watchlist_indexes[watchlist.pk] = (state, index)
    return index


def _watchlist_dataset(watchlist: Watchlist) -> Dataset:
    def visible(keys: list[str], viewer: Viewer) -> list[WatchlistEntry]:
        return list(WatchlistEntry.objects.filter(watchlist=watchlist, removed__isnull=True,
                                                  pk__in=[int(k) for k in keys]))

    def entity(entry: WatchlistEntry) -> dict[str, Any]:
        return {"id": entry.entity_id, "caption": entry.caption, "schema": entry.schema,
                "properties": entry.properties, "datasets": [watchlist.name],
                "first_seen": entry.first_seen.isoformat(), "last_change": entry.changed.isoformat()}

    return Dataset(watchlist.name, lambda: _watchlist_index(watchlist), visible, lambda entry: str(entry.pk), entity)


REGISTRY = Dataset("registry", registry_index, _visible_people, lambda person: str(person.pk), _person_entity)
NOTICES = Dataset("notices", lambda: notice_subjects().index, _visible_notices, lambda notice: str(notice.pk),
                  _notice_entity)


def dataset_for(name: str, viewer: Viewer) -> Dataset:
    """``registry``, ``notices`` or a watchlist the caller may see; anything else is missing."""
    if name in ("registry", "notices"):
        return REGISTRY if name == "registry" else NOTICES
    try:
        return _watchlist_dataset(visible_watchlist(viewer, name))
    except UnknownWatchlist:
        raise HttpError(404, f"there is no dataset named '{name}' (registry, notices or a watchlist)") from None


@dataclass(frozen=True)
class Found:
    hit: Hit
    record: Any


def search(dataset: Dataset, query: PersonRecord, viewer: Viewer, cutoff: float) -> list[Found]:
    """The records of ``dataset`` visible to ``viewer`` that resemble ``query`` with a score of at least
    ``cutoff``, best first."""
    if not query.names:
        return []
    index = dataset.index()
    if len(index) == 0:
        return []
    with _search_lock:
        hits = index.search(query, threshold=cutoff, limit=SCAN)
    records = {dataset.key(record): record for record in dataset.visible([hit.key for hit in hits], viewer)}
    return [Found(hit, records[hit.key]) for hit in hits if hit.key in records]


def _query_record(name: str, example: Example) -> PersonRecord | None:
    """The person a query describes; None when its schema is not a person (nothing in Shelter to match)."""
    schema = model.get(example.schema_)
    if schema is None:
        raise HttpError(400, f"query '{name}': '{example.schema_}' is not a FollowTheMoney schema")
    if not model.get("Person").is_a(schema):  # type: ignore[union-attr]
        return None
    try:
        return describe(example.properties).record
    except PropertyError as error:
        raise HttpError(400, f"query '{name}': {error}") from None


def _result(dataset: Dataset, found: Found, threshold: float) -> dict[str, Any]:
    score = found.hit.result.score
    return {**dataset.entity(found.record), "referents": [], "target": False, "score": score,
            "match": score >= threshold, "features": {FEATURE: score},
            "explanation": found.hit.result.explanation}


def answer(dataset: Dataset, queries: Iterable[tuple[str, Example]], viewer: Viewer, limit: int,
           threshold: float, cutoff: float) -> dict[str, Any]:
    records = [(name, example, _query_record(name, example)) for name, example in queries]
    responses: dict[str, Any] = {}
    for name, example, record in records:
        found = search(dataset, record, viewer, min(cutoff, threshold)) if record is not None else []
        responses[name] = {
            "status": 200,
            "results": [_result(dataset, item, threshold) for item in found[:limit]],
            "total": {"value": len(found), "relation": "gte" if len(found) >= SCAN else "eq"},
            "query": {"id": example.id, "schema": example.schema_, "properties": example.properties},
        }
    return {"responses": responses, "matcher": MATCHER, "limit": limit}


router = Router(tags=["match"])


@router.post("/{dataset}", auth=MatchToken(), summary="Match people against a dataset (yente's /match)",
             operation_id="match")
def match(request: HttpRequest, dataset: str, body: MatchBody,
          limit: int = Query(MATCH_PAGE, ge=1, le=MAX_LIMIT, description=f"results per query, 1-{MAX_LIMIT}"),
          threshold: float = Query(DEFAULT_THRESHOLD, ge=0, le=1,
                                   description="results scoring at least this are a match (\"match\": true)"),
          cutoff: float = Query(DEFAULT_CUTOFF, ge=0, le=1,
                                description="results scoring below this are not returned")) -> dict[str, Any]:
    """Each query is a FollowTheMoney entity; a Person's ``name`` (and ``alias``, name parts), ``birthDate``,
    ``nationality``, ``citizenship`` and ``gender`` are compared. Queries of other schemata get no results."""
    viewer: Viewer = request.auth  # type: ignore[attr-defined]
    if not body.queries:
        raise HttpError(400, "no queries provided")
    if len(body.queries) > MAX_BATCH:
        raise HttpError(400, f"too many queries in one batch (limit: {MAX_BATCH})")
    found = dataset_for(dataset, viewer)
    return answer(found, body.queries.items(), viewer, limit, threshold, cutoff)
