"""The dossier (the factual annex of a court bundle) and the annex to a request to the Commission for the
Control of INTERPOL's Files (CCF), as HTML and PDF, in English or Russian.

Everything in it comes through the requesting user's visibility filter. Record content is escaped by
the template engine; the PDF renderer is given no way to fetch anything (no base URL, a fetcher that
refuses), so text that looks like markup or a link stays text.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from shelter.access.visibility import Viewer, visible_to
from shelter.incidents.models import Citation, Incident
from shelter.indicators.catalogue import translated_questions
from shelter.notices.assessment.assess import FactsGatherer, NoticeAssessment, assess_notice
from shelter.notices.models import IndicatorReview, Notice, ScreeningMatch
from shelter.web.country_names import localised_country_name

STYLESHEET = Path(__file__).parents[1] / "static" / "notices" / "dossier.css"
# What can be written for a notice: the body template of each.
BODIES = {"dossier": "notices/dossier_body.html", "ccf": "notices/ccf_annex_body.html"}
LANGUAGES = ("en", "ru")


class DossierRequestError(ValueError):
    """A dossier asked for in a form or language that does not exist; the message names the choices."""


def check_request(form: str, language: str | None) -> None:
    if form not in BODIES:
        raise DossierRequestError(f"'{form}' is not a dossier form (choose {' or '.join(BODIES)})")
    if language is not None and language not in LANGUAGES:
        raise DossierRequestError(f"'{language}' is not a dossier language (choose {' or '.join(LANGUAGES)})")


def dossier_disposition(notice: Notice, extension: str, form: str = "dossier") -> str:
    """The Content-Disposition of a dossier download: ``dossier-2019-34876.pdf`` (``ccf-annex-…`` for the CCF
    annex). The entity id is reduced to letters, digits, dots and dashes (letters of other scripts are sent
    encoded), so that whatever was stored never shapes the header."""
    stem = re.sub(r"[^\w.]+", "-", notice.entity_id).strip("-.") or str(notice.pk)
    prefix = "ccf-annex" if form == "ccf" else "dossier"
    return content_disposition_header(as_attachment=True, filename=f"{prefix}-{stem}.{extension}") or "attachment"


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    what: str
    detail: str


def _incidents_and_citations(assessment: NoticeAssessment, user: Viewer) -> tuple[list[Incident], dict[int, list[Citation]]]:
    """Incidents against the matched people or their relatives, as the engine received them."""
    gathered = FactsGatherer(user).incidents_against(assessment.people)
    ids = {incident.pk for pairs in gathered.values() for incident, _ in pairs}
    incidents = list(visible_to(Incident.objects.filter(pk__in=ids), user).order_by("date_from", "pk"))
    citations: dict[int, list[Citation]] = {}
    for citation in visible_to(Citation.objects.filter(incident__in=[i.pk for i in incidents]), user).select_related("source"):
        citations.setdefault(citation.incident_id, []).append(citation)
    return incidents, citations


def dossier_context(notice: Notice, user: Viewer, generated: datetime | None = None) -> dict[str, Any]:
    """What the dossier shows, in the active language (indicator questions included), generated now unless
    ``generated`` says when."""
    assessment = assess_notice(notice, user)
    questions = translated_questions((translation.get_language() or "en")[:2])
    incidents, citations = _incidents_and_citations(assessment, user)
    candidates = visible_to(ScreeningMatch.objects.filter(notice=notice), user).select_related("person")
    events = list(visible_to(notice.events.all(), user))
    timeline = [TimelineEntry(e.date or e.recorded.date().isoformat(), e.get_kind_display(),
                              " ".join(filter(None, [localised_country_name(e.state) if e.state else "", e.detail_said])))
                for e in events]
    language = (translation.get_language() or "en")[:2]
    timeline += [TimelineEntry(i.date, i.title, _tactic_label(i, language)) for i in incidents]
    if notice.issued:
        timeline.append(TimelineEntry(notice.issued, _("issued"), ""))
    timeline.sort(key=lambda entry: entry.date)
    return {
        "notice": notice,
        "issuing_state_name": localised_country_name(notice.issuing_state) if notice.issuing_state else "",
        "nationality_names": [f"{localised_country_name(code)} ({code})" for code in notice.nationalities],
        "charges": list(notice.charges.all()),
        "documents": list(visible_to(notice.documents.all(), user)),
        "assessment": assessment,
        "rows": [
            {"result": result, "review": assessment.reviews.get(result.id),
             "question": questions.get(result.id, result.question),
             "reviewer": _reviewer(assessment.reviews.get(result.id), assessment.show_reviewer),
             "attached": assessment.attached.get(result.id, [])}
            for result in assessment.results
        ],
        "candidates": list(candidates),
        "incidents": [(incident, citations.get(incident.pk, []), _tactic_label(incident, language),
                       localised_country_name(incident.origin_state) if incident.origin_state else "—")
                      for incident in incidents],
        "timeline": timeline,
        "generated": generated or timezone.now(),
        "generated_for": getattr(user, "username", "") or "anonymous",
    }


def _tactic_label(incident: Incident, language: str) -> str:
    return incident.tactic_obj.label(language) if incident.tactic_obj else incident.tactic


def _reviewer(review: IndicatorReview | None, show: bool) -> str:
    """The reviewer's username, for signed-in readers only."""
    return review.reviewer.username if review is not None and review.reviewer is not None and show else ""


