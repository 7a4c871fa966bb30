"""Faceted filtering of a list page: filters from the query string, counts from the visible queryset.

Each facet's counts are computed on the visible, searched queryset narrowed by every *other* selected
facet, so a count tells how many rows choosing that value would show.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from shelter.access.models import Confidentiality
from shelter.search.index import id_list

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
        counts = [(row[spec.field], row["n"]) for row in rows[:limit]]
        facets.append(_facet(spec, counts, chosen))
    return _narrow(queryset, specs, chosen), facets


def _facet(spec: FacetSpec, counts: list[tuple[object, int]], chosen: dict[str, str]) -> Facet:
    options = []
    for value, count in counts:
        if value in (None, ""):
            continue
        text = str(value)
        options.append(FacetOption(text, spec.display(text), count, chosen.get(spec.param) == text))
    if spec.param in chosen and not any(o.selected for o in options):
        options.append(FacetOption(chosen[spec.param], spec.display(chosen[spec.param]), 0, True))
    return Facet(spec.param, spec.label, tuple(options))


def facets_in_one_reading(queryset: models.QuerySet, specs: tuple[FacetSpec, ...], params: Mapping[str, str],
                          most: int, limit: int = 40) -> tuple[models.QuerySet, list[Facet], int] | None:
    """Like :func:`apply_facets` for a queryset known to be small (e.g. narrowed by a full-text query): the facet
    columns of its rows are read once and counted here, instead of one grouped query per facet. Also returns how
    many rows the chosen values keep. None when it holds more than ``most`` rows or a facet is not a column of
    the model itself; the caller then uses :func:`apply_facets`."""
    fields = {field.name: field for field in queryset.model._meta.concrete_fields}
    if any(spec.field not in fields for spec in specs):
        return None
    chosen = selected_values(specs, params)
    try:
        wanted = {spec.param: fields[spec.field].to_python(chosen[spec.param]) for spec in specs if spec.param in chosen}
    except ValidationError:
        return None
    rows = list(queryset.order_by().values_list("pk", *(spec.field for spec in specs))[:most + 1])
    if len(rows) > most:
        return None

    # A row counts for a facet when it has every chosen value of the other facets: when it misses none (it is
    # also kept) or misses only that facet's own.
    checks = [(i, wanted[spec.param]) for i, spec in enumerate(specs, start=1) if spec.param in wanted]
    counted: list[Counter[object]] = [Counter() for _ in specs]
    kept = []
    for row in rows:
        missed = [i for i, value in checks if row[i] != value]
        if not missed:
            kept.append(row[0])
            for i in range(1, len(specs) + 1):
                counted[i - 1][row[i]] += 1
        elif len(missed) == 1:
            counted[missed[0] - 1][row[missed[0]]] += 1
    facets = []
    for spec, counts in zip(specs, counted, strict=True):
        present = [(value, n) for value, n in counts.items() if value not in (None, "")]
        # Largest first, then by value, as the grouped query orders them.
        facets.append(_facet(spec, sorted(present, key=lambda item: (-item[1], item[0]))[:limit], chosen))
    return queryset.filter(pk__in=id_list(kept)), facets, len(kept)


def choice_label(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """Show a stored choice value by its (translated) label."""
    return lambda value: str(dict(choices.choices).get(value, value))


CONFIDENTIALITY_FACET = FacetSpec("confidentiality", "confidentiality", _("Confidentiality"),
                                  choice_label(Confidentiality))
