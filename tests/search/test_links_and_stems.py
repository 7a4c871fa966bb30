"""Search finds what researchers mean: other case endings of a Russian word, and incidents by the names of the
targets and perpetrators the searcher may see (never through hidden ones)."""

from __future__ import annotations

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
from shelter.registry.models import Organisation, Person, PersonName
from shelter.search.index import search, search_with_links

pytestmark = pytest.mark.django_db(transaction=True)


def public(model, **fields):  # type: ignore[no-untyped-def]
    return model.objects.create(confidentiality="public", published=True, **fields)


def test_another_case_ending_of_a_russian_word_is_found() -> None:
    incident = public(Incident, title="Задержание Тестовой в Стамбуле", tactic="detention", date="2021",
                      origin_state="RU", host_country="TR")
    for query in ("Тестова", "Тестовой", "тестовым", "задержания"):
        assert list(search(Incident.objects.all(), query)) == [incident], query
    assert not search(Incident.objects.all(), "Тестовская").exists()


def test_an_incident_is_found_by_its_target_in_any_script(users) -> None:  # type: ignore[no-untyped-def]
    anna = public(Person, primary_name="Анна Тестова")
    PersonName.objects.create(person=anna, full_name="Anna Testova")
    incident = public(Incident, title="Detention in Istanbul", tactic="detention", date="2021",
                      origin_state="RU", host_country="TR")
    IncidentTarget.objects.create(incident=incident, person=anna)
    agency = public(Organisation, name="State Security Service", kind="security_service", country="RU")
    other = public(Incident, title="Threats by phone", tactic="direct_threats", date="2022", origin_state="RU")
    IncidentPerpetrator.objects.create(incident=other, organisation=agency, degree="direct")
    viewer = users["viewer"]
    for query in ("Testova", "Тестовой", "anna"):
        assert list(search_with_links(Incident.objects.all(), query, viewer)) == [incident], query
    assert list(search_with_links(Incident.objects.all(), "security service", viewer)) == [other]
    assert not search(Incident.objects.all(), "Testova").exists()  # the incident's own text does not name her


def test_a_hidden_target_never_makes_an_incident_match(users, teams) -> None:  # type: ignore[no-untyped-def]
    """Team alpha's confidential witness is linked to a public incident: the researcher (team beta) must not find
    the incident by the witness's name, by any path, while the editor (alpha) does."""
    witness = Person.objects.create(primary_name="Zarina Hiddenova", confidentiality="confidential")
    witness.teams.add(teams["alpha"])
    incident = public(Incident, title="Detention in Istanbul", tactic="detention", date="2021", origin_state="RU")
    IncidentTarget.objects.create(incident=incident, person=witness, role="witness")
    assert not search_with_links(Incident.objects.all(), "Hiddenova", users["researcher"]).exists()
    assert list(search_with_links(Incident.objects.all(), "Hiddenova", users["editor"])) == [incident]
    for role, expected in (("researcher", 0), ("editor", 1)):
        client = Client()
        client.force_login(users[role])
        page = client.get("/incidents/", {"q": "Hiddenova"}).content.decode()
        assert ("Detention in Istanbul" in page) == bool(expected), role
        token = ApiToken.issue(users[role])
        answer = Client().get("/api/v1/incidents/", {"q": "Hiddenova"}, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.json()["count"] == expected, role
        assert ("Detention in Istanbul" in client.get("/search/", {"q": "Hiddenova"}).content.decode()) \
            == bool(expected), role
