"""The publishing guard on the pages: a public incident or source naming a person its readers may not see is not
saved until the writer confirms it; a person the writer may not see is never mentioned."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shelter.incidents.models import Incident, Source
from shelter.registry.models import Person
from tests.web.test_incident_form import incident_post

pytestmark = pytest.mark.django_db

WARNING = "whom its readers"


def test_a_published_incident_naming_an_internal_person_needs_a_confirmation(records, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("editor")
    data = incident_post(title="Rustam Internalov detained in Istanbul", confidentiality="public", published="on")
    warned = client.post(reverse("incidents:new"), data)
    assert warned.status_code == 200
    page = warned.content.decode()
    assert WARNING in page and "Rustam Internalov (internal)" in page and "anonymous visitors" in page
    assert not Incident.objects.filter(title__startswith="Rustam Internalov").exists()
    saved = client.post(reverse("incidents:new"), {**data, "confirm_names": "on"})
    assert saved.status_code == 302
    assert Incident.objects.filter(title__startswith="Rustam Internalov").exists()


def test_any_name_and_script_of_the_person_counts(records, client_for) -> None:  # type: ignore[no-untyped-def]
    data = incident_post(description="Witnesses saw рустам internalов taken away.", confidentiality="public")
    warned = client_for("editor").post(reverse("incidents:new"), data)
    assert WARNING in warned.content.decode() and "every signed-in user" in warned.content.decode()


def test_names_the_readers_may_see_need_no_confirmation(records, client_for) -> None:  # type: ignore[no-untyped-def]
    Person.objects.create(primary_name="Dilnoza Draftova", confidentiality="public", published=False)
    client = client_for("editor")
    # a draft is read by signed-in users, who see public people, published or not
    draft = incident_post(title="Rustam Publicov and Dilnoza Draftova detained", confidentiality="public")
    assert client.post(reverse("incidents:new"), draft).status_code == 302
    # an internal incident may name an internal person
    internal = incident_post(title="Rustam Internalov questioned", confidentiality="internal")
    assert client.post(reverse("incidents:new"), internal).status_code == 302
    published = incident_post(title="Dilnoza Draftova detained", confidentiality="public", published="on")
    warned = client.post(reverse("incidents:new"), published).content.decode()
    assert "Dilnoza Draftova (public, unpublished)" in warned


def test_a_person_the_writer_may_not_see_is_never_confirmed(records, client_for) -> None:  # type: ignore[no-untyped-def]
    """The researcher (team beta) cannot see team alpha's Rustam Confidentialov: naming him is answered exactly
    like naming nobody, so the guard cannot be used to learn that he exists."""
    client = client_for("researcher")
    hidden = client.post(reverse("incidents:new"), incident_post(
        title="Rustam Confidentialov detained", confidentiality="public", published="on"))
    nobody = client.post(reverse("incidents:new"), incident_post(
        title="Rustam Nobodyov detained", confidentiality="public", published="on"))
    assert hidden.status_code == nobody.status_code == 302
    assert client_for("editor").post(reverse("incidents:new"), incident_post(
        title="Rustam Confidentialov detained again", confidentiality="public")).status_code == 200


def test_the_source_form_has_the_same_guard(records, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("editor")
    data = {"title": "Interview", "kind": "testimony", "reliability": "high", "confidentiality": "public",
            "published": "on", "notes": "Rustam Confidentialov describes the raid."}
    warned = client.post(reverse("incidents:source_new"), data)
    assert warned.status_code == 200 and "Rustam Confidentialov (confidential)" in warned.content.decode()
    assert not Source.objects.filter(title="Interview").exists()
    assert client.post(reverse("incidents:source_new"), {**data, "confirm_names": "on"}).status_code == 302
    source = Source.objects.get(title="Interview")
    edit = {**data, "title": "Interview, revised"}
    assert client.post(reverse("incidents:source_edit", args=[source.pk]), edit).status_code == 200
    Source.objects.filter(pk=source.pk).update(confidentiality="internal")
    assert client.post(reverse("incidents:source_edit", args=[source.pk]),
                       {**edit, "confidentiality": "internal"}).status_code == 302


def test_the_warning_and_the_confirmation_speak_russian(records, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for("editor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    data = incident_post(title="Rustam Internalov detained in Istanbul", confidentiality="public", published="on")
    page = client.post(reverse("incidents:new"), data).content.decode()
    assert "всё равно опубликовать имена" in page
    assert "её читатели (анонимные посетители) видеть не должны" in page
    assert WARNING not in page
