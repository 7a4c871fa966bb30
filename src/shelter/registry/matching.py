"""People as ``shelter.names`` compares them: the one conversion of a person to a name record (one person, or
the whole registry in batches for screening), and possible duplicates of a person among the people the user
may see.

Duplicate candidates come from the full-text index (each name word's first letters as a prefix, in either
script), so scoring stays fast on a large registry; ``shelter.names`` then compares names across scripts,
dates of birth and nationalities, and explains each match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shelter.access.visibility import Viewer, visible_to
from shelter.names import PersonRecord, ScreeningIndex, find_similar
from shelter.registry.models import Person, PersonName
from shelter.search.index import matching_ids

# Lower than the screening threshold: while entering a person, a near miss is worth a look.
SUGGESTION_THRESHOLD = 0.6
CANDIDATE_LIMIT = 400
PREFIX_LENGTH = 4
# The curators' list compares every visible person with every other through the blocking index.
DUPLICATE_SCAN_LIMIT = 20000

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    person: Person
    score: float
    explanation: str


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
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


def duplicate_pairs(user: Viewer, threshold: float = SUGGESTION_THRESHOLD + 0.15,
                    limit: int = 200) -> tuple[list[DuplicatePair], bool]:
    """Pairs of visible people who may be one person, best first; and whether the scan was truncated."""
    people = list(visible_to(Person.objects.all(), user).prefetch_related("names")[: DUPLICATE_SCAN_LIMIT + 1])
    truncated = len(people) > DUPLICATE_SCAN_LIMIT
    people = people[:DUPLICATE_SCAN_LIMIT]
    by_key = {str(p.pk): p for p in people}
    index = ScreeningIndex()
    for key, person in by_key.items():
        index.add(key, person_record(person))
    seen: set[tuple[int, int]] = set()
    pairs = []
    for key, person in by_key.items():
        for hit in index.search(person_record(person), threshold=threshold, limit=6):
            if hit.key == key:
                continue
            other = by_key[hit.key]
            pair_key = (min(person.pk, other.pk), max(person.pk, other.pk))
            if pair_key in seen:
                continue
            seen.add(pair_key)
            first, second = (person, other) if person.pk < other.pk else (other, person)
            pairs.append(DuplicatePair(first, second, hit.result.score, hit.result.explanation))
    pairs.sort(key=lambda pair: (-pair.score, pair.first.pk, pair.second.pk))
    return pairs[:limit], truncated
