"""Screening in the other direction: a person added to the registry, renamed, given a date of birth or a
nationality, or marked at risk is matched against the notices already recorded, so that a notice imported
before the person was entered still raises its candidate and alert.

Saves are queued by :mod:`shelter.notices.screening.registry_changes` and screened here in one batch per transaction.
Notices are few (thousands), so their subjects are kept in one in-memory index, rebuilt when a notice changes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max

from shelter.names import DEFAULT_THRESHOLD, PersonRecord, ScreeningIndex, compare
from shelter.notices.models import Notice
from shelter.notices.screening.notices import Found, ScreeningReport, notice_record, store_candidates
from shelter.registry.matching import people_records

# A person is rarely the subject of more than a few notices; the limit only bounds a pathological name.
NOTICES_PER_PERSON = 20


@dataclass(frozen=True)
class NoticeSubjects:
    """The subjects of every notice, indexed for searching, with their records by notice id."""

    fingerprint: str
    index: ScreeningIndex
    records: dict[int, PersonRecord]


_cache: dict[str, NoticeSubjects] = {}
# ScreeningIndex sorts its postings lazily on the first search; one search at a time keeps that safe in a
# threaded web server (a person's screening takes milliseconds).
_search_lock = threading.Lock()


def notices_fingerprint() -> str:
    state = Notice.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("modified"))
    return hashlib.sha256(json.dumps([state["n"], state["top"], str(state["last"])]).encode()).hexdigest()


def notice_subjects() -> NoticeSubjects:
    fingerprint = notices_fingerprint()
    cached = _cache.get("notices")
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    records = {notice.pk: notice_record(notice)
               for notice in Notice.objects.only("pk", "forename", "surname", "other_names", "dob", "nationalities",
                                                 "sex").order_by("dob", "pk").iterator(chunk_size=2000)}
    index = ScreeningIndex()
    for pk, record in records.items():
        if record.names:
            index.add(str(pk), record)
    subjects = NoticeSubjects(fingerprint, index, records)
    _cache["notices"] = subjects
    return subjects


def _search(subjects: NoticeSubjects, people: Iterable[tuple[int, PersonRecord]], threshold: float) -> list[Found]:
    found: list[Found] = []
    for person_pk, record in people:
        if not record.names:
            continue
        with _search_lock:
            hits = subjects.index.search(record, threshold=threshold, limit=NOTICES_PER_PERSON)
        for hit in hits:
            notice_pk = int(hit.key)
            # Scored again with the notice first, so the candidate reads exactly as the notice's own screening
            # writes it and a later screening of the notice does not rewrite it.
            result = compare(subjects.records[notice_pk], record, threshold)
            if result.score >= threshold:
                found.append((notice_pk, person_pk, result.score, result.explanation, hit.date_agrees))
    return found


def screen_people(person_ids: Sequence[int], threshold: float = DEFAULT_THRESHOLD) -> ScreeningReport:
    """Match each person against every notice; record candidates and raise alerts for people at risk, as the
    notices' own screening does (a candidate is recorded once; a decision already taken is kept)."""
    report = ScreeningReport(screened_kind="people")
    if not person_ids:
        return report
    subjects = notice_subjects()
    people = list(people_records(sorted(set(person_ids))))
    report.screened = len(people)
    if len(subjects.index) == 0:
        return report
    found = _search(subjects, people, threshold)
    report.candidates = len(found)
    with transaction.atomic():
        store_candidates(found, report)
    return report
