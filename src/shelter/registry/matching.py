"""People as ``shelter.names`` compares them: the one conversion of a person to a name record (one person, or
the whole registry in batches for screening), and possible duplicates of a person among the people the user
may see; the pairs of people of the whole registry who may be one person, computed by a job and stored.

Duplicate candidates come from the full-text index (each name word's first letters as a prefix, in either
script), so scoring stays fast on a large registry; ``shelter.names`` then compares names across scripts,
dates of birth and nationalities, and explains each match.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from shelter.access.visibility import Viewer, visible_to
from shelter.api.listing import COUNT_CAP
from shelter.names import PersonRecord, ScreeningIndex, find_similar
from shelter.registry.models import DuplicatePair, Person, PersonName
from shelter.search.index import matching_ids

# Lower than the screening threshold: while entering a person, a near miss is worth a look.
SUGGESTION_THRESHOLD = 0.6
CANDIDATE_LIMIT = 400
PREFIX_LENGTH = 4
# The curators' list: each person of the registry compared with every other through the screening index (a
# background job, ``registry.jobs``), its best hits above the threshold stored as pairs.
DUPLICATE_THRESHOLD = SUGGESTION_THRESHOLD + 0.15
DUPLICATES_PER_PERSON = 20

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    person: Person
    score: float
    explanation: str


def _record(names: Iterable[str], dob: str, nationalities: Iterable[str] | None, sex: str) -> PersonRecord:
    return PersonRecord(names=tuple(names), dob=dob or None, nationalities=tuple(nationalities or ()),
                        sex=sex or None)


def person_record(person: Person) -> PersonRecord:
    return _record(person.all_names(), person.dob, person.nationalities, person.sex)


def _person_records(people: QuerySet[Person], names: QuerySet[PersonName],
                    batch_size: int) -> Iterable[tuple[int, PersonRecord]]:
    other_names: dict[int, list[str]] = defaultdict(list)
    for person_id, full_name in names.values_list("person_id", "full_name").iterator(batch_size):
        other_names[person_id].append(full_name)
    rows = people.order_by("pk").values_list("pk", "primary_name", "dob", "nationalities", "sex")
    for pk, primary_name, dob, nationalities, sex in rows.iterator(batch_size):
        names_of = [primary_name] + [name for name in other_names.get(pk, ()) if name != primary_name]
        yield pk, _record(names_of, dob, nationalities, sex)


def registry_records(batch_size: int = 20000) -> Iterable[tuple[str, PersonRecord]]:
    """Every person of the registry (deleted ones left out), keyed by id as text, for the screening index."""
    for pk, record in _person_records(Person.objects.all(), PersonName.objects.all(), batch_size):
        yield str(pk), record


def people_records(person_ids: Sequence[int], chunk: int = 2000) -> Iterable[tuple[int, PersonRecord]]:
    """The screening records of the given people (missing ids are skipped)."""
    for start in range(0, len(person_ids), chunk):
        ids = person_ids[start:start + chunk]
        yield from _person_records(Person.objects.filter(pk__in=ids), PersonName.objects.filter(person_id__in=ids),
                                   chunk)




def _name_prefixes(names: Iterable[str]) -> set[str]:
    words = {word for name in names for word in _WORD.findall(name.casefold()) if len(word) >= 2}
    return {word[:PREFIX_LENGTH] for word in words}


def candidate_people(user: Viewer, names: Sequence[str], exclude_pk: int | None = None) -> list[Person]:
    condition = Q()
    for prefix in _name_prefixes(names):
        subquery = matching_ids("person", prefix)
        if subquery is not None:
            condition |= Q(pk__in=subquery)
    if not condition:
        return []
    queryset = visible_to(Person.objects.filter(condition), user).prefetch_related("names")
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset[:CANDIDATE_LIMIT])


def similar_people(user: Viewer, query: PersonRecord, exclude_pk: int | None = None,
                   limit: int = 8) -> list[Suggestion]:
    """Visible people who may be the person described by ``query``, best first."""
    names = [name for name in query.names if name.strip()]
    if not names:
        return []
    candidates = {str(p.pk): p for p in candidate_people(user, names, exclude_pk)}
    hits = find_similar(
        PersonRecord(tuple(names), query.dob, query.nationalities, query.sex),
        ((key, person_record(person)) for key, person in candidates.items()),
        threshold=SUGGESTION_THRESHOLD,
        limit=limit,
    )
    return [Suggestion(candidates[hit.key], hit.result.score, hit.result.explanation) for hit in hits]


def registry_fingerprint() -> str:
    """Changes whenever a person or a name is added, changed or removed."""
    people = Person.objects.aggregate(n=Count("pk"), last=Max("modified"), top=Max("pk"))
    names = PersonName.objects.aggregate(n=Count("pk"), top=Max("pk"))
    # A changed name without a changed person is caught by the history table's latest entry.
    last_name_change = PersonName.history.aggregate(last=Max("history_id"))["last"]
    state = [people["n"], str(people["last"]), people["top"], names["n"], names["top"], last_name_change]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def compare_registry(progress: Callable[[int, int], None] | None = None) -> dict[tuple[int, int], tuple[float, str]]:
    """Every pair of people of the registry who may be one person (lower id first), with score and explanation:
    each person searched against the registry's screening index, its best ``DUPLICATES_PER_PERSON`` hits kept."""
    records = list(registry_records())
    index = ScreeningIndex.build(records)
    found: dict[tuple[int, int], tuple[float, str]] = {}
    for number, (key, record) in enumerate(records, start=1):
        for hit in index.search(record, threshold=DUPLICATE_THRESHOLD, limit=DUPLICATES_PER_PERSON):
            if hit.key != key:
                found.setdefault(tuple(sorted((int(key), int(hit.key)))),  # type: ignore[arg-type]
                                 (hit.result.score, hit.result.explanation))
        if progress is not None:
            progress(number, len(records))
    return found


