"""Writes and reads of deadlines, monitoring plans and check-ins: every write through ``shelter.access.writes``,
every read through the visibility filter. The clock (``today``, ``now``) is passed in by the caller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import assign, check_writer, save_audited, save_restricted, visible_record
from shelter.analytics.services import audience_for_operator
from shelter.countries import UnknownCountryError, country_code
from shelter.incidents.models import Incident
from shelter.incidents.services import create_incident
from shelter.monitoring import core
from shelter.monitoring.models import (
    INCIDENT_RECORDED,
    RETURN_NOTICE_KINDS,
    CheckIn,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    MonitoringPlan,
)
from shelter.notices.models import Notice, NoticeKind
from shelter.registry.models import Person
from shelter.stored_words import written

DEADLINE_FIELDS = ("kind", "body", "due", "title", "host_country", "status", "notes")
PLAN_FIELDS = ("host_country", "destination", "return_date", "route", "place", "contacts", "interval_days", "active")
CHECK_IN_FIELDS = ("date", "channel", "status", "sources", "notes")
DEFAULT_WINDOW_DAYS = 14


def _date(data: dict[str, Any], field: str) -> None:
    value = data.get(field)
    if isinstance(value, str):
        try:
            data[field] = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: f"'{value}' is not a date (expected YYYY-MM-DD)"}) from None


def _country(data: dict[str, Any], field: str) -> None:
    value = data.get(field)
    if isinstance(value, str) and value.strip():
        try:
            data[field] = country_code(value)
        except UnknownCountryError as error:
            raise ValidationError({field: str(error)}) from None


def _responsible(record: Deadline | MonitoringPlan, data: Mapping[str, Any]) -> None:
    name = data.get("responsible")
    if name is None:
        return
    if name == "":
        record.responsible = None
        return
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise ValidationError({"responsible": f"there is no active user '{name}'"})
    record.responsible = user


def _clean(data: Mapping[str, Any], dates: tuple[str, ...], countries: tuple[str, ...]) -> dict[str, Any]:
    cleaned = dict(data)
    for field in dates:
        _date(cleaned, field)
    for field in countries:
        _country(cleaned, field)
    return cleaned


# ---------------------------------------------------------------------------------------------------------
# Deadlines


def _save_deadline(deadline: Deadline, data: Mapping[str, Any], user: User | None) -> Deadline:
    data = _clean(data, ("due",), ("host_country",))
    if data.get("notice") is not None:
        notice = visible_record(Notice, data["notice"], user, "notice")
        if notice.kind not in RETURN_NOTICE_KINDS:
            raise ValidationError({"notice": f"notice {notice.pk} is a {notice.get_kind_display()}, not an "
                                             "extradition request or deportation order"})
        deadline.notice = notice
    if data.get("person") is not None:
        deadline.person = visible_record(Person, data["person"], user, "person")
    if deadline.notice_id is None and deadline.person_id is None:
        raise ValidationError({"notice": "a deadline belongs to an extradition or deportation request, "
                                         "a person, or both"})
    assign(deadline, data, DEADLINE_FIELDS)
    if deadline.body and deadline.kind != DeadlineKind.INTERIM_MEASURE:
        raise ValidationError({"body": "only an interim measure names a body (ECtHR Rule 39, UN CAT, UN HRC)"})
    if deadline.status in (DeadlineStatus.COMPLIED, DeadlineStatus.IGNORED) \
            and deadline.kind != DeadlineKind.INTERIM_MEASURE:
        raise ValidationError({"status": f"'{deadline.status}' applies to interim measures only"})
    _responsible(deadline, data)
    save_restricted(deadline, data, user)
    return deadline


@transaction.atomic
def create_deadline(user: User | None, data: Mapping[str, Any]) -> Deadline:
    """Record a hearing, appeal or interim measure on a request (``notice``), a ``person``, or both."""
    check_writer(user)
    return _save_deadline(Deadline(), data, user)


@transaction.atomic
def update_deadline(user: User | None, deadline: Deadline, data: Mapping[str, Any]) -> Deadline:
    check_writer(user)
    visible_record(Deadline, deadline.pk, user, "id")
    return _save_deadline(deadline, data, user)


def deadlines_due(viewer: Viewer, today: date, within_days: int = DEFAULT_WINDOW_DAYS) -> list[Deadline]:
    """Open deadlines the viewer may see up to ``within_days`` from today, past ones first."""
    queryset = visible_to(Deadline.objects.filter(status=DeadlineStatus.OPEN), viewer)
    by_pk = {d.pk: d for d in queryset.select_related("notice", "person", "responsible")}
    states = [core.DeadlineState(d.pk, d.due, True) for d in by_pk.values()]
    return [by_pk[state.pk] for state in core.due_soon(states, today, within_days)]


# ---------------------------------------------------------------------------------------------------------
# Monitoring plans and check-ins


def _save_plan(plan: MonitoringPlan, data: Mapping[str, Any], user: User | None) -> MonitoringPlan:
    data = _clean(data, ("return_date",), ("host_country", "destination"))
    if data.get("person") is not None:
        plan.person = visible_record(Person, data["person"], user, "person")
    elif plan.person_id is None:
        raise ValidationError({"person": "a monitoring plan needs the returned person (a registry id)"})
    if data.get("notice") is not None:
        notice = visible_record(Notice, data["notice"], user, "notice")
        if notice.kind not in RETURN_NOTICE_KINDS:
            raise ValidationError({"notice": f"notice {notice.pk} is not an extradition or deportation request"})
        plan.notice = notice
    assign(plan, data, PLAN_FIELDS)
    if plan.interval_days is not None and plan.interval_days < 1:
        raise ValidationError({"interval_days": "the check-in interval must be at least one day"})
    _responsible(plan, data)
    save_restricted(plan, data, user)
    return plan


@transaction.atomic
def create_plan(user: User | None, data: Mapping[str, Any]) -> MonitoringPlan:
    """A monitoring plan for a returned person: return date, route, destination, contacts, interval, who."""
    check_writer(user)
    return _save_plan(MonitoringPlan(), data, user)


@transaction.atomic
def update_plan(user: User | None, plan: MonitoringPlan, data: Mapping[str, Any]) -> MonitoringPlan:
    check_writer(user)
    visible_record(MonitoringPlan, plan.pk, user, "id")
    return _save_plan(plan, data, user)


def _incident_for(check_in: CheckIn, user: User | None) -> Incident:
    """The incident an adverse check-in opens: the return and what followed, against the person, at the
    check-in's confidentiality and case teams."""
    plan = check_in.plan
    tactic = ("extradition_request" if plan.notice is not None and plan.notice.kind == NoticeKind.EXTRADITION
              else "deportation_proceedings")
    return create_incident(user, {
        "title": f"After return from {plan.host_country} to {plan.destination}: {check_in.get_status_display()}",
        "tactic": tactic, "date": check_in.date.isoformat(), "origin_state": plan.destination,
        "host_country": plan.host_country, "outcome": core.INCIDENT_OUTCOME[check_in.status],
        "description": check_in.notes, "confidentiality": check_in.confidentiality,
        "teams": [team.name for team in check_in.teams.all()] or None,
        "targets": [{"person": plan.person_id}],
    })


