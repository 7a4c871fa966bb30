"""The shared shape of every list page: visible queryset → full-text search → facets → one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest

from shelter.access.visibility import visible_to
from shelter.search.index import search_with_links
from shelter.web.facets import Facet, FacetSpec, apply_facets

PAGE_SIZE = 25


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
    if query:
        visible = search_with_links(visible, query, request.user)
    narrowed, facets = apply_facets(visible, specs, request.GET)
    paginator = Paginator(narrowed, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page, facets, query)


def listing_context(listing: Listing, **extra: Any) -> dict[str, Any]:
    return {"listing": listing, "page": listing.page, "facets": listing.facets, "query": listing.query, **extra}
