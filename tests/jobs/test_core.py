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
