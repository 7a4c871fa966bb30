"""Who started a job, as the jobs pages and `shelter jobs` say it: its asker; else an anonymous visitor (a document
asked for by a page), the command line or the schedule, in the page's language — and jobs kept from before the
distinction existed are told apart by the migration."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from shelter.jobs.models import Job, StartedBy
from shelter.jobs.schedule import start_due
from shelter.jobs.services import start

BRIEFING = "/analytics/states/UZ/briefing.pdf?year_from=2014&year_to=2026"


def _by_column(page: str) -> dict[str, str]:
    """Each job's link on the jobs page (its id) with the text of its "By" cell."""
    rows = re.findall(r'href="/jobs/([0-9a-f-]+)/".*?</td><td>.*?</td>\s*<td>(.*?)</td>', page, re.S)
    return dict(rows)


@pytest.mark.django_db
def test_the_jobs_page_names_a_visitor_the_command_line_and_the_schedule_apart(users: Any) -> None:
    assert Client().get(BRIEFING).status_code == 202  # an anonymous visitor asks for a public briefing
    visitor_job = Job.objects.get(kind="analytics.briefing_pdf")
    command_line_job = start("search.rebuild", None)
    scheduled = start_due(datetime(2026, 3, 10, 8, 25, tzinfo=UTC))
    asked_job = start("search.rebuild", users["editor"])
    assert visitor_job.asker is None and visitor_job.started_by == StartedBy.VISITOR
    assert command_line_job.started_by == StartedBy.COMMAND_LINE and asked_job.started_by == StartedBy.USER
    assert scheduled and all(Job.objects.get(pk=job.pk).started_by == StartedBy.SCHEDULE for job in scheduled)

    admin = Client(HTTP_ACCEPT_LANGUAGE="ru")
    admin.force_login(users["admin"])
    by = _by_column(admin.get("/jobs/").content.decode())
    assert by[str(visitor_job.pk)] == "анонимный посетитель"
    assert by[str(command_line_job.pk)] == "командная строка"
    assert {by[str(job.pk)] for job in scheduled} == {"по расписанию"}
    assert by[str(asked_job.pk)] == "editor"
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(users["admin"])
    by = _by_column(admin.get("/jobs/").content.decode())
    assert by[str(visitor_job.pk)] == "anonymous visitor" and by[str(command_line_job.pk)] == "command line"

    users["editor"].delete()
    assert Job.objects.get(pk=asked_job.pk).started_by_label == "deleted account"


@pytest.mark.django_db(transaction=True)
def test_the_migration_tells_kept_jobs_apart() -> None:
    def migrate(target: str):  # type: ignore[no-untyped-def]
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("jobs", target)])
        return executor.loader.project_state([("jobs", target)]).apps

    old = migrate("0005_result_parts")
    OldJob = old.get_model("jobs", "Job")
    visitor = OldJob.objects.create(kind="analytics.briefing_pdf", params={"document_key": "ab", "state": "UZ"})
    command_line = OldJob.objects.create(kind="search.rebuild")
    scheduled = OldJob.objects.create(kind="monitoring.checks", params={"at": "2026-03-10T08:00:00+00:00"})
    old.get_model("jobs", "ScheduledRun").objects.create(schedule="monitoring", slot=datetime(2026, 3, 10, 8, tzinfo=UTC),
                                                         job=scheduled)
    new = migrate("0006_job_started_by")
    started_by = dict(new.get_model("jobs", "Job").objects.values_list("pk", "started_by"))
    assert started_by == {visitor.pk: "visitor", command_line.pk: "command_line", scheduled.pk: "schedule"}
    executor = MigrationExecutor(connection)  # the tests after this one need the schema as it is now
    executor.migrate(executor.loader.graph.leaf_nodes("jobs"))
