"""What every list endpoint shares: paging, full-text ``q``, filters checked as query parameters, and the answer
``{"items": [...], "count": N, "count_capped": false}`` (the count stops at ``COUNT_CAP``).

Every list takes ``limit`` and ``offset`` declared here (``Limit``, ``Offset``), and every filter naming a record
by id takes ``RecordIdFilter``: a value outside their bounds is a 422 naming the parameter, never a database
error. A filter's bad value raises :func:`query_error`, reported as ``{"loc": ["query", name], "msg": ...}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.db import models
from ninja import Query
from ninja.errors import ValidationError
from pydantic import Field

from shelter.access.models import Confidentiality
from shelter.access.visibility import Viewer
from shelter.countries import UnknownCountryError, country_code
from shelter.search.index import search_with_links

MAX_LIMIT = 500
# A list's count stops here and says so (``count_capped``): counting every match of a large search costs more than
# the page.
COUNT_CAP = 10_000
# Ids are 64-bit signed integers on SQLite and PostgreSQL; a larger number can name no record.
MAX_ID = 2**63 - 1
# More records than any installation holds; keeps ``offset + limit`` inside a 64-bit integer.
MAX_OFFSET = 10**12

Limit = Query(50, ge=1, le=MAX_LIMIT, description=f"page size, 1-{MAX_LIMIT}")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="records to skip")
RecordIdFilter = Query(None, ge=1, le=MAX_ID, description="a record id")
FullText = Query("", description="full-text search (every word as a prefix; Cyrillic and Latin find each other)")


def choice(values: Iterable[str], description: str = "") -> Any:
    """Metadata for a filter taking one of ``values``, declared as an enum in the OpenAPI document:
    ``KindFilter = Annotated[str | None, choice(SourceKind.values)]``."""
    return Field(description=description or None, json_schema_extra={"enum": [v for v in values if v]})


LevelFilter = Annotated[str | None, choice(Confidentiality.values, "keep one confidentiality level (within what "
                                                                   "the caller may see)")]


def query_error(parameter: str, message: str) -> ValidationError:
    """A 422 naming the query parameter whose value cannot be used."""
    return ValidationError([{"loc": ["query", parameter], "msg": message, "type": "value_error"}])


def country_filter(value: str, field: str) -> str:
    """A country filter given as an ISO code or an English name, as its alpha-2 code."""
    try:
        return country_code(value)
    except UnknownCountryError as error:
        raise query_error(field, str(error)) from None


def choice_filter(value: str, field: str, choices: list[str]) -> str:
    if value not in choices:
        raise query_error(field, f"'{value}' is not one of {', '.join(c for c in choices if c)}")
    return value


def level_filter(queryset: models.QuerySet[Any], confidentiality: str | None) -> models.QuerySet[Any]:
    """Keep one confidentiality level (inside what the caller may see anyway)."""
    if not confidentiality:
        return queryset
    return queryset.filter(confidentiality=choice_filter(confidentiality, "confidentiality", Confidentiality.values))


def page_of(queryset: models.QuerySet[Any], limit: int, offset: int) -> models.QuerySet[Any]:
    """The slice ``[offset, offset + limit)``, with the bounds of ``Limit`` and ``Offset`` checked again for
    callers that are not endpoints."""
    if not 1 <= limit <= MAX_LIMIT:
        raise query_error("limit", f"must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise query_error("offset", f"must be between 0 and {MAX_OFFSET}")
    return queryset[offset:offset + limit]


def capped_count(queryset: models.QuerySet[Any], cap: int) -> tuple[int, bool]:
    """How many rows ``queryset`` holds, counted up to ``cap``; and whether there are more."""
    counted = queryset.order_by()[:cap + 1].count()
    return min(counted, cap), counted > cap


def page(queryset: models.QuerySet[Any], q: str, limit: int, offset: int,
         build: Callable[[Any, Viewer], dict[str, Any]], viewer: Viewer) -> dict[str, Any]:
    """One page of an already visibility-filtered queryset, narrowed by full-text ``q``; the count stops at
    ``COUNT_CAP`` and says so (``count_capped``)."""
    if q.strip():
        queryset = search_with_links(queryset, q, viewer)
    records = list(page_of(queryset, limit, offset))
    if len(records) < limit and (records or offset == 0):
        # A page that is not full holds the last records: the count follows without another query.
        count, capped = min(offset + len(records), COUNT_CAP), offset + len(records) > COUNT_CAP
    else:
        count, capped = capped_count(queryset, COUNT_CAP)
    return {"items": [build(record, viewer) for record in records], "count": count, "count_capped": capped}