@transaction.atomic
def record_check_in(user: User | None, plan: MonitoringPlan, data: Mapping[str, Any],
                    open_incident: bool = False) -> CheckIn:
    """A check-in on ``plan``; with ``open_incident`` an adverse status (detained, charged, convicted, tortured,
    disappeared, died) also records an incident through the incidents' write path."""
    check_writer(user)
    plan = visible_record(MonitoringPlan, plan.pk, user, "plan")
    data = _clean(data, ("date",), ())
    restriction = {"confidentiality": plan.confidentiality, "published": plan.published,
                   "teams": [team.name for team in plan.teams.all()] or None}
    check_in = CheckIn(plan=plan)
    assign(check_in, data, CHECK_IN_FIELDS)
    save_restricted(check_in, {**restriction, **{k: v for k, v in data.items() if k in restriction}}, user)
    if open_incident:
        if check_in.status not in core.ADVERSE_STATUSES:
            raise ValidationError({"status": f"'{check_in.status}' does not open an incident "
                                             f"(only {', '.join(sorted(core.ADVERSE_STATUSES))})"})
        check_in.incident = _incident_for(check_in, user)
        save_audited(check_in, user, reason=written(INCIDENT_RECORDED), update_fields=["incident", "modified"])
    return check_in


def visible_plans(viewer: Viewer) -> QuerySet[MonitoringPlan]:
    return visible_to(MonitoringPlan.objects.all(), viewer).select_related("person", "responsible")


