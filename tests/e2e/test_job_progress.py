"""A job's page in a real browser: the progress changes as the worker reports it, without a reload, and the page
stops asking once the job is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS
from tests.notices.conftest import NOTICE_FIXTURES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_the_progress_until_done(live_server: Any, page: Any, users: Any,
                                                     screenshot_dir: Path | None) -> None:
    from django.utils import translation

    from shelter.jobs.models import Job
    from shelter.jobs.services import Progress, start
    from shelter.jobs.worker import run_queued

    with translation.override("en"):  # started as from an English page: the job's summary speaks English
        job = start("notices.import", users["editor"], {"suffix": ".csv", "name": "list.csv"},
                    payload=(NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv").read_bytes())
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    page.goto(f"{base}/jobs/{job.pk}/")
    progress = page.locator(f"#job-{job.pk}")
    assert "waiting for a worker" in progress.inner_text()
    assert page.locator(f"#job-{job.pk} button:has-text('Cancel')").count() == 1
    page.evaluate("window.loadedOnce = true")  # gone if the page were loaded again

    Job.objects.filter(pk=job.pk).update(status="running")
    Progress(job).update("importing notices", 6, 30)
    page.wait_for_selector(f"#job-{job.pk} >> text=importing notices: 6 of 30")
    assert page.get_attribute(f"#job-{job.pk} progress", "value") == "20"
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "job-running.png"))
        page.goto(f"{base}/notices/")  # every page shows the asker's jobs under way
        page.screenshot(path=str(screenshot_dir / "job-under-way-on-another-page.png"))
        page.goto(f"{base}/jobs/{job.pk}/")
        page.evaluate("window.loadedOnce = true")

    Job.objects.filter(pk=job.pk).update(status="queued")
    run_queued()
    page.wait_for_selector(f"#job-{job.pk} .job-summary")
    assert "30 read" in progress.inner_text() and progress.get_attribute("hx-get") is None
    assert page.locator("main button:has-text('Cancel')").count() == 0
    assert page.evaluate("window.loadedOnce") is True
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "job-done.png"))


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_the_progress_of_a_job_reads_in_both_languages_on_every_screen(journey: Any, users: Any, language: str,
                                                                        width: int) -> None:
    """The job's page, the jobs page and a page showing the jobs under way pass axe, are in the page's language
    and fit a phone."""
    from shelter.jobs.models import Job
    from shelter.jobs.services import Progress, start

    job = start("notices.import", users["editor"], {"suffix": ".csv", "name": "list.csv"},
                payload=(NOTICE_FIXTURES / "red_notices_list_2025_excerpt.csv").read_bytes())
    Job.objects.filter(pk=job.pk).update(status="running")
    Progress(job).update("importing notices", 6, 30)
    walk = journey(language, width)
    walk.sign_in("editor")
    for step, path in (("job", f"/jobs/{job.pk}/"), ("jobs", "/jobs/"), ("under-way", "/notices/")):
        walk.go(path)
        walk.page.wait_for_selector(f"#job-{job.pk} progress")
        walk.visit(step)
