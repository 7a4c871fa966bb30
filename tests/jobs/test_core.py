"""The pure rules of a job's life."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shelter.jobs.core import JobStatus, after_worker_lost, is_finished, is_stale, percent


def test_a_silent_worker_is_taken_for_dead_only_after_the_limit() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert not is_stale(now - timedelta(seconds=5), now, timedelta(seconds=20))
    assert is_stale(now - timedelta(seconds=21), now, timedelta(seconds=20))
    assert is_stale(None, now)


def test_a_job_that_lost_its_worker_is_retried_once_then_failed() -> None:
    assert after_worker_lost(1) == JobStatus.QUEUED
    assert after_worker_lost(2) == JobStatus.FAILED


def test_progress_reads_as_a_bounded_percentage() -> None:
    assert percent(0, 0) is None
    assert percent(50, 200) == 25
    assert percent(300, 200) == 100
    assert is_finished("cancelled") and not is_finished("running")


def test_progress_reads_as_a_line_in_the_active_language() -> None:
    from django.utils import translation

    from shelter.jobs.models import Job

    assert Job(status="queued").progress == "waiting for a worker"
    running = Job(status="running", stage="screening notices", done=3, total=10)
    assert running.progress == "screening notices: 3 of 10"
    assert Job(status="running", stage="", done=4).progress == "4"
    with translation.override("ru"):
        assert running.progress == "проверка уведомлений: 3 из 10"


def test_a_worker_started_on_its_own_knows_every_kind_of_job() -> None:
    """A fresh process (as `shelter worker` is) registers the kinds of every app and of the connectors, which are
    not an app, before it runs a job: a records export queued through the API runs on any worker."""
    import os
    import subprocess
    import sys

    script = ("import django; django.setup()\n"
              "from shelter.jobs.services import kinds\n"
              "print(' '.join(sorted(kinds())))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shelter.settings"}
    found = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert {"records.import", "records.export", "notices.import", "analytics.briefing_pdf",
            "monitoring.checks"} <= set(found.stdout.split())
