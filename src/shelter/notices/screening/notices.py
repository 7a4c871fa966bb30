"""Screening notices against the registry with :mod:`shelter.names`.

Screening is a system job: the index covers every person in the registry, so a caseworker's client is
found even when the notice is imported by someone else. What a user *sees* of the candidates passes
through the visibility filter (:class:`~shelter.notices.models.ScreeningMatch` is visible only with both
the notice and the person).

The index is kept in ``SHELTER_HOME/notices/`` with a fingerprint of the registry and rebuilt only when
people or their names changed; a new process loads it without parsing the registry's names again. Many
notices are screened as one batch: their queries are shared out between forked workers by their words, so
that the comparisons a worker keeps for a word serve every later query with that word, and the candidates
are written in bulk.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import create_in_bulk, save_audited
from shelter.flash import Sentence
from shelter.names import DEFAULT_THRESHOLD, IndexFileError, PersonRecord, ScreeningIndex, date_agrees
from shelter.notices.models import Alert, Notice, ScreeningMatch
from shelter.registry.candidates import MatchDecision
from shelter.registry.matching import registry_fingerprint, registry_records
from shelter.registry.models import Person

CANDIDATES_PER_NOTICE = 10
PARALLEL_FROM = 200  # below this, starting workers costs more than it saves
SCREEN_BATCH = 2000
PROGRESS_EVERY = 100  # queries a worker screens between reports of its progress


@dataclass
class ScreeningReport:
    screened: int = 0
    candidates: int = 0
    new_candidates: int = 0
    alerts: int = 0
    screened_kind: str = "notices"

    def summary(self) -> str:
        """For the operator, who sees every record."""
        return (f"{self.screened} {self.screened_kind} screened: {self.candidates} candidates "
                f"({self.new_candidates} new), {self.alerts} alerts for people at risk")

    def add(self, other: ScreeningReport) -> None:
        self.screened += other.screened
        self.candidates += other.candidates
        self.new_candidates += other.new_candidates
        self.alerts += other.alerts

    def summary_for(self, viewer: Viewer, notice_ids: Sequence[int]) -> str:
        """What a user may learn of screening these notices, in the active language (English outside a request)."""
        return str(self.sentence_for(viewer, notice_ids))

    def sentence_for(self, viewer: Viewer, notice_ids: Sequence[int]) -> Sentence:
        """What a user may learn of screening these notices: only candidates and alerts visible to them; said in
        the language of the page that shows it."""
        matches = visible_to(ScreeningMatch.objects.filter(notice_id__in=notice_ids), viewer)
        alerts = visible_to(Alert.objects.filter(match__notice_id__in=notice_ids), viewer)
        if self.screened_kind == "notices":
            form = gettext_noop("%(count)s notices screened: %(candidates)s candidates you can see, "
                                "%(alerts)s alerts for people at risk")
        else:
            form = gettext_noop("%(count)s people screened: %(candidates)s candidates you can see, "
                                "%(alerts)s alerts for people at risk")
        return Sentence(form, count=self.screened, candidates=matches.count(), alerts=alerts.count())


def index_directory() -> Path:
    path = Path(settings.SHELTER_HOME) / "notices"
    path.mkdir(parents=True, exist_ok=True)
    return path


def notice_record(notice: Notice) -> PersonRecord:
    return PersonRecord(
        names=tuple(notice.all_names()), dob=notice.dob or None,
        nationalities=tuple(notice.nationalities), sex=notice.sex or None,
    )


def build_registry_index() -> ScreeningIndex:
    return ScreeningIndex.build(registry_records())


# A long-running process (the web server) keeps the index it loaded while the registry is unchanged.
_in_memory: dict[str, tuple[str, ScreeningIndex]] = {}


def registry_index(rebuild: bool = False) -> ScreeningIndex:
    """The persisted index, rebuilt when the registry changed since it was saved."""
    directory = index_directory()
    index_path, stamp_path = directory / "registry.index", directory / "registry.fingerprint"
    fingerprint = registry_fingerprint()
    cached = _in_memory.get(str(index_path))
    if not rebuild and cached is not None and cached[0] == fingerprint:
        return cached[1]
    index: ScreeningIndex | None = None
    if not rebuild and index_path.exists() and stamp_path.exists() and stamp_path.read_text() == fingerprint:
        try:
            index = ScreeningIndex.load(index_path)
        except IndexFileError:
            index = None  # A damaged index is rebuilt below.
    if index is None:
        index = build_registry_index()
        index.save(index_path)
        stamp_path.write_text(fingerprint)
    _in_memory[str(index_path)] = (fingerprint, index)
    return index


Found = tuple[int, int, float, str, bool]  # notice pk, person pk, score, explanation, date of birth agrees
Query = tuple[int, PersonRecord]
Progress = Callable[[int], None]
# Set in the parent just before forking so worker processes share the index's memory instead of a copy,
# with the count of queries screened by all workers (for the progress bar).
_shared_for_workers: tuple[ScreeningIndex, float, Any] | None = None


def _search(index: ScreeningIndex, queries: Sequence[Query], threshold: float,
            on_progress: Progress | None = None) -> list[Found]:
    found: list[Found] = []
    for start in range(0, len(queries), PROGRESS_EVERY):
        part = queries[start:start + PROGRESS_EVERY]
        found += [(notice_pk, int(key), score, explanation, date_agrees(rank))
                  for notice_pk, query in part
                  for key, score, explanation, rank in index.search_rows(
                      query, threshold=threshold, limit=CANDIDATES_PER_NOTICE)]
        if on_progress is not None:
            on_progress(len(part))
    return found


def _search_in_worker(queries: Sequence[Query]) -> list[Found]:
    assert _shared_for_workers is not None
    index, threshold, done = _shared_for_workers

    def counted(count: int) -> None:
        with done.get_lock():
            done.value += count

    return _search(index, queries, threshold, counted)


def _word_of(query: PersonRecord) -> str:
    """The word a query is shared out by: the longest word of its first name (a surname, more often than not)."""
    words = query.names[0].casefold().split() if query.names else []
    return max(words, key=len, default="")


def _shares(queries: Sequence[Query], processes: int) -> list[list[Query]]:
    """The queries split between ``processes`` workers, those sharing a word kept together (the largest groups
    first, each to the worker with the fewest queries so far), each share in the queries' order."""
    sizes = Counter(_word_of(query) for _, query in queries)
    loads = [0] * processes
    worker_of: dict[str, int] = {}
    for word, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        worker = loads.index(min(loads))
        worker_of[word] = worker
        loads[worker] += size
    shares: list[list[Query]] = [[] for _ in range(processes)]
    for query in queries:
        shares[worker_of[_word_of(query[1])]].append(query)
    return shares