def render_dossier_html(notice: Notice, user: Viewer, for_pdf: bool = False, form: str = "dossier",
                        language: str | None = None, generated: datetime | None = None) -> str:
    """The dossier or the CCF annex (``form``) in ``language`` (``en`` or ``ru``; the active language when
    ``None``)."""
    check_request(form, language)
    with translation.override(language) if language else nullcontext():
        context = dossier_context(notice, user, generated)
        # Our own stylesheet, read from the package (never record content), so a saved file is self-contained.
        # The PDF renderer receives it separately.
        context["stylesheet"] = "" if for_pdf else mark_safe(STYLESHEET.read_text(encoding="utf-8"))
        context["body_template"] = BODIES[form]
        context["LANGUAGE_CODE"] = translation.get_language() or "en"
        context["exhibits"] = _exhibits(context)
        return render_to_string("notices/dossier.html", context)


@dataclass(frozen=True)
class Exhibit:
    number: int
    title: str
    detail: str


def _exhibits(context: dict[str, Any]) -> list[Exhibit]:
    """The numbered exhibits of a CCF annex: the notice's documents with their SHA-256, then the evidence
    attached to indicators, then the sources cited for incidents."""
    exhibits: list[Exhibit] = []
    for document in context["documents"]:
        exhibits.append(Exhibit(len(exhibits) + 1, document.title,
                                " ".join(filter(None, [document.date, document.file_name,
                                                       f"SHA-256 {document.file_sha256}" if document.file_sha256 else ""]))))
    for row in context["rows"]:
        for item in row["attached"]:
            detail = " ".join(filter(None, [row["result"].id, item.file_name,
                                            f"SHA-256 {item.file_sha256}" if item.file_sha256 else ""]))
            exhibits.append(Exhibit(len(exhibits) + 1, item.note or item.file_name, detail))
    seen: set[int] = set()
    for _incident, citations, _tactic, _origin in context["incidents"]:
        for citation in citations:
            if citation.source_id in seen:
                continue
            seen.add(citation.source_id)
            exhibits.append(Exhibit(len(exhibits) + 1, citation.source.title, citation.source.url or ""))
    return exhibits


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, Any]:
    raise ValueError(f"the dossier renderer does not fetch resources ({url[:80]})")


def render_dossier_pdf(notice: Notice, user: Viewer, form: str = "dossier", language: str | None = None) -> bytes:
    from weasyprint import CSS, HTML

    page = render_dossier_html(notice, user, for_pdf=True, form=form, language=language)
    html = HTML(string=page, url_fetcher=_refuse_fetch, base_url=None)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_refuse_fetch)
    document: bytes = html.write_pdf(stylesheets=[stylesheet])
    return document
