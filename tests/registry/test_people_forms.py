"""Person, organisation and relationship forms; duplicate suggestions; the curators' duplicate list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shelter.jobs.worker import run_queued
from shelter.registry.models import Organisation, Person, PersonName, Relationship

pytestmark = pytest.mark.django_db


def person_post(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "primary_name": "Mukhiddin Kabiri", "dob": "1965", "sex": "m", "nationalities": ["TJ"],
        "country_of_residence": "DE", "status_abroad": "refugee", "profile": "opposition, party_leader",
        "description": "", "confidentiality": "internal",
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-full_name": "Мухиддин Кабири", "names-0-language": "ru", "names-0-kind": "native",
        "names-1-kind": "",  # an empty row, as the form shows it
    }
    data.update(overrides)
    return data


def test_create_person_with_names_in_two_scripts(users, client_for):  # type: ignore[no-untyped-def]
    response = client_for("researcher").post(reverse("registry:person_new"), person_post())
    assert response.status_code == 302
    person = Person.objects.get(primary_name="Mukhiddin Kabiri")
    assert person.profile == ["opposition", "party_leader"] and person.nationalities == ["TJ"]
    name = PersonName.objects.get(person=person)
    assert (name.full_name, name.script) == ("Мухиддин Кабири", "Cyrl")


def test_possible_duplicate_must_be_confirmed_before_saving(users, client_for):  # type: ignore[no-untyped-def]
    existing = Person.objects.create(primary_name="Muhiddin Kabiri", dob="1965", confidentiality="internal")
    PersonName.objects.create(person=existing, full_name="Мухиддин Кабири")
    from tests.web.conftest import reindex

    reindex()
    client = client_for("researcher")
    response = client.post(reverse("registry:person_new"), person_post(**{
        "names-0-full_name": "", "names-0-language": "", "names-0-kind": ""}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Possible duplicates" in page and existing.get_absolute_url() in page
    assert Person.objects.count() == 1
    response = client.post(reverse("registry:person_new"), person_post(not_a_duplicate="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_hidden_people_are_never_suggested(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for("researcher")
    html = client.get(reverse("registry:similar"), {"primary_name": "Rustam Confidentialov"}).content.decode()
    assert "Rustam Confidentialov" not in html
    html = client_for("editor").get(reverse("registry:similar"),
                                    {"primary_name": "Рустам Конфиденциалов", "dob": "1980"}).content.decode()
    assert "Rustam Confidentialov" in html


def test_person_bad_input_is_explained(users, client_for):  # type: ignore[no-untyped-def]
    client = client_for("editor")
    page = client.post(reverse("registry:person_new"), person_post(dob="1980-02-30", nationalities=["ZZ"],
                                                                   not_a_duplicate="on")).content.decode()
    assert "February 1980 has 29 days" in page
    assert "“ZZ” is not a known country" in page
    assert Person.objects.count() == 0


def test_edit_person_records_history(records, client_for):  # type: ignore[no-untyped-def]
    person = records["internal"]["person"]
    name = person.names.get()
    client = client_for("researcher")
    data = person_post(**{
        "primary_name": "Rustam Internalov", "dob": "1980-05-02", "nationalities": ["UZ"],
        "names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "1", "names-0-id": str(name.pk),
        "names-0-person": str(person.pk), "names-0-full_name": "Рустам Интерналов", "names-0-kind": "native",
    })
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    name.refresh_from_db()
    assert name.full_name == "Рустам Интерналов"
    person.refresh_from_db()
    assert person.status_abroad == "refugee" and person.history.count() == 2


def test_duplicates_page_is_for_curators_and_lists_visible_pairs(records, client_for):  # type: ignore[no-untyped-def]
    twin = Person.objects.create(primary_name="Rustam Internalov", dob="1980-05-02", nationalities=["UZ"],
                                 confidentiality="internal")
    PersonName.objects.create(person=twin, full_name="Рустам Интерналов")
    assert client_for("researcher").get(reverse("registry:duplicates")).status_code == 403
    assert client_for("researcher").post(reverse("registry:duplicates")).status_code == 403
    response = client_for("editor").get(reverse("registry:duplicates"))
    assert response.context["stored"].stale and not response.context["stored"].pairs  # not compared yet
    assert client_for("editor").post(reverse("registry:duplicates")).status_code == 302  # a job compares them
    run_queued()
    response = client_for("editor").get(reverse("registry:duplicates"))
    assert not response.context["stored"].stale
    pairs = {(p.first.pk, p.second.pk) for p in response.context["stored"].pairs}
    assert (records["internal"]["person"].pk, twin.pk) in pairs
    # An editor outside the confidential record's team gets no pair that includes it.
    response = client_for("outsider").get(reverse("registry:duplicates"))
    hidden = records["confidential"]["person"].pk
    assert all(hidden not in (p.first.pk, p.second.pk) for p in response.context["stored"].pairs)


def test_organisation_and_relationship_forms(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for("researcher")
    response = client.post(reverse("registry:organisation_new"), {
        "name": "State Security Service", "aliases": "СГБ\nSGB", "kind": "security_service", "country": "TJ",
        "confidentiality": "public"})
    assert response.status_code == 302
    org = Organisation.objects.get(name="State Security Service")
    assert org.aliases == ["СГБ", "SGB"]
    person = records["public"]["person"]
    response = client.post(reverse("registry:relationship_new"), {
        "subject_person": str(person.pk), "kind": "informant_for", "object_organisation": str(org.pk),
        "start": "2015", "confidentiality": "internal"})
    assert response.status_code == 302
    assert Relationship.objects.filter(subject_person=person, object_organisation=org).exists()
    # Two subjects, or none, is a clear error.
    page = client.post(reverse("registry:relationship_new"), {
        "subject_person": str(person.pk), "subject_organisation": str(org.pk), "kind": "associate",
        "object_person": str(person.pk), "confidentiality": "internal"}).content.decode()
    assert "Choose exactly one person or one organisation" in page
    page = client.post(reverse("registry:organisation_new"), {
        "name": "X", "kind": "party", "country": "Atlantis", "confidentiality": "public"}).content.decode()
    assert "“Atlantis” is not a known country" in page


@pytest.mark.parametrize(("primary", "other", "kind"), [
    ("Mukhiddin Kabiri", "Мухиддин Кабири", "native"),  # another script than Latin: the native form
    ("Мухиддин Кабири", "Mukhiddin Kabiri", "transliteration"),  # Latin, of a person filed in Cyrillic
    ("Mukhiddin Kabiri", "Muhiddin Kabiri", "alias"),  # Latin of a person filed in Latin
])
def test_a_name_whose_kind_is_left_empty_takes_it_from_the_scripts(users, client_for, primary, other,  # type: ignore[no-untyped-def]
                                                                    kind) -> None:
    response = client_for("researcher").post(reverse("registry:person_new"), person_post(**{
        "primary_name": primary, "names-0-full_name": other, "names-0-language": "", "names-0-kind": "",
        "names-1-kind": "", "not_a_duplicate": "on"}))
    assert response.status_code == 302
    assert PersonName.objects.get().kind == kind


def test_every_name_input_is_named_for_screen_readers(users, client_for) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Mukhiddin Kabiri", confidentiality="internal")
    PersonName.objects.create(person=person, full_name="Мухиддин Кабири", kind="native")
    page = client_for("researcher").get(reverse("registry:person_edit", args=[person.pk])).content.decode()
    import re

    inputs = re.findall(r"<(?:input|select)[^>]*name=\"names-\d+-[^\"]+\"[^>]*>", page)
    visible = [tag for tag in inputs if 'type="hidden"' not in tag]
    assert len(visible) == 3 * 6 + 1  # three rows of six fields, and the remove box of the stored name
    assert all("aria-label=" in tag for tag in visible)
    assert '<option value="native" selected>' in page  # a stored name keeps its kind
