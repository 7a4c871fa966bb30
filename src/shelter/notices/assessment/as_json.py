"""Assessments of many notices written as JSON, for ``shelter notices assess --json``.

The parent process gathers the facts from the database, a batch at a time; evaluating the indicators and
encoding the result (most of the work) runs in forked worker processes, which never touch the database. The
parent gathers the next batch while the workers evaluate, and the output keeps the order of the notices.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from shelter.access.visibility import Viewer
from shelter.indicators import CaseFacts, evaluate, load_catalogue
from shelter.notices.assessment.assess import (
    GatheredNotice,
    assessment_dict,
    evidence_dict,
    gather_batches,
    notice_header,
    review_dict,
)
from shelter.notices.models import Notice

# What a worker receives for one notice: plain data only (header, facts, reviews, attached evidence).
Job = tuple[dict[str, Any], CaseFacts, dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]


def _job(item: GatheredNotice) -> Job:
    return (notice_header(item.notice, item.people), item.facts,
            {indicator_id: review_dict(review, item.show_reviewer) for indicator_id, review in item.reviews.items()},
            {indicator_id: [evidence_dict(e) for e in items] for indicator_id, items in item.attached.items()})


def _encode(jobs: list[Job]) -> list[bytes]:
    catalogue = load_catalogue()
    return [orjson.dumps(assessment_dict(header, evaluate(facts, catalogue), reviews, attached, facts))
            for header, facts, reviews, attached in jobs]


def assessments_as_json(notices: Iterable[Notice], user: Viewer, processes: int = 1) -> Iterator[bytes]:
    """One JSON object (UTF-8 bytes) per notice, in order; ``processes`` > 1 evaluates in forked workers."""
    batches = ([_job(item) for item in batch] for batch in gather_batches(notices, user))
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for jobs in batches:
            yield from _encode(jobs)
        return
    load_catalogue()  # read once here, so that every worker inherits it
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        # At most one batch waiting per worker: memory stays bounded however many notices there are.
        pending: deque[Any] = deque()
        for jobs in batches:
            pending.append(pool.apply_async(_encode, (jobs,)))
            while len(pending) > processes:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
