"""API under /api/v1/monitoring/: deadlines, monitoring plans and check-ins, the overdue and due-soon lists,
outcomes of returns and host-country briefings. Every read through the visibility filter; writes through
:mod:`shelter.monitoring.services`. No anonymous access except the public outcome figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema

from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS
from shelter.api.listing import Limit, Offset, country_filter, page_of, query_error
from shelter.monitoring import evidence, services
from shelter.monitoring.models import CheckIn, MonitoringPlan

router = Router(tags=["monitoring"], auth=TOKEN)


class PlanIn(Schema):
    person: int | None = None
    notice: int | None = None
    host_country: str | None = None
    destination: str | None = None
    return_date: str | None = None
    route: str | None = None
    place: str | None = None
    contacts: str | None = None
    interval_days: int | None = None
    responsible: str | None = None
    active: bool | None = None
    confidentiality: str | None = None
    published: bool | None = None
    teams: list[str] | None = None


class CheckInIn(Schema):
    date: str
    status: str
    channel: str | None = None
    sources: str | None = None
    notes: str | None = None
    open_incident: bool = False


class DeadlineIn(Schema):
    notice: int | None = None
    person: int | None = None
    kind: str
    due: str
    title: str
    body: str | None = None
    host_country: str | None = None
    status: str | None = None
    notes: str | None = None
    responsible: str | None = None
    confidentiality: str | None = None
    teams: list[str] | None = None


def _plan(plan: MonitoringPlan) -> dict[str, Any]:
    return {"id": plan.pk, "person": plan.person_id, "notice": plan.notice_id, "host_country": plan.host_country,
            "destination": plan.destination, "return_date": plan.return_date.isoformat(), "route": plan.route,
            "place": plan.place, "contacts": plan.contacts, "interval_days": plan.interval_days,
            "responsible": plan.responsible.username if plan.responsible else None, "active": plan.active,
            "confidentiality": plan.confidentiality}


def _check_in(check_in: CheckIn) -> dict[str, Any]:
    return {"id": check_in.pk, "plan": check_in.plan_id, "date": check_in.date.isoformat(),
            "channel": check_in.channel, "status": check_in.status, "sources": check_in.sources,
            "notes": check_in.notes, "incident": check_in.incident_id}


def _day(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise query_error("today", f"'{value}' is not a date (expected YYYY-MM-DD)") from None


@router.get("/plans", summary="Monitoring plans the caller may see")
def list_plans(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    plans = services.visible_plans(request.user)
    return {"items": [_plan(p) for p in page_of(plans, limit, offset)], "count": plans.count()}


@router.post("/plans", summary="Record a monitoring plan for a returned person")
def create_plan(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    return _plan(services.create_plan(request.user, payload.dict(exclude_none=True)))  # type: ignore[arg-type]


@router.get("/plans/{plan_id}", summary="A monitoring plan with its check-ins")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = get_visible_or_404(MonitoringPlan.objects.all(), request.user, pk=plan_id)
    check_ins = visible_to(CheckIn.objects.filter(plan=plan), request.user)
    return {**_plan(plan), "check_ins": [_check_in(c) for c in check_ins]}


@router.post("/plans/{plan_id}/check-ins", summary="Record a check-in (an adverse status can open an incident)")
def add_check_in(request: HttpRequest, plan_id: int, payload: CheckInIn) -> dict[str, Any]:
    plan = get_visible_or_404(MonitoringPlan.objects.all(), request.user, pk=plan_id)
    data = payload.dict(exclude_none=True)
    open_incident = data.pop("open_incident")
    return _check_in(services.record_check_in(request.user, plan, data, open_incident))  # type: ignore[arg-type]


@router.get("/overdue", summary="Plans whose check-in is overdue")
def overdue(request: HttpRequest, today: str | None = None) -> dict[str, Any]:
    found = services.overdue_plans(request.user, _day(today))
    return {"count": len(found), "items": [{"plan": o.plan.pk, "due": o.due.isoformat(),
                                            "days_overdue": o.days_overdue} for o in found]}


@router.get("/deadlines", summary="Open deadlines due soon (past ones first)")
def deadlines(request: HttpRequest, today: str | None = None, within: int = 14) -> dict[str, Any]:
    if not 0 <= within <= 3660:
        raise query_error("within", "must be between 0 and 3660 days")
    found = services.deadlines_due(request.user, _day(today), within)
    return {"count": len(found), "items": [
        {"id": d.pk, "due": d.due.isoformat(), "kind": d.kind, "body": d.body, "title": d.title,
         "status": d.status, "notice": d.notice_id, "person": d.person_id} for d in found]}


@router.post("/deadlines", summary="Record a hearing, appeal or interim measure")
def create_deadline(request: HttpRequest, payload: DeadlineIn) -> dict[str, Any]:
    deadline = services.create_deadline(request.user, payload.dict(exclude_none=True))  # type: ignore[arg-type]
    return {"id": deadline.pk, "due": deadline.due.isoformat(), "kind": deadline.kind, "title": deadline.title}


@router.get("/outcomes", auth=TOKEN_OR_ANONYMOUS, summary="Outcomes of returns per host country, origin state and year")
def outcomes(request: HttpRequest, host: str | None = None, public: bool = False,
             format: str = "json") -> Any:
    if format not in ("json", "csv"):
        raise query_error("format", "must be json or csv")
    user = request.user
    table = evidence.outcome_table(user, public or not user.is_authenticated, country_filter(host, "host") if host else None)
    if format == "csv":
        return HttpResponse(evidence.outcome_csv(table), content_type="text/csv; charset=utf-8")
    return {"items": table}


@router.get("/host/{code}", auth=TOKEN_OR_ANONYMOUS, summary="Host-country briefing: returns and what followed")
def host(request: HttpRequest, code: str, public: bool = False) -> dict[str, Any]:
    user = request.user
    return evidence.host_briefing(country_filter(code, "code"), user, public or not user.is_authenticated,
                                  language=(get_language() or "en")[:2])
