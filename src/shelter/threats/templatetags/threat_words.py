"""Verdicts and severities in words, in the page's language (the stored report keeps the codes)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from shelter.triage.catalogue import indicator_catalogue
from shelter.triage.verdict import Finding

register = template.Library()


def _verdicts() -> dict[str, str]:
    return {
        "malicious": _("Dangerous: it matches known attacks"),
        "suspicious": _("Suspicious: it shows warning signs"),
        "no_indicators_found": _("No known warning signs found"),
    }


def _severities() -> dict[str, str]:
    return {"critical": pgettext("severity", "critical"), "high": pgettext("severity", "high"),
            "medium": pgettext("severity", "medium"), "low": pgettext("severity", "low"),
            "info": pgettext("severity", "for information")}


@register.filter
def verdict_words(code: str) -> str:
    return _verdicts().get(code, code)


@register.filter
def severity_words(code: str) -> str:
    return _severities().get(code, code)


@register.filter
def finding_title(found: Finding | dict[str, str]) -> str:
    """A finding's title in the page's language: the catalogue's Russian title on a Russian page, unless the
    check gave the finding a title of its own. A finding comes as checked, or as stored in a report."""
    fields = found.to_dict() if isinstance(found, Finding) else found
    definition = indicator_catalogue().indicators.get(fields.get("id", ""))
    title = fields.get("title", "")
    if definition is None or title != definition.title or (get_language() or "en")[:2] != "ru":
        return title
    return definition.title_ru
