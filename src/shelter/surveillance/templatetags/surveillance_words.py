"""Capabilities and control-list entries in words."""

from __future__ import annotations

from django import template

from shelter.surveillance.taxonomy import capability_label

register = template.Library()


@register.filter
def capability_labels(codes: list[str]) -> str:
    return ", ".join(capability_label(code) for code in codes or ()) or "—"
