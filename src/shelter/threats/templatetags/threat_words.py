"""Verdicts and severities in words, in the page's language (the stored report keeps the codes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # the triage package is imported when a finding is shown: Django loads every page's template
    # tags at its first template, and triage's e-mail readers would cost every command that renders one
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
def finding_title(found: Finding | dict[str, Any]) -> str:
    """A finding's title in the page's language: the catalogue's Russian title on a Russian page, unless the
    check gave the finding a title of its own. A finding comes as checked, or as stored in a report."""
    from shelter.triage.catalogue import indicator_catalogue

    fields = found if isinstance(found, dict) else found.to_dict()
    definition = indicator_catalogue().indicators.get(fields.get("id", ""))
    title = fields.get("title", "")
    if (get_language() or "en")[:2] != "ru":
        return title
    if definition is None or title != definition.title:
        return _(title) if title in CHECKS_OWN_TITLES else title  # a title the check gave, in the catalogue
    return definition.title_ru


# Titles a check gives a finding instead of the indicator's own (shelter.triage), translated in the catalogue.
CHECKS_OWN_TITLES = frozenset({"Link redirects through one site to another", "Tracking image",
                               "Link text shows a different destination than the link",
                               "Button writes an e-mail to another address", "HTML attachment"})
# Words a message adds after another's ("… in {context}", an HTML page's warning signs): each part is translated on
# its own.
SUFFIXES = (" in {context}", " disguised with the extension .{extension}", "; obfuscated script ({script})",
            "; hidden layers of encoded markup: {layers}", "; a password field", "; title {page_title}",
            "; content from {builders} (free site builders)")


def field_words() -> dict[str, dict[str, str]]:
    """Fields whose values are words of a fixed set (shelter.triage), in the page's language: the part of a message a
    finding names (a header keeps its name), the kind of program an attachment is, what a PDF holds."""
    return {
        "role": {"subject": pgettext("e-mail part", "subject"), "sender name": pgettext("e-mail part", "sender name")},
        "program": {"windows executable": pgettext("attachment", "Windows program"),
                    "elf executable": pgettext("attachment", "Linux program (ELF)"),
                    "macos executable": pgettext("attachment", "macOS program"),
                    "windows shortcut": pgettext("attachment", "Windows shortcut"),
                    "iso image": pgettext("attachment", "disk image (ISO)")},
        "content": {"JavaScript": "JavaScript",
                    "an action that starts a program": pgettext("attachment", "an action that starts a program"),
                    "an embedded file": pgettext("attachment", "an embedded file")},
    }


@register.filter
def finding_evidence(found: Finding | dict[str, Any]) -> str:
    """A finding's evidence in the page's language: the check's own words through the catalogue, what was checked
    (addresses, hosts, links) as it was. A finding comes as checked, or as stored in a report (older reports keep
    only the English)."""
    fields = found if isinstance(found, dict) else found.to_dict()
    evidence = str(fields.get("evidence", ""))
    message = str(fields.get("message") or "")
    if not message or (get_language() or "en")[:2] != "ru":
        return evidence
    values = {str(name): str(value) for name, value in fields.get("fields") or ()}
    for name, words in field_words().items():
        if name in values:
            values[name] = words.get(values[name], values[name])
    parts: list[str] = []
    while message.endswith(SUFFIXES):
        suffix = next(s for s in SUFFIXES if message.endswith(s))
        parts.insert(0, suffix)
        message = message[: -len(suffix)]
    try:
        return "".join(_(part).format(**values) for part in (message, *parts))
    except (KeyError, IndexError, ValueError):
        return evidence
