"""Template helpers for Shelter pages: query-string links, country and tactic labels, history values."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.translation import get_language

from shelter.incidents.taxonomy import taxonomy
from shelter.web.country_names import localised_country_name

register = template.Library()


@register.simple_tag
def query_with(request: HttpRequest, param: str, value: Any) -> str:
    """The current query string with ``param`` set to ``value`` (or removed when empty), page reset."""
    params = request.GET.copy()
    params.pop("page", None)
    if value in (None, ""):
        params.pop(param, None)
    else:
        params[param] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def page_link(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}"


@register.filter
def country(code: str) -> str:
    return localised_country_name(code)


@register.filter
def countries(codes: list[str]) -> str:
    return ", ".join(localised_country_name(code) for code in codes or [])


@register.filter
def tactic_label(code: str) -> str:
    tactic = taxonomy().get(code)
    return tactic.label(get_language() or "en") if tactic else code


@register.filter
def freedom_house_label(code: str) -> str:
    """The Freedom House physical-tactic category of a tactic, in the interface language."""
    labels = taxonomy().freedom_house_categories.get(code or "", {})
    return labels.get((get_language() or "en")[:2], labels.get("en", code or ""))


@register.filter
def history_value(value: Any) -> str:
    """A field value from a history entry as short text (case teams arrive as lists of rows)."""
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item.get("team", item)) if isinstance(item, dict) else str(item) for item in value) or "—"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
