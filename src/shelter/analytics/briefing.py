"""Per-state briefings for policy makers: headline figures, charts, tables, notable cases, agreements and
recommendations, as HTML, PDF or JSON.

Everything in a briefing comes through the visibility filter for its :class:`Audience`. A public briefing
is built from published public records only, merges counts below 3 and the counts that would give them
away into "other" rows and its years into periods, pseudonymises people and describes notable cases without
their free-text titles (which may name people).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import translation

from shelter.access.visibility import visible_to
from shelter.analytics.charts import chart_spec, render_chart
from shelter.analytics.country_labels import country_label
from shelter.analytics.models import Agreement
from shelter.analytics.notice_stats import NoticeFigures
from shelter.analytics.recommendations import DEFAULT_FILE, load_recommendations, select_recommendations
from shelter.analytics.rendered import kept
from shelter.analytics.services import (
    Audience,
    IncidentFilters,
    figures_for,
    labels,
    notice_figures_for,
    visible_incidents,
)
from shelter.analytics.stats import Shown, pseudonym
from shelter.analytics.tables import Table, build_tables, headline
from shelter.incidents.models import Incident, IncidentTarget, Outcome, Verification
from shelter.incidents.taxonomy import taxonomy

BRIEFING_FORMATS = ("pdf", "html", "json")
BRIEFING_CHARTS = ("by_year", "by_category", "by_tactic", "by_host", "returnee_outcomes")
NOTABLE_CASES = 8
# Which cases a briefing singles out first: the gravest outcome, then the best verified, then the latest.
OUTCOME_GRAVITY = (Outcome.KILLED, Outcome.DISAPPEARED, Outcome.TORTURED, Outcome.SENTENCED, Outcome.DETAINED,
                   Outcome.INJURED, Outcome.RETURNED)
VERIFICATION_RANK = (Verification.VERIFIED, Verification.PARTIAL)


@dataclass(frozen=True)
class NotableCase:
    date: str
    tactic: str
    host_country: str
    outcome: str
    summary: str
    people: tuple[str, ...]
    incident_id: int | None


@dataclass(frozen=True)
class AgreementSummary:
    partner: str
    name: str
    kind: str
    status: str
    is_open: bool
    next_milestone: str
    next_milestone_date: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RecommendationText:
    id: str
    text: str
    basis: str


@dataclass(frozen=True)
class Briefing:
    state: str
    state_name: str
    filters: IncidentFilters
    public: bool
    generated: date
    headline: dict[str, Shown]
    tables: dict[str, Table]
    notable_cases: tuple[NotableCase, ...]
    agreements: tuple[AgreementSummary, ...]
    recommendations: tuple[RecommendationText, ...]
    notices: NoticeFigures | None
    operation_abroad: Any = None  # the network section (shelter.network.briefing), when there is one
    suppliers: Any = None  # who supplies the state with surveillance technology (shelter.surveillance.briefing)

    @property
    def incidents_total(self) -> Shown:
        return self.headline["incidents_total"]

    @property
    def notice_dict(self) -> dict[str, object] | None:
        return self.notices.as_dict(self.public) if self.notices else None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "state_name": self.state_name,
            "period": {"from": self.filters.year_from, "to": self.filters.year_to},
            "public": self.public,
            "generated": self.generated.isoformat(),
            "incidents_total": self.incidents_total,
            "headline": dict(self.headline),
            "tables": {name: table.as_dict() for name, table in self.tables.items()},
            "notable_cases": [case.__dict__ for case in self.notable_cases],
            "agreements": [{**a.__dict__, "sources": list(a.sources)} for a in self.agreements],
            "recommendations": [r.__dict__ for r in self.recommendations],
            "notices": self.notice_dict,
            "operation_abroad": self.operation_abroad.as_dict() if self.operation_abroad else None,
            "suppliers": self.suppliers.as_dict() if self.suppliers else None,
        }


def recommendations_file() -> Path:
    """The workspace's own recommendations file when there is one, else the file shipped with Shelter."""
    own = Path(settings.SHELTER_HOME) / "analytics" / "recommendations.yaml"
    return own if own.exists() else DEFAULT_FILE


def build_briefing(state: str, audience: Audience, year_from: int | None = None, year_to: int | None = None,
                   language: str = "en") -> Briefing:
    filters = IncidentFilters(year_from=year_from, year_to=year_to, states=(state,))
    with translation.override(language):
        figures = figures_for(audience, filters)
        words = labels(language)
        tables = build_tables(figures, words, audience.public)
        viewer_agreements = visible_to(Agreement.objects.filter(state=state), audience.viewer)
        agreements = _agreement_summaries(viewer_agreements, audience)
        # A public briefing's recommendations may rest only on the counts it shows.
        tactic_counts = {t.key: t.count for t in figures.by_tactic
                         if not audience.public or ("tactic", t.key) not in figures.withheld}
        outcome_counts = {o.outcome: o.count for o in figures.returnee_outcomes
                          if not audience.public or ("outcome", o.outcome) not in figures.withheld}
        chosen = select_recommendations(
            load_recommendations(recommendations_file(), taxonomy().codes, Outcome.values),
            tactic_counts, outcome_counts, any(a.is_open for a in agreements), audience.public,
        )
        return Briefing(
            state=state,
            state_name=country_label(state, language),
            filters=filters,
            public=audience.public,
            generated=date.today(),
            headline=headline(figures, words, audience.public),
            tables=tables,
            notable_cases=_notable_cases(visible_incidents(audience, filters), audience, language),
            agreements=agreements,
            recommendations=tuple(RecommendationText(r.id, r.text(language), r.basis) for r in chosen),
            notices=notice_figures_for(audience, filters),
            operation_abroad=_operation_abroad(state, audience, language),
            suppliers=_suppliers(state, audience, language),
        )


