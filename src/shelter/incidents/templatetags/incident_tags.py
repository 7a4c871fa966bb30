"""Template filters for incidents: a tactic's label and its Freedom House category, in the interface language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from shelter.incidents.taxonomy import taxonomy

register = template.Library()


@register.filter
def tactic_label(code: str) -> str:
    tactic = taxonomy().get(code)
    return tactic.label(get_language() or "en") if tactic else code


@register.filter
def freedom_house_label(code: str) -> str:
    """The Freedom House physical-tactic category of a tactic, in the interface language."""
    labels = taxonomy().freedom_house_categories.get(code or "", {})
    return labels.get((get_language() or "en")[:2], labels.get("en", code or ""))
