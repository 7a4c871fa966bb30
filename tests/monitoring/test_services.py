"""Deadlines, monitoring plans and check-ins through the write path, the due and overdue lists, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from shelter.monitoring.models import CheckIn, Deadline, MonitoringPlan
from shelter.monitoring.services import (
    create_deadline,
    create_plan,
    deadlines_due,
    overdue_plans,
    record_check_in,
    send_reminders,
    update_plan,
)
from tests.monitoring.conftest import plan_data

pytestmark = pytest.mark.django_db


def test_a_plan_is_confidential_by_default_with_history_and_soft_delete(users, returnee) -> None:
    from shelter.access.writes import delete_record

    plan = create_plan(users["editor"], plan_data(returnee, teams=None))
    assert plan.confidentiality == "confidential"
    assert list(plan.teams.values_list("name", flat=True)) == ["alpha"]  # the editor's team
    update_plan(users["editor"], plan, {"interval_days": 3})
    versions = list(plan.history.order_by("history_id"))
    assert (versions[0].interval_days, versions[-1].interval_days) == (7, 3)
    assert {v.history_user for v in versions} == {users["editor"]}
    delete_record(users["editor"], plan)
    assert not MonitoringPlan.objects.filter(pk=plan.pk).exists()
    assert MonitoringPlan._base_manager.filter(pk=plan.pk, deleted__isnull=False).exists()


def test_plan_input_is_checked_field_by_field(users, returnee) -> None:
    with pytest.raises(ValidationError, match="return_date"):
        create_plan(users["editor"], plan_data(returnee, return_date="1 March"))
    with pytest.raises(ValidationError, match="interval_days"):
        create_plan(users["editor"], plan_data(returnee, interval_days=0))
    with pytest.raises(ValidationError, match="there is no person"):
        create_plan(users["researcher"], plan_data(returnee, teams=["beta"]))  # not in team alpha: hidden
    with pytest.raises(PermissionDenied):
        create_plan(users["viewer"], plan_data(returnee))
    assert not MonitoringPlan._base_manager.exists()


def test_overdue_with_a_fixed_clock_counts_only_visible_check_ins(users, returnee) -> None:
    plan = create_plan(users["editor"], plan_data(returnee))
    assert overdue_plans(users["editor"], date(2026, 3, 8)) == []
    late = overdue_plans(users["editor"], date(2026, 3, 10))
    assert [(o.plan.pk, o.due, o.days_overdue) for o in late] == [(plan.pk, date(2026, 3, 8), 2)]
    record_check_in(users["editor"], plan, {"date": "2026-03-09", "channel": "Signal", "status": "safe",
                                            "sources": "sister"})
    assert overdue_plans(users["editor"], date(2026, 3, 10)) == []
    assert [o.due for o in overdue_plans(users["editor"], date(2026, 3, 17))] == [date(2026, 3, 16)]
    assert overdue_plans(users["researcher"], date(2026, 3, 17)) == []  # a plan they may not see
    assert overdue_plans(users["viewer"], date(2026, 3, 17)) == []


def test_check_ins_inherit_the_plan_restriction_and_can_open_an_incident(users, returnee) -> None:
    from shelter.incidents.models import Incident

    plan = create_plan(users["editor"], plan_data(returnee))
    check_in = record_check_in(users["editor"], plan, {"date": "2026-03-05", "channel": "lawyer",
                                                       "status": "detained", "sources": "lawyer's call"},
                               open_incident=True)
    assert check_in.confidentiality == "confidential" and [t.name for t in check_in.teams.all()] == ["alpha"]
    incident = Incident.objects.get(pk=check_in.incident_id)
    assert (incident.outcome, incident.origin_state, incident.host_country) == ("detained", "UZ", "DE")
    assert incident.tactic == "deportation_proceedings" and incident.confidentiality == "confidential"
    assert list(incident.targets.values_list("person_id", flat=True)) == [returnee.pk]
    with pytest.raises(ValidationError, match="does not open an incident"):
        record_check_in(users["editor"], plan, {"date": "2026-03-06", "status": "safe"}, open_incident=True)
    assert CheckIn.objects.count() == 1  # nothing half-written
    with pytest.raises(ValidationError, match="status"):
        record_check_in(users["editor"], plan, {"date": "2026-03-06", "status": "fine"})
    with pytest.raises(ValidationError, match="there is no monitoring plan"):
        record_check_in(users["researcher"], plan, {"date": "2026-03-06", "status": "safe"})


def test_deadlines_on_a_request_and_a_person_and_the_due_soon_list(users, returnee, request_notice) -> None:
    from shelter.notices.models import Notice

    editor = users["editor"]
    rule39 = create_deadline(editor, {"notice": request_notice.pk, "kind": "interim_measure",
                                      "body": "ecthr_rule39", "due": "2026-03-12", "title": "Rule 39 request"})
    appeal = create_deadline(editor, {"person": returnee.pk, "kind": "appeal", "due": "2026-03-30",
                                      "title": "Appeal against the removal order"})
    create_deadline(editor, {"person": returnee.pk, "kind": "hearing", "due": "2026-03-01", "title": "Hearing",
                             "status": "done"})
    assert [d.pk for d in deadlines_due(editor, date(2026, 3, 10))] == [rule39.pk]
    assert [d.pk for d in deadlines_due(editor, date(2026, 3, 10), 30)] == [rule39.pk, appeal.pk]
    assert deadlines_due(users["researcher"], date(2026, 3, 10), 30) == []
    red = Notice.objects.create(kind="red_notice", surname="Other", confidentiality="internal")
    with pytest.raises(ValidationError, match="not an extradition request or deportation order"):
        create_deadline(editor, {"notice": red.pk, "kind": "hearing", "due": "2026-03-12", "title": "x"})
    with pytest.raises(ValidationError, match="body"):
        create_deadline(editor, {"person": returnee.pk, "kind": "hearing", "body": "un_cat", "due": "2026-03-12",
                                 "title": "x"})
    with pytest.raises(ValidationError, match="belongs to"):
        create_deadline(editor, {"kind": "hearing", "due": "2026-03-12", "title": "x"})
    assert Deadline.objects.count() == 3


def test_reminders_go_once_a_day_to_the_responsible_who_may_see_the_record(users, returnee, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    editor, researcher = users["editor"], users["researcher"]
    editor.email, researcher.email = "editor@example.org", "researcher@example.org"
    editor.save()
    researcher.save()
    create_deadline(None, {"person": returnee.pk, "kind": "hearing", "due": "2026-03-11", "title": "Hearing",
                           "responsible": "editor", "teams": ["alpha"]})
    create_deadline(None, {"person": returnee.pk, "kind": "appeal", "due": "2026-03-11", "title": "Appeal",
                           "responsible": "researcher", "teams": ["alpha"]})  # they may not see it
    create_plan(None, plan_data(returnee, responsible="editor"))
    now = datetime(2026, 3, 10, 8, tzinfo=UTC)
    summary = send_reminders(now)
    assert summary.sent == 2 and len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"editor@example.org"}
    assert all("Karimov" not in m.body and "Karimov" not in m.subject for m in mail.outbox)
    assert send_reminders(datetime(2026, 3, 10, 9, tzinfo=UTC)).sent == 0  # the hourly run later
    assert send_reminders(datetime(2026, 3, 11, 8, tzinfo=UTC)).sent == 2
