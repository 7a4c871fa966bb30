"""Evidence for host states: what became of the people each host country returned, through the visibility
filter. Public outputs merge small counts (and those that would give them away) into one "other" count of at least
3 and say a total below 3 in words (``core.suppress_outcomes``); the briefing speaks the language asked for."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from shelter.access.visibility import Viewer, visible_to
from shelter.analytics.country_labels import country_label
from shelter.analytics.stats import shown
from shelter.analytics.suppression import SMALL_COUNT_LIMIT
from shelter.monitoring import core
from shelter.monitoring.models import (
    Body,
    CheckIn,
    CheckInStatus,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    MonitoringPlan,
)


def _rows(viewer: Viewer, host: str | None = None, year_from: int | None = None,
          year_to: int | None = None) -> list[tuple[MonitoringPlan, str | None]]:
    plans = visible_to(MonitoringPlan.objects.all(), viewer).select_related("person")
    if host:
        plans = plans.filter(host_country=host)
    if year_from:
        plans = plans.filter(return_date__year__gte=year_from)
    if year_to:
        plans = plans.filter(return_date__year__lte=year_to)
    statuses: dict[int, list[tuple[Any, int, str]]] = {}
    for plan_id, day, pk, status in visible_to(CheckIn.objects.filter(plan__in=plans), viewer).values_list(
            "plan_id", "date", "pk", "status"):
        statuses.setdefault(plan_id, []).append((day, pk, status))
    return [(plan, core.outcome_of(statuses.get(plan.pk, []))) for plan in plans]


def outcome_table(viewer: Viewer, public: bool, host: str | None = None) -> list[dict[str, Any]]:
    """Outcomes of returns per host country, origin state (the destination) and year; in public each group's
    small counts are merged into ``other`` (at least 3), and a group whose total is below 3 has ``returns``
    ``None`` and no outcome."""
    rows = [core.OutcomeRow(plan.host_country, plan.destination, plan.return_date.year, outcome)
            for plan, outcome in _rows(None if public else viewer, host)]
    table = []
    for (host_code, origin, year), counts in core.outcome_counts(rows).items():
        group = core.suppress_outcomes(sum(counts.values()), dict(counts), public)
        table.append({"host": host_code, "origin": origin, "year": year, "returns": group.total,
                      "outcomes": _with_other(group)})
    return table


def _with_other(figures: core.Suppressed) -> dict[str, int]:
    """The parts shown, and the withheld ones together under :data:`OTHER`."""
    return {**figures.parts, **({OTHER: figures.other} if figures.other else {})}


# The key of the withheld parts together (no status, state code or body is named so).
OTHER = "other"


def outcome_csv(table: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["host", "origin", "year", "outcome", "count"])
    for row in table:
        for outcome, count in sorted(row["outcomes"].items()):
            writer.writerow([row["host"], row["origin"], row["year"], outcome, count])
    return out.getvalue()


def fewer_than_limit() -> str:
    """A public figure below the small-count limit, in words of the current language."""
    return _("fewer than %(limit)d") % {"limit": SMALL_COUNT_LIMIT}


def host_briefing(host: str, viewer: Viewer, public: bool, year_from: int | None = None,
                  year_to: int | None = None, language: str = "en") -> dict[str, Any]:
    """What became of the people ``host`` returned: total, outcomes by status, destinations, interim measures
    the host ignored. Public: what anonymous visitors see, small counts merged into ``other`` (at least 3) and
    a total below 3 said in words ("fewer than 3", in ``language``), no person named."""
    viewer = None if public else viewer
    rows = _rows(viewer, host, year_from, year_to)
    outcomes = Counter(outcome or "unknown" for _, outcome in rows)
    ordered = {status: outcomes[status] for status in (*core.CHECK_IN_STATUSES, "unknown") if status in outcomes}
    destinations = Counter(plan.destination for plan, _ in rows)
    by_outcome = core.suppress_outcomes(len(rows), ordered, public)
    by_destination = core.suppress_outcomes(len(rows), dict(sorted(destinations.items())), public)
    ignored = visible_to(Deadline.objects.filter(kind=DeadlineKind.INTERIM_MEASURE, status=DeadlineStatus.IGNORED,
                                                 host_country=host), viewer)
    ignored_by_body = Counter(body or "national" for body in ignored.values_list("body", flat=True))
    shown_ignored = core.suppress_outcomes(sum(ignored_by_body.values()), dict(sorted(ignored_by_body.items())),
                                           public)
    with translation.override(language):
        # The totals stand alone (no other published sum holds them): withheld only below 3, said in words.
        fewer = fewer_than_limit()
        briefing: dict[str, Any] = {
            "host": host, "host_name": country_label(host, language), "public": public, "language": language,
            "years": [year_from, year_to],
            "returns_total": shown(len(rows), public, withheld_as=fewer),
            "outcomes": _with_other(by_outcome),
            "destinations": _with_other(by_destination),
            "interim_measures_ignored": shown(sum(ignored_by_body.values()), public, withheld_as=fewer),
            "interim_measures_ignored_by_body": _with_other(shown_ignored),
        }
    if not public:
        briefing["returns"] = [
            {"plan": plan.pk, "person": plan.person.primary_name, "destination": plan.destination,
             "return_date": plan.return_date.isoformat(), "outcome": outcome or "unknown"}
            for plan, outcome in sorted(rows, key=lambda row: (row[0].return_date, row[0].pk))]
    return briefing


def _labelled(counts: dict[str, int], label: Callable[[str], str], other: str) -> list[tuple[str, int]]:
    return [(other if key == OTHER else label(key), count) for key, count in counts.items()]


def render_host_html(briefing: dict[str, Any]) -> str:
    """The host briefing as a page in its language (every interface string through the monitoring catalogue)."""
    language = briefing.get("language", "en")
    statuses = dict(CheckInStatus.choices)
    bodies = {**dict(Body.choices), "national": Body.NONE.label}
    with translation.override(language):
        return render_to_string("monitoring/host_briefing.html", {
            "b": briefing, "language": language,
            "outcomes": _labelled(briefing["outcomes"], lambda key: str(statuses.get(key, _("unknown"))),
                                  _("other outcomes")),
            "destinations": _labelled(briefing["destinations"], lambda key: country_label(key, language),
                                      _("other states")),
            "bodies": _labelled(briefing["interim_measures_ignored_by_body"], lambda key: str(bodies.get(key, key)),
                                _("other bodies")),
            "returns": [{**r, "destination": country_label(r["destination"], language),
                         "outcome": str(statuses.get(r["outcome"], _("unknown")))} for r in briefing.get("returns", ())],
        })


def render_host_pdf(briefing: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"a briefing embeds everything it shows; {url[:80]} is not fetched")

    pdf: bytes = HTML(string=render_host_html(briefing), url_fetcher=refuse).write_pdf()
    return pdf
