"""Registry words in the page's language: a person's profile tags."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from shelter.registry.models import profile_tag_labels

register = template.Library()


@register.filter
def profile_tags(tags: Iterable[str]) -> str:
    """The tags, the known ones in the page's language, separated by commas ("—" when there are none)."""
    labels = profile_tag_labels()
    return ", ".join(labels.get(tag, tag) for tag in tags) or "—"
