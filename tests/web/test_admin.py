"""The Django admin applies the same visibility filter and role rules as every other path."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.registry.models import Organisation, Person, PersonName, Relationship

pytestmark = pytest.mark.django_db

MODELS = (Person, PersonName, Organisation, Relationship, Incident, IncidentTarget, IncidentPerpetrator, Source,
          Citation)


def test_every_model_is_registered_with_history() -> None:
    from simple_history.admin import SimpleHistoryAdmin

    from shelter.web.curation_admin import VisibleToUserAdmin

    for model in MODELS:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, VisibleToUserAdmin) and isinstance(model_admin, SimpleHistoryAdmin), model


def test_changelist_shows_only_visible_records(records, client_for):  # type: ignore[no-untyped-def]
    url = reverse("admin:incidents_incident_changelist")
    page = client_for("outsider").get(url).content.decode()
    assert "Detention in Istanbul internal" in page and "Detention in Istanbul confidential" not in page
    page = client_for("editor").get(url).content.decode()
    assert "Detention in Istanbul confidential" in page


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_hidden_record_cannot_be_opened_in_the_admin(records, client_for, view):  # type: ignore[no-untyped-def]
    hidden = records["confidential"]["person"]
    response = client_for("outsider").get(reverse(f"admin:registry_person_{view}", args=[hidden.pk]))
    assert response.status_code in (302, 403, 404)
    assert hidden.primary_name not in response.content.decode()
    assert client_for("editor").get(reverse(f"admin:registry_person_{view}", args=[hidden.pk])).status_code == 200


def test_hidden_version_cannot_be_opened_through_history(records, client_for):  # type: ignore[no-untyped-def]
    hidden = records["confidential"]["incident"]
    version = hidden.history.first()
    url = reverse("admin:incidents_incident_simple_history", args=[hidden.pk, version.history_id])
    response = client_for("outsider").get(url)
    assert response.status_code in (403, 404)
    assert client_for("editor").get(url).status_code == 200


def test_researchers_and_viewers_are_not_curators_in_the_admin(records, client_for):  # type: ignore[no-untyped-def]
    for who in ("researcher", "viewer"):
        response = client_for(who).get(reverse("admin:incidents_incident_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], who


def test_a_hidden_record_cannot_be_linked_by_its_id(records, client_for):  # type: ignore[no-untyped-def]
    before = Citation.objects.count()
    response = client_for("outsider").post(reverse("admin:incidents_citation_add"), {
        "source": str(records["confidential"]["source"].pk), "incident": str(records["internal"]["incident"].pk),
        "locator": "p. 1"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Citation.objects.count() == before
