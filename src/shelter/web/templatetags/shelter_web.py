"""Template helpers for Shelter pages: query-string links, country labels, history values."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

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
def history_value(value: Any) -> str:
    """A field value from a history entry as short text (case teams arrive as lists of rows)."""
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item.get("team", item)) if isinstance(item, dict) else str(item) for item in value) or "—"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
