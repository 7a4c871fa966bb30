"""Verdicts and severities in words, in the page's language (the stored report keeps the codes)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
