"""Capabilities and control-list entries in words."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shelter.surveillance.taxonomy import capability_label

register = template.Library()


@register.filter
def capability_labels(codes: list[str]) -> str:
    language = get_language() or "en"
    return ", ".join(capability_label(code, language) for code in codes or ()) or "—"


@register.filter
def indicator_title(item: dict[str, object]) -> object:
    """An indicator of an assessment by its title in the page's language (the JSON keeps the English one)."""
    language = get_language() or "en"
    return item.get("title_ru") or item["title"] if language.startswith("ru") else item["title"]


@register.simple_tag
def surveillance_menu_link() -> str:
    """The main menu's link to the surveillance pages, worded from this app's own catalogue."""
    return format_html('<a href="{}">{}</a>', reverse("surveillance:vendors"), _("Surveillance technology"))
