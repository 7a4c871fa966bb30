"""What every list endpoint shares: paging, full-text ``q`` and the answer ``{"items": [...], "count": N}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from shelter.access.models import Confidentiality
from shelter.access.visibility import Viewer
from shelter.countries import UnknownCountryError, country_code
from shelter.search.index import search

MAX_LIMIT = 500


def country_filter(value: str, field: str) -> str:
    """A country filter given as an ISO code or an English name, as its alpha-2 code."""
    try:
        return country_code(value)
    except UnknownCountryError as error:
        raise ValidationError({field: str(error)}) from None


def choice_filter(value: str, field: str, choices: list[str]) -> str:
    if value not in choices:
        raise ValidationError({field: f"'{value}' is not one of {', '.join(c for c in choices if c)}"})
    return value


def level_filter(queryset: models.QuerySet[Any], confidentiality: str | None) -> models.QuerySet[Any]:
    """Keep one confidentiality level (inside what the caller may see anyway)."""
    if not confidentiality:
        return queryset
    return queryset.filter(confidentiality=choice_filter(confidentiality, "confidentiality", Confidentiality.values))


def page(queryset: models.QuerySet[Any], q: str, limit: int, offset: int,
         build: Callable[[Any, Viewer], dict[str, Any]], viewer: Viewer) -> dict[str, Any]:
    """One page of an already visibility-filtered queryset, narrowed by full-text ``q``."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": f"must be between 1 and {MAX_LIMIT}"})
    if offset < 0:
        raise ValidationError({"offset": "must not be negative"})
    if q.strip():
        queryset = search(queryset, q)
    return {"items": [build(record, viewer) for record in queryset[offset:offset + limit]],
            "count": queryset.count()}
