"""Faceted filtering of a list page: filters from the query string, counts from the visible queryset.

Each facet's counts are computed on the visible, searched queryset narrowed by every *other* selected
facet, so a count tells how many rows choosing that value would show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from shelter.access.models import Confidentiality

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FacetSpec:
    param: str
    field: str
    label: StrOrPromise  # a lazy translation
    display: Callable[[str], str] = str
    # Values that are not valid for the field (e.g. a year that is not a number) are ignored.
    accepts: Callable[[str], bool] = dataclasses.field(default=lambda value: True)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    param: str
    label: StrOrPromise
    options: tuple[FacetOption, ...]

    @property
    def selected(self) -> bool:
        return any(option.selected for option in self.options)


def selected_values(specs: tuple[FacetSpec, ...], params: Mapping[str, str]) -> dict[str, str]:
    chosen = {}
    for spec in specs:
        value = (params.get(spec.param) or "").strip()
        if value and spec.accepts(value):
            chosen[spec.param] = value
    return chosen


def _narrow(queryset: models.QuerySet, specs: tuple[FacetSpec, ...], chosen: dict[str, str],
            skip: str | None = None) -> models.QuerySet:
    for spec in specs:
        if spec.param in chosen and spec.param != skip:
            queryset = queryset.filter(**{spec.field: chosen[spec.param]})
    return queryset


def apply_facets(queryset: models.QuerySet, specs: tuple[FacetSpec, ...],
                 params: Mapping[str, str], limit: int = 40) -> tuple[models.QuerySet, list[Facet]]:
    """The queryset narrowed by the chosen facet values, and every facet with its counts (largest first)."""
    chosen = selected_values(specs, params)
    facets = []
    for spec in specs:
        rows = (
            _narrow(queryset, specs, chosen, skip=spec.param)
            .order_by()
            .values(spec.field)
            # The visibility filter narrows with subqueries, not joins, so rows are never repeated.
            .annotate(n=Count("pk"))
            .order_by("-n", spec.field)
        )
        options = []
        for row in rows[:limit]:
            value = row[spec.field]
            if value in (None, ""):
                continue
            text = str(value)
            options.append(FacetOption(text, spec.display(text), row["n"], chosen.get(spec.param) == text))
        if spec.param in chosen and not any(o.selected for o in options):
            options.append(FacetOption(chosen[spec.param], spec.display(chosen[spec.param]), 0, True))
        facets.append(Facet(spec.param, spec.label, tuple(options)))
    return _narrow(queryset, specs, chosen), facets


def choice_label(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """Show a stored choice value by its (translated) label."""
    return lambda value: str(dict(choices.choices).get(value, value))


CONFIDENTIALITY_FACET = FacetSpec("confidentiality", "confidentiality", _("Confidentiality"),
                                  choice_label(Confidentiality))
