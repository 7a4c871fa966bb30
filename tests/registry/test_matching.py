"""People as the matcher sees them (``shelter.registry.matching``): one conversion of a person, similar people
across scripts among those the user may see, and possible duplicates."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from shelter.access.writes import delete_record
from shelter.names import PersonRecord
from shelter.registry.matching import (
    compare_registry,
    people_records,
    person_record,
    registry_fingerprint,
    registry_records,
    similar_people,
    store_duplicate_pairs,
    stored_duplicate_pairs,
)
from shelter.registry.models import DuplicatePair, Person, PersonName

pytestmark = pytest.mark.django_db(transaction=True)


def person(name: str, *others: str, level: str = "internal", **fields: object) -> Person:
    made = Person.objects.create(primary_name=name, confidentiality=level, **fields)
    for other in others:
        PersonName.objects.create(person=made, full_name=other)
    return made


def test_one_conversion_of_a_person_whatever_the_path() -> None:
    nazarov = person("Рустам Назаров", "Rustam Nazarov", dob="1980-05-02", nationalities=["TJ"], sex="m")
    single = person_record(nazarov)
    assert single.names == ("Рустам Назаров", "Rustam Nazarov")
    assert (single.dob, single.nationalities, single.sex) == ("1980-05-02", ("TJ",), "m")
    assert dict(people_records([nazarov.pk])) == {nazarov.pk: single}
    assert dict(registry_records()) == {str(nazarov.pk): single}


def test_similar_people_across_scripts_only_among_those_the_user_may_see(users, teams) -> None:  # type: ignore[no-untyped-def]
    visible = person("Рустам Назаров", dob="1980-05-02")
    hidden = person("Rustam Nazarov", level="confidential")
    hidden.teams.add(teams["alpha"])
    query = PersonRecord(("Rustam Nazarov",), dob="1980-05-02")
    assert [s.person for s in similar_people(users["researcher"], query)] == [visible]  # team beta
    assert {s.person for s in similar_people(users["editor"], query)} == {visible, hidden}  # team alpha
    assert all(s.explanation for s in similar_people(users["editor"], query))


def test_possible_duplicates_pair_the_same_person_in_two_scripts(users, teams, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = person("Далер Шарипов", dob="1975")
    second = person("Daler Sharipov", dob="1975")
    person("Someone Else Entirely")
    hidden = person("Daler Sharipov", level="confidential", dob="1975")
    hidden.teams.add(teams["alpha"])
    found = compare_registry()
    assert set(found) == {(first.pk, second.pk), (first.pk, hidden.pk), (second.pk, hidden.pk)}
    assert all(score >= 0.75 and explanation for score, explanation in found.values())
    assert stored_duplicate_pairs(users["researcher"]).stale  # never compared
    store_duplicate_pairs(registry_fingerprint(), found)
    seen = stored_duplicate_pairs(users["researcher"])  # team beta: the confidential namesake stays out
    assert [(pair.first, pair.second) for pair in seen.pairs] == [(first, second)] and seen.count == 1
    assert not seen.stale and seen.computed is not None
    assert stored_duplicate_pairs(users["editor"]).count == 3  # team alpha
    monkeypatch.setattr("shelter.registry.matching.COUNT_CAP", 2)  # counted up to the cap, and said so
    capped = stored_duplicate_pairs(users["editor"], limit=1)
    assert (len(capped.pairs), capped.count, capped.count_capped) == (1, 2, True)
    assert not stored_duplicate_pairs(users["researcher"], limit=1).count_capped
    monkeypatch.undo()
    person("Another Newcomer")
    assert stored_duplicate_pairs(users["editor"]).stale  # people changed since
    delete_record(users["admin"], hidden)  # a deleted person's pairs are left out
    assert stored_duplicate_pairs(users["editor"]).count == 1 and DuplicatePair._base_manager.count() == 3


def test_the_job_stores_the_pairs_and_skips_an_unchanged_registry(users) -> None:  # type: ignore[no-untyped-def]
    from shelter.jobs.models import Job
    from shelter.jobs.worker import run_queued
    from shelter.registry.jobs import start_duplicates

    first, second = person("Далер Шарипов", dob="1975"), person("Daler Sharipov", dob="1975")
    job = start_duplicates(users["editor"])
    assert job is not None and start_duplicates(users["admin"]) is None  # one comparison at a time
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and "computed again" in job.summary
    assert [(pair.first, pair.second) for pair in stored_duplicate_pairs(users["editor"]).pairs] == [(first, second)]
    again = start_duplicates(None)
    assert again is not None
    run_queued()
    assert "has not changed" in Job.objects.get(pk=again.pk).summary
    with pytest.raises(PermissionDenied):
        start_duplicates(users["researcher"])


