"""The worker's schedule on a fixed clock: hourly checks of deadlines and check-ins, daily feed updates and
notice fetches only when the operator switched them on, and one run per slot however many workers look."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from shelter.jobs.core import slot_start
from shelter.jobs.models import Job, JobResult, ScheduledRun
from shelter.jobs.schedule import start_due
from shelter.jobs.services import keep_result
from shelter.jobs.worker import run_queued
from shelter.monitoring.services import create_deadline, create_plan
from shelter.registry.models import Person
from tests.monitoring.conftest import plan_data

NOW = datetime(2026, 3, 10, 8, 25, tzinfo=UTC)


@pytest.fixture
def returnee(db, teams) -> Person:  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Rustam Karimov", confidentiality="confidential")
    person.teams.add(teams["alpha"])
    return person


def test_slots_start_on_the_hour_and_at_midnight_utc() -> None:
    assert slot_start(NOW, timedelta(hours=1)) == datetime(2026, 3, 10, 8, tzinfo=UTC)
    assert slot_start(NOW, timedelta(days=1)) == datetime(2026, 3, 10, tzinfo=UTC)
    assert slot_start(datetime(2026, 3, 10, 8, tzinfo=UTC), timedelta(hours=1)) == datetime(2026, 3, 10, 8,
                                                                                            tzinfo=UTC)


# The daily housekeeping that runs on every installation, left out of the lists the tests below compare.
ALWAYS_DAILY = ("jobs.prune_results", "registry.duplicates")


def _kinds() -> list[str]:
    return sorted(Job.objects.exclude(kind__in=ALWAYS_DAILY).values_list("kind", flat=True))


def _started(jobs: list[Job]) -> list[str]:
    return sorted(job.kind for job in jobs if job.kind not in ALWAYS_DAILY)


def test_the_registry_is_compared_for_duplicates_once_a_day(db) -> None:  # type: ignore[no-untyped-def]
    def compared(jobs: list[Job]) -> list[str]:
        return [job.kind for job in jobs if job.kind == "registry.duplicates"]

    assert compared(start_due(NOW)) == ["registry.duplicates"]
    assert compared(start_due(NOW + timedelta(hours=5))) == []  # the same day
    assert compared(start_due(NOW + timedelta(days=1))) == ["registry.duplicates"]


def test_the_hourly_checks_run_once_per_hour_however_many_workers_look(db) -> None:  # type: ignore[no-untyped-def]
    first = [job for job in start_due(NOW) if job.kind == "monitoring.checks"]
    assert len(first) == 1 and first[0].asker is None
    assert start_due(NOW) == [] and start_due(NOW + timedelta(minutes=34)) == []  # a second worker, a later look
    assert _kinds() == ["monitoring.checks"]
    run = ScheduledRun.objects.get(schedule="monitoring.hourly")
    assert (run.slot, run.job) == (datetime(2026, 3, 10, 8, tzinfo=UTC), first[0])
    assert _started(start_due(NOW + timedelta(hours=1))) == ["monitoring.checks"]
    assert _kinds() == ["monitoring.checks"] * 2


def test_the_daily_uses_of_the_network_are_off_until_the_operator_switches_them_on(db, settings) -> None:  # type: ignore[no-untyped-def]
    start_due(NOW)
    assert _kinds() == ["monitoring.checks"]
    settings.SHELTER_SCHEDULE_FEEDS = True
    settings.SHELTER_SCHEDULE_NOTICE_FETCH = True
    settings.SHELTER_NOTICE_FETCH_NATIONALITY = "tj"
    settings.SHELTER_SCHEDULE_CHECKS = False
    assert _started(start_due(NOW)) == ["notices.fetch", "triage.feeds_update"]
    assert start_due(NOW + timedelta(hours=5)) == []  # the same day
    assert Job.objects.get(kind="notices.fetch").params["filters"] == {"nationality": "TJ"}
    assert _started(start_due(NOW + timedelta(days=1))) == ["notices.fetch", "triage.feeds_update"]


def test_a_schedule_that_cannot_start_is_tried_again_and_does_not_stop_the_others(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_SCHEDULE_NOTICE_FETCH = True
    settings.SHELTER_NOTICE_FETCH_NATIONALITY = "Tajikistan"
    assert _started(start_due(NOW)) == ["monitoring.checks"]
    assert not ScheduledRun.objects.filter(schedule="notices.fetch_daily").exists()
    settings.SHELTER_NOTICE_FETCH_NATIONALITY = "TJ"
    assert _started(start_due(NOW)) == ["notices.fetch"]


def test_the_hourly_check_reminds_the_responsible_and_counts_for_the_operator(  # type: ignore[no-untyped-def]
        users, returnee, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users["editor"].email = "editor@example.org"
    users["editor"].save()
    create_deadline(None, {"person": returnee.pk, "kind": "hearing", "due": "2026-03-11", "title": "Hearing",
                           "responsible": "editor", "teams": ["alpha"]})
    create_plan(None, plan_data(returnee, responsible="editor"))
    start_due(NOW)
    run_queued()
    job = Job.objects.get(kind="monitoring.checks")
    assert job.status == "done" and job.runs == 1
    assert job.summary == ("1 deadline(s) due soon, 1 monitoring plan(s) with a check-in overdue; 2 reminder(s) "
                           "sent, 0 responsible user(s) without an e-mail address")
    assert {message.to[0] for message in mail.outbox} == {"editor@example.org"} and len(mail.outbox) == 2
    start_due(NOW + timedelta(hours=1))
    run_queued()  # the next hour: the same records are not reminded twice in a day
    assert len(mail.outbox) == 2 and Job.objects.filter(kind="monitoring.checks", status="done").count() == 2


def test_two_workers_at_the_same_moment_start_one_run(transactional_db) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need a database server (SHELTER_DATABASE_URL=postgres://...)")
    ready = threading.Barrier(2)
    started: list[Any] = []

    def worker() -> None:
        try:
            ready.wait()
            started.extend(start_due(NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _started(started) == ["monitoring.checks"] and len(started) == len(ScheduledRun.objects.all())
    # one run per schedule: the hourly checks and the daily housekeeping
    assert Job.objects.count() == ScheduledRun.objects.count() == 1 + len(ALWAYS_DAILY)


def test_files_made_by_jobs_are_removed_after_the_days_kept(db, users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_JOB_RESULT_DAYS = 7
    old, recent = (Job.objects.create(kind="records.export", asker=users["editor"], status="done") for _ in range(2))
    for job, age in ((old, timedelta(days=8)), (recent, timedelta(days=6))):
        keep_result(job, "export.json", "application/json", b"{}")
        JobResult.objects.filter(job=job).update(created=NOW - age)
    started = [job for job in start_due(NOW) if job.kind == "jobs.prune_results"]
    assert len(started) == 1  # once a day: a later look starts only the hourly checks
    assert [job.kind for job in start_due(NOW + timedelta(hours=3))] == ["monitoring.checks"]
    run_queued()
    pruned = Job.objects.get(kind="jobs.prune_results")
    assert pruned.status == "done" and pruned.summary.startswith("1 file(s) made by jobs before 2026-03-03 00:00")
    assert list(JobResult.objects.values_list("job", flat=True)) == [recent.pk]


def test_a_worker_down_across_slots_catches_them_up_with_one_run_when_it_comes_back(  # type: ignore[no-untyped-def]
        db, settings, caplog) -> None:
    """On a fixed clock: a worker ran at 08:25, then none ran until 11:40 the next day and a half. The next look
    starts each schedule's missed work once (not once per missed hour or day) and records how many slots it caught
    up; the look after it starts nothing."""
    settings.SHELTER_SCHEDULE_FEEDS = True
    assert _started(start_due(NOW)) == ["monitoring.checks", "triage.feeds_update"]
    back = NOW + timedelta(days=1, hours=3, minutes=15)  # 11 March, 11:40
    with caplog.at_level("WARNING", logger="shelter.jobs.schedule"):
        assert _started(start_due(back)) == ["monitoring.checks", "triage.feeds_update"]
    assert _kinds() == ["monitoring.checks"] * 2 + ["triage.feeds_update"] * 2
    hourly = ScheduledRun.objects.get(schedule="monitoring.hourly", slot=datetime(2026, 3, 11, 11, tzinfo=UTC))
    daily = ScheduledRun.objects.get(schedule="triage.feeds_daily", slot=datetime(2026, 3, 11, tzinfo=UTC))
    assert (hourly.missed, daily.missed) == (26, 0)  # 09:00 on 10 March to 10:00 on 11 March; the day was not missed
    assert "monitoring.hourly: 26 slot(s) since 2026-03-10 08:00:00+00:00 passed without a worker" in caplog.text
    assert start_due(back + timedelta(minutes=1)) == []
    assert _started(start_due(back + timedelta(days=3))) == ["monitoring.checks", "triage.feeds_update"]
    assert ScheduledRun.objects.get(schedule="triage.feeds_daily", slot=datetime(2026, 3, 14, tzinfo=UTC)).missed == 2


def test_missed_slots_count_the_periods_between_two_runs() -> None:
    from shelter.jobs.core import missed_slots

    hour = timedelta(hours=1)
    at_eight = datetime(2026, 3, 10, 8, tzinfo=UTC)
    assert missed_slots(None, at_eight, hour) == 0
    assert missed_slots(at_eight, at_eight + hour, hour) == 0
    assert missed_slots(at_eight, at_eight + 4 * hour, hour) == 3
    assert missed_slots(at_eight, at_eight, hour) == 0