def _last_check_ins(plans: QuerySet[MonitoringPlan], viewer: Viewer) -> dict[int, date]:
    last: dict[int, date] = {}
    for plan_id, day in visible_to(CheckIn.objects.filter(plan__in=plans), viewer).values_list("plan_id", "date"):
        if plan_id not in last or day > last[plan_id]:
            last[plan_id] = day
    return last


@dataclass(frozen=True)
class Overdue:
    plan: MonitoringPlan
    due: date
    days_overdue: int


def overdue_plans(viewer: Viewer, today: date) -> list[Overdue]:
    """Active plans the viewer may see whose expected check-in has passed (check-ins the viewer cannot see do
    not count: the list tells them what they must follow up)."""
    plans = visible_plans(viewer).filter(active=True)
    last = _last_check_ins(plans, viewer)
    by_pk = {plan.pk: plan for plan in plans}
    states = [core.PlanState(p.pk, p.return_date, p.interval_days, last.get(p.pk)) for p in by_pk.values()]
    return [Overdue(by_pk[o.pk], o.due, o.days_overdue) for o in core.overdue_plans(states, today)]


# ---------------------------------------------------------------------------------------------------------
# Reminders


@dataclass(frozen=True)
class ReminderSummary:
    sent: int
    without_address: int


def _send(user: User, subject: str, lines: list[str]) -> None:
    body = "\n".join([*lines, "", "Open Shelter to see the record; this message names no one on purpose."])
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def send_reminders(now: datetime, within_days: int = 3) -> ReminderSummary:
    """E-mail each responsible user about their open deadlines within ``within_days`` and their overdue plans,
    at most once a day per record and only about records they may see. The message gives the record's
    kind, id and date, never a person's name. Meant to be run every hour (``shelter monitor remind``)."""
    today = now.date()
    sent = without_address = 0
    operator = audience_for_operator(None).viewer
    for deadline in deadlines_due(operator, today, within_days):
        if deadline.responsible is None or (deadline.reminded and deadline.reminded.date() >= today):
            continue
        if not visible_to(Deadline.objects.filter(pk=deadline.pk), deadline.responsible).exists():
            continue
        if not deadline.responsible.email:
            without_address += 1
            continue
        _send(deadline.responsible, f"Shelter: {deadline.get_kind_display()} due {deadline.due}",
              [f"Deadline {deadline.pk}: {deadline.get_kind_display()} on {deadline.due}"
               + (f" ({deadline.get_body_display()})" if deadline.body else "") + "."])
        Deadline.objects.filter(pk=deadline.pk).update(reminded=now)
        sent += 1
    for overdue in overdue_plans(operator, today):
        plan = overdue.plan
        if plan.responsible is None or (plan.reminded and plan.reminded.date() >= today):
            continue
        if not visible_to(MonitoringPlan.objects.filter(pk=plan.pk), plan.responsible).exists():
            continue
        if not plan.responsible.email:
            without_address += 1
            continue
        _send(plan.responsible, f"Shelter: check-in overdue on monitoring plan {plan.pk}",
              [f"Monitoring plan {plan.pk} ({plan.host_country} to {plan.destination}): a check-in was due on "
               f"{overdue.due}, {overdue.days_overdue} day(s) ago."])
        MonitoringPlan.objects.filter(pk=plan.pk).update(reminded=now)
        sent += 1
    return ReminderSummary(sent, without_address)
