"""Indicator evidence in the page's language: Shelter's own sentences (message ids with fields, from the
indicators core) through the catalogue, their coded fields (countries, tactics, roles, kinds of notice, statuses,
profile tags, counts, lengths of time, kinds of decision) named in that language, words from the indicators' data
files (state facts, offences' descriptions) in that language as the files give them. Words that are not Shelter's
(a decision as its recorder typed it) stay as written."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

from shelter.incidents.models import Outcome
from shelter.incidents.taxonomy import taxonomy
from shelter.indicators.model import Evidence, Field, reference_in, said_in
from shelter.notices.models import NoticeKind, StatusEventKind
from shelter.registry.models import StatusAbroad, profile_tag_labels
from shelter.web.country_names import localised_country_name

register = template.Library()


def _roles() -> dict[str, str]:
    return {"subject": _("the person"), "relative": _("relatives"), "associate": _("associates")}




def _months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


def _tactic(code: str) -> str:
    tactic = taxonomy().get(code)
    return tactic.label((get_language() or "en")[:2]) if tactic else code.replace("_", " ")


def written(field: Field) -> str:
    """One field of an evidence sentence in the page's language."""
    values = field.values
    if field.kind in ("country", "countries"):
        return ", ".join(localised_country_name(code) for code in values)
    if field.kind == "tactic":
        return ", ".join(_tactic(code) for code in values)
    if field.kind == "roles":
        return _(" or ").join(_roles().get(code, code) for code in values)
    if field.kind == "notice_kind":
        labels = dict(NoticeKind.choices)
        return ", ".join(str(labels.get(code, code)) for code in values)
    if field.kind == "status_abroad":
        statuses = dict(StatusAbroad.choices)
        return ", ".join(str(statuses.get(code, code)) for code in values)
    if field.kind == "profile":
        return ", ".join(profile_tag_labels().get(tag, tag.replace("_", " ")) for tag in values)
    if field.kind in ("tactic_counts", "outcome_counts"):
        outcomes = dict(Outcome.choices)
        name = _tactic if field.kind == "tactic_counts" else (lambda code: str(outcomes.get(code, code)))
        return ", ".join(f"{name(code)} {count}" for code, count in (value.split("=") for value in values))
    if field.kind == "months":
        return ", ".join(_months(int(value)) for value in values)
    if field.kind == "translated":
        return field.in_language((get_language() or "en")[:2])
    if field.kind == "decision":  # (code of the kind, its English words, the decision as typed)
        kinds = dict(StatusEventKind.choices)
        code, english, typed = values
        return ": ".join(part for part in (str(kinds.get(code, english)) if code else english, typed) if part)
    if field.kind == "language":  # (code, English name)
        try:
            language = str(get_language_info(values[0])["name_translated"])
        except KeyError:
            return values[1]
        return language.lower() if (get_language() or "en")[:2] == "ru" else language
    return ", ".join(values)


@register.filter
def evidence_text(item: Evidence) -> str:
    """An evidence item as the page's language says it (English as the engine wrote it)."""
    if (get_language() or "en")[:2] == "en" or not isinstance(item, Evidence):
        return item.text if isinstance(item, Evidence) else str(item)
    return said_in(item, _, written)


@register.filter
def reference_text(item: Evidence) -> str:
    """An evidence item's reference as the page's language says it (a charge's matched terms with their kinds, the
    provisions it cites with their descriptions); other references as written."""
    if (get_language() or "en")[:2] == "en":
        return item.reference or ""
    return reference_in(item, _, written)
