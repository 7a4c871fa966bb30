"""The shared shape of every list page: visible queryset → full-text search → facets → one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.functional import cached_property

from shelter.access.visibility import visible_to
from shelter.search.index import search_with_links
from shelter.web.facets import Facet, FacetSpec, apply_facets, facets_in_one_reading

PAGE_SIZE = 25
# A full-text query usually leaves a few thousand rows: up to this many, their facet columns are read once and
# counted in Python, one query instead of one grouped query per facet and another for the count.
ONE_READING_MOST = 20_000


@dataclass(frozen=True)
class Listing:
    page: Page
    facets: list[Facet]
    query: str

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def filtered(self) -> bool:
        return bool(self.query) or any(f.selected for f in self.facets)


def build_listing(request: HttpRequest, queryset: models.QuerySet,
                  specs: tuple[FacetSpec, ...] = (), page_size: int = PAGE_SIZE) -> Listing:
    query = request.GET.get("q", "").strip()[:200]
    visible = visible_to(queryset, request.user)
    counted = None
    if query:
        visible = search_with_links(visible, query, request.user)
        counted = facets_in_one_reading(visible, specs, request.GET, most=ONE_READING_MOST)
    if counted is not None:
        narrowed, facets, count = counted
        paginator: Paginator = CountedPaginator(narrowed, page_size, count)
    else:
        narrowed, facets = apply_facets(visible, specs, request.GET)
        paginator = Paginator(narrowed, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page, facets, query)


class CountedPaginator(Paginator):
    """A paginator told its count, which the facets have already counted."""

    def __init__(self, object_list: models.QuerySet, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def listing_context(listing: Listing, **extra: Any) -> dict[str, Any]:
    return {"listing": listing, "page": listing.page, "facets": listing.facets, "query": listing.query, **extra}
