"""The update of the indicator feeds (see shelter.triage.feeds) as a background job: asked for through the API
by an administrator, or started by the worker's daily schedule when the operator switched it on."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.access.models import User
from shelter.jobs.models import Job
from shelter.jobs.schedule import DAILY, scheduled
from shelter.jobs.services import Progress, runner, start
from shelter.triage import feeds

FEEDS_UPDATE = "triage.feeds_update"
FETCHING = gettext_noop("fetching feeds")


def start_feeds_update(user: User | None) -> Job:
    """Queue a download of fresh copies of the shipped feeds. The feeds serve every user, so only an
    administrator (or the operator, ``user`` None) may replace them."""
    if user is not None and not user.is_shelter_admin:
        raise PermissionDenied("only an administrator may update the indicator feeds")
    return start(FEEDS_UPDATE, user)


@scheduled("triage.feeds_daily", DAILY, enabled=lambda: bool(getattr(settings, "SHELTER_SCHEDULE_FEEDS", False)))
def start_daily_feeds_update(slot: datetime) -> Job:
    """Off unless the operator sets ``SHELTER_SCHEDULE_FEEDS=1``: it uses the network."""
    return start_feeds_update(None)


@runner(FEEDS_UPDATE, label=gettext_lazy("update of the indicator feeds"), stages=(FETCHING,))
def update_feeds_job(job: Job, progress: Progress) -> str:
    """Fetch each shipped feed in turn; a feed that fails keeps its previous copy. Fails only when none was
    updated, with the first reason."""
    total = len(feeds.shipped_feeds())
    fetched = 0

    def fetch(url: str) -> bytes:
        nonlocal fetched
        progress.update(FETCHING, fetched, total)
        fetched += 1
        return feeds.fetch_over_https(url)

    results = feeds.update_feeds(fetch)
    progress.update(FETCHING, total, total)
    updated = [result for result in results if result.ok]
    failed = [result for result in results if not result.ok]
    if results and not updated:
        raise ValueError(f"no feed was updated; {failed[0].feed}: {failed[0].message}")
    lines = [f"{len(updated)} of {len(results)} feeds updated"]
    lines += [f"{result.feed}: {result.message}" for result in failed]
    return "; ".join(lines)
