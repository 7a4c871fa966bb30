"""History on every record page, in words, and revert for curators only: asked first, done by POST with CSRF."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shelter.incidents.models import Incident

pytestmark = pytest.mark.django_db


def edit_title(incident: Incident, title: str, user) -> None:  # type: ignore[no-untyped-def]
    incident.title = title
    incident._history_user = user  # type: ignore[attr-defined]
    incident.save()


def test_history_panel_shows_who_and_field_changes(records, users, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    edit_title(incident, "Detention in Ankara", users["researcher"])
    page = client_for("viewer").get(incident.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "researcher" in history and "changed" in history
    assert "Detention in Istanbul internal" in history and "Detention in Ankara" in history
    assert ">title<" in history  # the field's label
    assert "Revert to this version" not in history  # viewers do not revert


def test_editor_reverts_to_an_earlier_version(records, users, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    original = incident.history.order_by("history_date").first()
    edit_title(incident, "Wrong title", users["researcher"])
    client = client_for("editor")
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Revert to this version" in page
    url = reverse("web:revert", args=["incident", incident.pk, original.history_id])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    incident.refresh_from_db()
    assert incident.title == "Detention in Istanbul internal"
    latest = incident.history.first()
    assert latest.history_user == users["editor"]
    assert latest.history_change_reason == (f"reverted to the version of "
                                            f"{original.history_date:%Y-%m-%d %H:%M} UTC")


def test_revert_is_refused_to_researchers_and_viewers_and_asked_first(records, users, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    original = incident.history.order_by("history_date").first()
    edit_title(incident, "Changed", users["editor"])
    url = reverse("web:revert", args=["incident", incident.pk, original.history_id])
    assert client_for("researcher").post(url).status_code == 403
    assert client_for("viewer").post(url).status_code == 403
    assert client_for("researcher").get(url).status_code == 403
    asked = client_for("editor").get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Revert “Changed”?" in page and f"{original.history_date:%Y-%m-%d %H:%M}" in page
    assert '<form method="post">' in page
    incident.refresh_from_db()
    assert incident.title == "Changed"


def test_history_values_are_shown_in_words(records, users, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    incident.confidentiality = "public"
    incident.published = True
    incident._history_user = users["editor"]  # type: ignore[attr-defined]
    incident.save()
    page = client_for("viewer").get(incident.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "<td class=\"old\">Internal</td><td class=\"new\">Public</td>" in history
    assert "<td class=\"old\">no</td><td class=\"new\">yes</td>" in history
    assert "<td class=\"new\">public</td>" not in history


def test_revert_needs_the_csrf_token(records, users):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    original = incident.history.order_by("history_date").first()
    edit_title(incident, "Changed", users["editor"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    response = client.post(reverse("web:revert", args=["incident", incident.pk, original.history_id]))
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.title == "Changed"


def test_hidden_records_cannot_be_reverted_or_deleted(records, client_for):  # type: ignore[no-untyped-def]
    hidden = records["confidential"]["incident"]
    version = hidden.history.first()
    client = client_for("outsider")  # an editor outside team alpha
    assert client.post(reverse("web:revert", args=["incident", hidden.pk, version.history_id])).status_code == 404
    assert client.post(reverse("web:delete", args=["incident", hidden.pk])).status_code == 404
    assert Incident.objects.filter(pk=hidden.pk).exists()


def test_history_ids_of_another_record_are_refused(records, client_for):  # type: ignore[no-untyped-def]
    incident = records["internal"]["incident"]
    other = records["public"]["incident"].history.first()
    url = reverse("web:revert", args=["incident", incident.pk, other.history_id])
    assert client_for("editor").post(url).status_code == 404


def test_delete_by_curators_only(records, client_for):  # type: ignore[no-untyped-def]
    person = records["internal"]["person"]
    url = reverse("web:delete", args=["person", person.pk])
    assert client_for("researcher").post(url).status_code == 403
    client = client_for("editor")
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("registry:people")
    assert not type(person).objects.filter(pk=person.pk).exists()
    assert type(person).history.filter(id=person.pk, history_change_reason="deleted").exists()


def test_history_on_person_organisation_source_and_relationship_pages(records, users, client_for):  # type: ignore[no-untyped-def]
    client = client_for("editor")
    for kind in ("person", "organisation", "source"):
        record = records["internal"][kind]
        assert 'id="history"' in client.get(record.get_absolute_url()).content.decode(), kind
    relationship = records["relationship"]
    page = client.get(reverse("registry:relationship_edit", args=[relationship.pk])).content.decode()
    assert 'id="history"' in page


def test_the_reasons_shelter_writes_are_said_in_russian_on_the_history(records, users, client):  # type: ignore[no-untyped-def]
    """Imports, archived files, check-ins and decisions give their history entries reasons stored in English
    (shelter.stored_words); a Russian page says each of them in Russian, what is typed in them (a file's name)
    as typed."""
    from django.conf import settings
    from django.utils import translation

    from shelter.access.writes import DEMO_WORKSPACE, IMPORTED_FROM, save_audited
    from shelter.incidents.models import FILE_ARCHIVED
    from shelter.monitoring.models import INCIDENT_RECORDED
    from shelter.registry.candidates import DECIDED
    from shelter.stored_words import written
    from shelter.surveillance.models import IMPORTED as SURVEILLANCE_IMPORTED
    from shelter.watchlists.models import IMPORTED as WATCHLIST_IMPORTED

    written_in_english = {
        written(SURVEILLANCE_IMPORTED): "импорт записей о средствах слежки",
        written(WATCHLIST_IMPORTED): "импорт списка наблюдения",
        written(FILE_ARCHIVED): "файл помещён в архив",
        written(INCIDENT_RECORDED): "записан инцидент",
        written(DECIDED, decision="confirmed"): "решение: подтверждено: то же лицо",
        written(IMPORTED_FROM, source="incidents-2024.csv"): "импортировано из incidents-2024.csv",
        written(DEMO_WORKSPACE): "демонстрационные данные",
    }
    incident = records["public"]["incident"]
    with translation.override("ru"):  # a writer on a Russian page stores the English all the same
        for number, reason in enumerate(written_in_english):
            incident.description = f"version {number}"
            save_audited(incident, users["editor"], reason=reason)
    client.force_login(users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    for url in (incident.get_absolute_url(), reverse("admin:incidents_incident_history", args=[incident.pk])):
        page = client.get(url).content.decode()
        history = page[page.index("<em>"):]
        for english, russian in written_in_english.items():
            assert f"<em>{russian}</em>" in history, (url, russian)
            assert f"<em>{english}" not in history, (url, english)
        for english in ("import", "archived", "recorded", "decision", "demo"):
            assert f"<em>{english}" not in history, (url, english)
