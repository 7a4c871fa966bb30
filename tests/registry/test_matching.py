"""People as the matcher sees them (``shelter.registry.matching``): one conversion of a person, similar people
across scripts among those the user may see, and possible duplicates."""

from __future__ import annotations

import pytest

from shelter.names import PersonRecord
from shelter.registry.matching import (
    duplicate_pairs,
    people_records,
    person_record,
    registry_records,
    similar_people,
)
from shelter.registry.models import Person, PersonName

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


def test_possible_duplicates_pair_the_same_person_in_two_scripts(users) -> None:  # type: ignore[no-untyped-def]
    first = person("Далер Шарипов", dob="1975")
    second = person("Daler Sharipov", dob="1975")
    person("Someone Else Entirely")
    pairs, truncated = duplicate_pairs(users["editor"])
    assert not truncated
    assert [{pair.first, pair.second} for pair in pairs] == [{first, second}]