def store_duplicate_pairs(fingerprint: str, found: dict[tuple[int, int], tuple[float, str]]) -> int:
    """Replace the stored pairs by ``found`` (computed from the registry as ``fingerprint`` says), in one
    transaction: a page reads either the old pairs or the new ones. Pairs are derived data, without history."""
    computed = timezone.now()
    with transaction.atomic():
        DuplicatePair._base_manager.all().delete()
        DuplicatePair.objects.bulk_create(
            (DuplicatePair(first_id=first, second_id=second, score=score, explanation=explanation,
                           fingerprint=fingerprint, computed=computed)
             for (first, second), (score, explanation) in found.items()),
            batch_size=2000)
    return len(found)


@dataclass(frozen=True)
class StoredPairs:
    """The pairs a curator may see (both people visible to them), best first, and how fresh they are."""

    pairs: list[DuplicatePair]
    count: int
    count_capped: bool  # more than COUNT_CAP pairs: ``count`` is the cap, a lower bound
    computed: datetime | None
    stale: bool
    last_change: datetime | None


def stored_duplicate_pairs(user: Viewer, limit: int = 200) -> StoredPairs:
    """The stored pairs of people ``user`` may both see, and whether the registry changed since they were
    computed (``stale``; ``computed`` is None when they never were)."""
    visible = visible_to(DuplicatePair.objects.all(), user)
    pairs = list(visible.select_related("first", "second")[:limit])
    # counted up to the cap, as the API counts: a registry of many namesakes holds millions of pairs
    count = len(pairs) if len(pairs) < limit else visible[:COUNT_CAP + 1].count()
    # every pair of one comparison has the same time and fingerprint: the first by the score index will do
    latest = DuplicatePair._base_manager.values("computed", "fingerprint").first()
    last_change = Person.objects.aggregate(last=Max("modified"))["last"]
    stale = latest is None or latest["fingerprint"] != registry_fingerprint()
    return StoredPairs(pairs, min(count, COUNT_CAP), count > COUNT_CAP, latest["computed"] if latest else None, stale,
                       last_change)
