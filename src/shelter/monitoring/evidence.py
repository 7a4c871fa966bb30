"""Evidence for host states: what became of the people each host country returned, through the visibility
filter, with small counts withheld in public outputs (``core.suppress_outcomes``)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from django.template.loader import render_to_string

from shelter.access.visibility import Viewer, visible_to
from shelter.countries import country_name
from shelter.monitoring import core
from shelter.monitoring.models import CheckIn, Deadline, DeadlineKind, DeadlineStatus, MonitoringPlan


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
    small counts are withheld (``None``)."""
    rows = [core.OutcomeRow(plan.host_country, plan.destination, plan.return_date.year, outcome)
            for plan, outcome in _rows(None if public else viewer, host)]
    table = []
    for (host_code, origin, year), counts in core.outcome_counts(rows).items():
        shown = core.suppress_outcomes(sum(counts.values()), dict(counts), public)
        table.append({"host": host_code, "origin": origin, "year": year, "returns": shown.total,
                      "outcomes": shown.parts})
    return table


def outcome_csv(table: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["host", "origin", "year", "outcome", "count"])
    for row in table:
        for outcome, count in sorted(row["outcomes"].items()):
            writer.writerow([row["host"], row["origin"], row["year"], outcome, "x" if count is None else count])
    return out.getvalue()


def host_briefing(host: str, viewer: Viewer, public: bool, year_from: int | None = None,
                  year_to: int | None = None) -> dict[str, Any]:
    """What became of the people ``host`` returned: total, outcomes by status, destinations, interim measures
    the host ignored. Public: what anonymous visitors see, small counts withheld, no person named."""
    viewer = None if public else viewer
    rows = _rows(viewer, host, year_from, year_to)
    outcomes = Counter(outcome or "unknown" for _, outcome in rows)
    destinations = Counter(plan.destination for plan, _ in rows)
    shown = core.suppress_outcomes(len(rows), dict(outcomes), public)
    by_destination = core.suppress_outcomes(len(rows), dict(destinations), public)
    ignored = visible_to(Deadline.objects.filter(kind=DeadlineKind.INTERIM_MEASURE, status=DeadlineStatus.IGNORED,
                                                 host_country=host), viewer)
    ignored_by_body = Counter(ignored.values_list("body", flat=True))
    shown_ignored = core.suppress_outcomes(sum(ignored_by_body.values()), dict(ignored_by_body), public)
    briefing: dict[str, Any] = {
        "host": host, "host_name": country_name(host), "public": public,
        "years": [year_from, year_to],
        "returns_total": shown.total,
        "outcomes": {status: shown.parts[status] for status in (*core.CHECK_IN_STATUSES, "unknown")
                     if status in shown.parts},
        "destinations": dict(sorted(by_destination.parts.items())),
        "interim_measures_ignored": shown_ignored.total,
        "interim_measures_ignored_by_body": {body or "national": count
                                             for body, count in sorted(shown_ignored.parts.items())},
    }
    if not public:
        briefing["returns"] = [
            {"plan": plan.pk, "person": plan.person.primary_name, "destination": plan.destination,
             "return_date": plan.return_date.isoformat(), "outcome": outcome or "unknown"}
            for plan, outcome in sorted(rows, key=lambda row: (row[0].return_date, row[0].pk))]
    return briefing


def render_host_html(briefing: dict[str, Any]) -> str:
    return render_to_string("monitoring/host_briefing.html", {"b": briefing})


def render_host_pdf(briefing: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"a briefing embeds everything it shows; {url[:80]} is not fetched")

    pdf: bytes = HTML(string=render_host_html(briefing), url_fetcher=refuse).write_pdf()
    return pdf
