"""Full-text search across scripts, on whichever database the suite runs on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from shelter.access.visibility import visible_to
from shelter.incidents.models import Incident
from shelter.registry.models import Person, PersonName
from shelter.search.index import id_list, matches, search

pytestmark = pytest.mark.django_db(transaction=True)


def test_person_found_by_cyrillic_and_latin_forms() -> None:
    person = Person.objects.create(primary_name="Muhiddin Kabiri", confidentiality="public", published=True)
    PersonName.objects.create(person=person, full_name="Мухиддин Кабири", language="ru")
    other = Person.objects.create(primary_name="Someone Else", confidentiality="public", published=True)
    for query in ("Кабири", "kabiri", "Мухид", "Kabir", "Mukhiddin"):
        found = list(search(Person.objects.all(), query))
        assert found == [person], query
    assert other not in search(Person.objects.all(), "Кабири")


def test_search_results_pass_through_the_visibility_filter() -> None:
    Incident.objects.create(title="Detention of a blogger in Istanbul", tactic="detention", date="2021",
                            origin_state="UZ", host_country="TR", confidentiality="confidential")
    hits = search(Incident.objects.all(), "blogger")
    assert hits.count() == 1
    assert visible_to(hits, AnonymousUser()).count() == 0


def test_query_syntax_is_inert() -> None:
    Incident.objects.create(title="Threat by phone", tactic="direct_threats", date="2020", origin_state="TJ",
                            confidentiality="public", published=True)
    for hostile in ('"', "NEAR(", "a OR", "*", "'; DROP TABLE x; --", ")(", "title:threat", "!&|:*"):
        list(search(Incident.objects.all(), hostile))
    assert search(Incident.objects.all(), "").count() == 1


def test_a_long_list_of_ids_is_one_parameter() -> None:
    # More ids than SQLite accepts as separate parameters (32,766): the list travels as one value.
    kept = Incident.objects.create(title="Kept", tactic="detention", date="2022", origin_state="UZ",
                                   confidentiality="public", published=True)
    Incident.objects.create(title="Left out", tactic="detention", date="2022", origin_state="UZ",
                            confidentiality="public", published=True)
    ids = [kept.pk, *range(10**9, 10**9 + 40_000)]
    assert list(Incident.objects.filter(pk__in=id_list(ids))) == [kept]
    assert not Incident.objects.filter(pk__in=id_list([])).exists()


def test_matches_reads_every_kind_at_once() -> None:
    person = Person.objects.create(primary_name="Rustam Tolibov", confidentiality="public", published=True)
    incident = Incident.objects.create(title="Tolibov questioned", tactic="detention", date="2022",
                                       origin_state="TJ", confidentiality="public", published=True)
    assert matches("tolib") == {"person": [person.pk], "incident": [incident.pk]}
    assert matches("tolib", "incident") == {"incident": [incident.pk]}
    assert matches("nobody") == {} and matches("  ") is None
