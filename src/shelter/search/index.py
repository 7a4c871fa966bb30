"""Index records for full-text search and turn a query into the ids of the matching records.

The index is read first and its ids handed to the rest of the query as one parameter (:func:`id_list`): the
database then looks the few matching rows up by key, whatever else the query filters on, instead of running
the match inside a plan it may have built around another index.

Each searchable model registers how its text is built. Text is indexed as written and in Latin
transliteration, so a Cyrillic name is found by a Latin query and the other way round. Every query word is
matched as a prefix, and a Cyrillic word also by its Russian Snowball stem, so that «Тестова» finds «Тестовой»
(Ukrainian words go through the same stemmer, which knows many but not all of their endings).

A kind may also register ``related``: the records of that kind reached through other records that match
(incidents through their targets and perpetrators). :func:`search_with_links` asks it with the viewer, and the
related records are found only through records and links that viewer may see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
from anyascii import anyascii
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL

from shelter.access.visibility import Viewer
from shelter.search.models import SearchDocument

_WORD = re.compile(r"\w+", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A stem shorter than this matches too many words as a prefix to be worth adding.
_MIN_STEM = 3

# (ids of the matching records by kind, viewer) -> ids of records of a kind reached through other matching
# records the viewer may see
Related = Callable[[Mapping[str, list[int]], Viewer], Iterable[int]]


@dataclass(frozen=True)
class Searchable:
    kind: str
    model: type[models.Model]
    text: Callable[[Any], Iterable[str]]  # the record -> its words
    prefetch: tuple[str, ...] = ()
    related: Related | None = None


_REGISTRY: dict[str, Searchable] = {}


def register(kind: str, model: type[models.Model], text: Callable[[Any], Iterable[str]],
             prefetch: tuple[str, ...] = (), related: Related | None = None) -> None:
    _REGISTRY[kind] = Searchable(kind, model, text, prefetch, related)


def searchable(kind: str) -> Searchable:
    return _REGISTRY[kind]


def searchable_kinds() -> list[str]:
    return sorted(_REGISTRY)


def kind_of(model: type[models.Model]) -> str | None:
    return next((s.kind for s in _REGISTRY.values() if s.model is model), None)


@lru_cache(maxsize=200_000)
def _latin(run: str) -> str:
    return anyascii(run)


def document_body(parts: Iterable[str]) -> str:
    """The indexed text of a record: its parts as written, then the non-ASCII ones in Latin transliteration."""
    text = " ".join(p for p in parts if p)
    if text.isascii():
        return text
    # anyascii maps one character at a time, so transliterating only the non-ASCII runs gives the same text;
    # names recur across records, so the cache saves most of the work on large imports.
    latin = _NON_ASCII.sub(lambda match: _latin(match.group()), text)
    return text if latin == text else f"{text}\n{latin}"


def index_records(kind: str, ids: Iterable[int] | None = None, batch_size: int = 2000) -> int:
    """(Re)build the documents of ``kind``; all of them when ``ids`` is None. Returns the number indexed."""
    spec = _REGISTRY[kind]
    queryset = spec.model._default_manager.all().prefetch_related(*spec.prefetch)
    if ids is not None:
        id_list = list(ids)
        queryset = queryset.filter(pk__in=id_list)
    count = 0
    with transaction.atomic():
        if ids is None:
            SearchDocument.objects.filter(kind=kind).delete()
        else:
            SearchDocument.objects.filter(kind=kind, object_id__in=id_list).delete()
        batch: list[SearchDocument] = []
        for record in queryset.iterator(chunk_size=batch_size):
            batch.append(SearchDocument(kind=kind, object_id=record.pk, body=document_body(spec.text(record))))
            if len(batch) >= batch_size:
                SearchDocument.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        count += len(batch)
    return count


def remove_record(kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


@lru_cache(maxsize=1)
def _russian() -> Any:
    return snowballstemmer.stemmer("russian")


def query_terms(query: str) -> list[tuple[str, ...]]:
    """Words of the query, each with its alternatives: its Latin transliteration and, for a Cyrillic word, its
    stem (and the stem's transliteration)."""
    terms = []
    for word in _WORD.findall(query.casefold()):
        forms = {word}
        if _CYRILLIC.search(word):
            stem = _russian().stemWord(word)
            if len(stem) >= _MIN_STEM:
                forms.add(stem)
        alternatives = set(forms)
        for form in forms:
            alternatives.update(w for w in _WORD.findall(anyascii(form).casefold()) if w)
        terms.append(tuple(sorted(alternatives)))
    return terms


def _match_sql(terms: list[tuple[str, ...]], kind: str | None) -> tuple[str, tuple[str, ...]]:
    """The statement reading ``(kind, object_id)`` of the documents matching every term (of one kind, or all)."""
    table = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        tsquery = " & ".join("(" + " | ".join(f"{alt}:*" for alt in alts) + ")" for alts in terms)
        sql = f"SELECT kind, object_id FROM {table} WHERE vector @@ to_tsquery('simple', %s)"
        return (sql, (tsquery,)) if kind is None else (sql + " AND kind = %s", (tsquery, kind))
    fts_query = " AND ".join("(" + " OR ".join(f'"{alt}"*' for alt in alts) + ")" for alts in terms)
    # CROSS JOIN keeps the full-text match as the outer loop: with a plain JOIN SQLite may walk every document
    # of the kind and run the match once per document, which grows with the table.
    sql = (f"SELECT d.kind, d.object_id FROM search_fts f CROSS JOIN {table} d ON f.rowid = d.id "
           "WHERE search_fts MATCH %s")
    return (sql, (fts_query,)) if kind is None else (sql + " AND d.kind = %s", (fts_query, kind))


def matches(query: str, kind: str | None = None) -> dict[str, list[int]] | None:
    """The ids of the records whose text matches every word of ``query`` (as a prefix), by kind (of ``kind`` only,
    or of every kind in one reading of the index); None when the query has no words. Not narrowed by visibility:
    callers narrow through the filter."""
    terms = query_terms(query)
    if not terms:
        return None
    sql, params = _match_sql(terms, kind)
    found: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for record_kind, object_id in cursor.fetchall():
            found.setdefault(record_kind, []).append(object_id)
    return found


def record_ids(kind: str, query: str) -> list[int] | None:
    """The ids of ``kind`` records matching ``query`` (see :func:`matches`); None when the query has no words."""
    found = matches(query, kind)
    return None if found is None else found.get(kind, [])


def id_list(ids: list[int]) -> RawSQL:
    """The given ids for ``pk__in`` as a subquery over one parameter: on SQLite a JSON array (a long list reaches
    no limit on parameters), on PostgreSQL an array, whose length the planner reads from the value. A list of
    thousands of ids as thousands of placeholders cost more to compose and send than the query took to run."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def matching_ids(kind: str, query: str) -> RawSQL | list[int] | None:
    """The ids of ``kind`` records whose text matches every word of ``query`` (as a prefix), for ``pk__in``.

    None when the query has no words. The index is read first (:func:`record_ids`), so the database plans the
    rest of the query around a known list of ids instead of running the match inside it. Use as
    ``Model.objects.filter(pk__in=matching_ids(...))`` and then narrow through the visibility filter.
    """
    ids = record_ids(kind, query)
    return None if ids is None else id_list(ids)


def search(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """Narrow ``queryset`` to records whose own text matches ``query``; unchanged when the query is empty."""
    kind = kind_of(queryset.model)
    if kind is None:
        raise LookupError(f"{queryset.model.__name__} is not searchable")
    subquery = matching_ids(kind, query)
    return queryset if subquery is None else queryset.filter(pk__in=subquery)


def search_with_links(queryset: models.QuerySet, query: str, viewer: Viewer) -> models.QuerySet:
    """Like :func:`search`, and also the records reached through matching records ``viewer`` may see (an incident
    through the name of a target or perpetrator): never through a hidden record or link. The index is read once,
    for every kind."""
    kind = kind_of(queryset.model)
    if kind is None:
        raise LookupError(f"{queryset.model.__name__} is not searchable")
    related = _REGISTRY[kind].related
    found = matches(query) if related is not None else matches(query, kind)
    if found is None:
        return queryset
    ids = found.get(kind, [])
    if related is not None:
        ids = sorted(set(ids).union(related(found, viewer)))
    return queryset.filter(pk__in=id_list(ids))