def _operation_abroad(state: str, audience: Audience, language: str) -> Any:
    """The section on the structure of the state's operation abroad, built by the network module."""
    from shelter.network.briefing import operation_abroad

    return operation_abroad(state, audience, language)


def _suppliers(state: str, audience: Audience, language: str) -> Any:
    """The section on who supplies the state with surveillance technology, built by the surveillance module."""
    from shelter.surveillance.briefing import who_supplies

    return who_supplies(state, audience, language)


def _notable_cases(incidents: QuerySet[Incident], audience: Audience, language: str) -> tuple[NotableCase, ...]:
    gravity = Case(*(When(outcome=o, then=Value(rank)) for rank, o in enumerate(OUTCOME_GRAVITY)),
                   default=Value(len(OUTCOME_GRAVITY)), output_field=IntegerField())
    verified = Case(*(When(verification=v, then=Value(rank)) for rank, v in enumerate(VERIFICATION_RANK)),
                    default=Value(len(VERIFICATION_RANK)), output_field=IntegerField())
    chosen = list(incidents.annotate(gravity=gravity, verified=verified)
                  .order_by("gravity", "verified", "-date_from", "-pk")[:NOTABLE_CASES])
    # Chosen by gravity, shown by date: the latest first, undated last.
    chosen.sort(key=lambda incident: (incident.date_from or date.min, incident.pk), reverse=True)
    targets = visible_to(IncidentTarget.objects.filter(incident__in=[i.pk for i in chosen]), audience.viewer)
    people_by_incident: dict[int, list[str]] = {}
    pseudonyms: dict[int, str] = {}
    for target in targets.select_related("person").order_by("incident_id", "pk"):
        if audience.public:
            name = pseudonyms.setdefault(target.person_id, pseudonym(len(pseudonyms)))
        else:
            name = target.person.primary_name
        people_by_incident.setdefault(target.incident_id, []).append(f"{name} ({target.get_role_display()})")
    tax = taxonomy()
    cases = []
    for incident in chosen:
        tactic = tax.get(incident.tactic)
        tactic_label = tactic.label(language) if tactic else incident.tactic
        host = country_label(incident.host_country, language) if incident.host_country else ""
        outcome = str(incident.get_outcome_display())
        # Free-text titles can name people: a public briefing describes the case from its coded fields.
        summary = f"{tactic_label}, {host or '—'}, {incident.year}: {outcome}" if audience.public else incident.title
        cases.append(NotableCase(
            date=str(incident.year) if audience.public else incident.date,
            tactic=tactic_label, host_country=host, outcome=outcome, summary=summary,
            people=tuple(people_by_incident.get(incident.pk, ())),
            incident_id=None if audience.public else incident.pk,
        ))
    return tuple(cases)


def _agreement_summaries(agreements: QuerySet[Agreement], audience: Audience) -> tuple[AgreementSummary, ...]:
    summaries = []
    for agreement in agreements:
        sources = visible_to(agreement.sources.all(), audience.viewer)
        summaries.append(AgreementSummary(
            partner=agreement.partner, name=agreement.name, kind=str(agreement.get_kind_display()),
            status=str(agreement.get_status_display()), is_open=agreement.is_open,
            next_milestone=agreement.next_milestone, next_milestone_date=agreement.next_milestone_date,
            sources=tuple(" — ".join(filter(None, (s.title, s.publisher))) for s in sources),
        ))
    return tuple(summaries)


def chart_data_uri(table: Table) -> str:
    svg = render_chart(chart_spec(table), "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def html_policy() -> str:
    """The Content-Security-Policy of an HTML briefing opened in the browser: Shelter's own, allowing also the one
    stylesheet the file carries inside it (by its hash), since the file is also saved and read offline."""
    from shelter.web.middleware import POLICY

    digest = base64.b64encode(hashlib.sha256(render_to_string("analytics/briefing.css").encode()).digest()).decode()
    return POLICY.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")


def render_html(briefing: Briefing, language: str = "en") -> str:
    charts = [(briefing.tables[name], chart_data_uri(briefing.tables[name])) for name in BRIEFING_CHARTS
              if briefing.tables[name].rows]
    with translation.override(language):
        return render_to_string("analytics/briefing.html", {
            "briefing": briefing, "charts": charts, "tables": briefing.tables,
            "language": language,
        })


def _offline_fetcher() -> Any:
    """WeasyPrint's fetcher for briefings: they embed everything they show (charts as data: URIs), so any
    other URL stops the rendering instead of being fetched."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


_fonts = threading.local()


def _font_config() -> Any:
    """One font configuration per thread: building it reads the system's font list, a tenth of a PDF's work,
    and WeasyPrint does not say it may be shared between threads."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


# A PDF is a function of its HTML: the same briefing asked for again (the same figures, cases, agreements,
# language and day), in this process or a later one, is read from disk without starting WeasyPrint. Kept under the
# digest of the HTML and WeasyPrint's version, so it can only ever return the PDF of exactly that HTML, whoever asks;
# since the HTML names the day, a kept PDF is not used, and is removed, after a day.
PDF_KEPT_SECONDS = 24 * 3600
PDF_RENDERER = "weasyprint"


def render_pdf(briefing: Briefing, language: str = "en") -> bytes:
    html = render_html(briefing, language)
    return kept("briefings", "pdf", (PDF_RENDERER, version(PDF_RENDERER), html), lambda: _lay_out(html),
                max_age=PDF_KEPT_SECONDS)


def _lay_out(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, url_fetcher=_offline_fetcher()).write_pdf(font_config=_font_config())
    return pdf
