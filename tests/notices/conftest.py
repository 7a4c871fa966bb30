"""Fixtures for the notices tests: the real notice excerpts, imported, and a small registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES

NOTICE_FIXTURES: Path = FIXTURES / "notices"


@pytest.fixture
def imported(db):  # type: ignore[no-untyped-def]
    """The 9 real detail records, imported as public published notices (as Interpol publishes them)."""
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices

    return import_notices(read_notice_file(NOTICE_FIXTURES / "red_notices_details_excerpt.json").notices)


@pytest.fixture
def ayubov(db, teams):  # type: ignore[no-untyped-def]
    """A confidential client of team alpha who is the subject of the real notice 2019/34876, named in Cyrillic."""
    from shelter.registry.models import Person, PersonName

    person = Person.objects.create(primary_name="Абдукарим Аюбов", dob="1983-04-05", nationalities=["TJ"], sex="m",
                                   status_abroad="refugee", at_risk=True, confidentiality="confidential",
                                   profile=["opposition"])
    person.teams.add(teams["alpha"])
    PersonName.objects.create(person=person, full_name="Abdukarim Ayubov", kind="transliteration")
    return person


@pytest.fixture
def bystander(db):  # type: ignore[no-untyped-def]
    from shelter.registry.models import Person

    return Person.objects.create(primary_name="Karina Lindqvist", dob="1975", nationalities=["SE"], sex="f",
                                 confidentiality="internal")
