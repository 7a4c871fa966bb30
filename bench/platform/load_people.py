"""Load N synthetic people (with a Cyrillic and a Latin name each) into the configured database and index them.

Run by ``run.py`` in its own process with the benchmark's SHELTER_HOME / SHELTER_DATABASE_URL; prints seconds.
The registry has no bulk people import format of its own (CSV import is for incidents), so this uses the same
``bulk_create`` + ``index_records`` path the connectors use.
"""

from __future__ import annotations

import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import people

from shelter.cli import setup_django

BATCH = 5000


def load(count: int) -> float:
    """Create ``count`` synthetic people (names, teams) and index them; returns the seconds it took."""
    from django.db import transaction

    from shelter.access.models import Team
    from shelter.registry.models import Person, PersonName
    from shelter.search.index import index_records

    teams = {team.name: team.pk for team in Team.objects.all()}
    through = Person.teams.through
    started = time.perf_counter()
    generated = people(count)
    while batch := list(islice(generated, BATCH)):
        with transaction.atomic():
            created = Person.objects.bulk_create([
                Person(primary_name=p.primary_name, nationalities=[p.nationality], country_of_residence=p.residence,
                       confidentiality=p.confidentiality, published=p.published) for p in batch])
            PersonName.objects.bulk_create([
                PersonName(person=person, full_name=form, script=script, kind=kind)
                for person, p in zip(created, batch, strict=True)
                for form, script, kind in ((p.cyrillic_name, "Cyrl", "native"),
                                           (p.primary_name, "Latn", "transliteration"))])
            through.objects.bulk_create([through(person_id=person.pk, team_id=teams[p.team])
                                         for person, p in zip(created, batch, strict=True) if p.team])
            index_records("person", [person.pk for person in created])
    return time.perf_counter() - started


def main(count: int) -> None:
    setup_django()
    print(f"{load(count):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