def _search_all(index: ScreeningIndex, queries: list[Query], threshold: float, processes: int,
                on_progress: Progress | None = None) -> list[Found]:
    """Workers only search the index (no database); the parent stores what they found. One pool of workers
    screens every query, so what a worker learns about a word serves it to the end. Each worker parses the
    registry names its queries meet, in parallel (parsing every name in the parent before forking took longer:
    215.7 s against 181.5 s for the 6,400-row list against 1,000,000 people, bench/notices/screen_scale.py)."""
    global _shared_for_workers
    if processes <= 1 or len(queries) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _search(index, queries, threshold, on_progress)
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    _shared_for_workers = (index, threshold, done)
    reported = 0
    try:
        with context.Pool(processes) as pool:
            pending = pool.map_async(_search_in_worker, _shares(queries, processes), chunksize=1)
            while not pending.ready():
                pending.wait(0.5)
                if on_progress is not None and done.value > reported:
                    on_progress(done.value - reported)
                    reported = done.value
            parts = pending.get()
    finally:
        _shared_for_workers = None
    if on_progress is not None and len(queries) > reported:
        on_progress(len(queries) - reported)
    return [found for part in parts for found in part]


def screen_notices(notice_ids: Sequence[int], threshold: float = DEFAULT_THRESHOLD,
                   index: ScreeningIndex | None = None, processes: int = 1,
                   on_progress: Progress | None = None) -> ScreeningReport:
    """Match each notice against the registry; record candidates and raise alerts for people at risk.

    A candidate a person already confirmed or rejected keeps that decision; its score and explanation
    are refreshed. ``processes`` > 1 searches in forked workers (for the command line; a threaded web
    server keeps the default). ``on_progress(n)`` is told of each ``n`` notices searched."""
    report = ScreeningReport()
    if not notice_ids:
        return report
    index = index if index is not None else registry_index()
    report.screened = len(notice_ids)
    if len(index) == 0:
        return report
    queries: list[Query] = []
    for start in range(0, len(notice_ids), SCREEN_BATCH):
        queries += [(notice.pk, notice_record(notice))
                    for notice in Notice.objects.filter(pk__in=notice_ids[start:start + SCREEN_BATCH])]
    report.screened = len(queries)
    found = _search_all(index, queries, threshold, processes, on_progress)
    report.candidates = len(found)
    store_candidates(found, report)
    return report


def store_candidates(found: list[Found], report: ScreeningReport) -> None:
    """Write the candidates found (new ones in bulk, each with its history entry), in one transaction."""
    if not found:
        return
    notice_ids = sorted({notice_id for notice_id, *_ in found})
    with transaction.atomic():
        existing = {
            (match.notice_id, match.person_id): match
            for start in range(0, len(notice_ids), SCREEN_BATCH)
            for match in ScreeningMatch.objects.filter(notice_id__in=notice_ids[start:start + SCREEN_BATCH])
        }
        new: list[ScreeningMatch] = []
        kept: list[ScreeningMatch] = []
        for notice_id, person_id, score, explanation, agrees in found:
            match = existing.get((notice_id, person_id))
            if match is None:
                new.append(ScreeningMatch(notice_id=notice_id, person_id=person_id, score=score,
                                          explanation=explanation, date_agrees=agrees))
                continue
            kept.append(match)
            if (match.score, match.explanation, match.date_agrees) != (score, explanation, agrees):
                match.score, match.explanation, match.date_agrees = score, explanation, agrees
                save_audited(match, None, update_fields=["score", "explanation", "date_agrees", "modified"])
        created = create_in_bulk(ScreeningMatch, new, None)
        report.new_candidates = len(created)
        report.alerts = raise_alerts(created + kept)


def raise_alerts(matches: Sequence[ScreeningMatch]) -> int:
    """One alert per candidate whose person is at risk, unless rejected or already alerted (even if acknowledged).

    Also covers a candidate found before the person was marked at risk."""
    raised = 0
    for start in range(0, len(matches), 2000):
        chunk = matches[start:start + 2000]
        at_risk = set(Person.objects.filter(pk__in={m.person_id for m in chunk}, at_risk=True)
                      .values_list("pk", flat=True))
        wanted = [match for match in chunk if match.person_id in at_risk and match.decision != MatchDecision.REJECTED]
        alerted = set(Alert.objects.filter(match__in=[m.pk for m in wanted]).values_list("match_id", flat=True))
        alerts = [Alert(match=match) for match in wanted if match.pk not in alerted]
        Alert.objects.bulk_create(alerts)
        raised += len(alerts)
    return raised
