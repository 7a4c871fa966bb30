"""The surveillance records in the Django admin go through the shared base: the visibility filter, the curator
rule, the audited write path and the filtered history, as the other apps' records do."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from shelter.incidents.models import Incident
from shelter.surveillance import services
from shelter.surveillance.models import (
    Deployment,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)
from shelter.web.curation_admin import VisibleToUserAdmin

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hidden(users, teams):  # type: ignore[no-untyped-def]
    """A confidential vendor and product of team alpha: the editor (alpha) sees them, the outsider does not."""
    editor = users["editor"]
    vendor = services.save_vendor(editor, {"name": "Alpha Confidential Intrusion", "country": "IT",
                                           "confidentiality": "confidential", "teams": ["alpha"]})
    product = services.save_product(editor, {"vendor": vendor.pk, "name": "Quiet Harvest",
                                             "capabilities": ["spyware"], "confidentiality": "confidential",
                                             "teams": ["alpha"]})
    return {"vendor": vendor, "product": product}


def test_every_surveillance_model_has_the_shared_admin() -> None:
    for model in (Vendor, Product, Deployment, LicenceDecision, SurveillanceCitation, IncidentProduct):
        assert isinstance(admin.site._registry[model], VisibleToUserAdmin), model


def test_lists_and_pages_pass_through_the_visibility_filter(users, hidden) -> None:  # type: ignore[no-untyped-def]
    listing = reverse("admin:surveillance_vendor_changelist")
    assert "Alpha Confidential Intrusion" in _signed_in(users["editor"]).get(listing).content.decode()
    outsider = _signed_in(users["outsider"])
    assert "Alpha Confidential Intrusion" not in outsider.get(listing).content.decode()
    for view in ("change", "history", "delete"):
        response = outsider.get(reverse(f"admin:surveillance_product_{view}", args=[hidden["product"].pk]))
        assert response.status_code in (302, 403, 404), view
        assert "Quiet Harvest" not in response.content.decode()
    editor = _signed_in(users["editor"])
    assert editor.get(reverse("admin:surveillance_product_change", args=[hidden["product"].pk])).status_code == 200
    assert editor.get(reverse("admin:surveillance_product_history", args=[hidden["product"].pk])).status_code == 200


def test_researchers_are_not_curators_here_either(users) -> None:  # type: ignore[no-untyped-def]
    response = _signed_in(users["researcher"]).get(reverse("admin:surveillance_vendor_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_hidden_product_cannot_be_linked_by_its_id(users, hidden) -> None:  # type: ignore[no-untyped-def]
    response = _signed_in(users["outsider"]).post(reverse("admin:surveillance_deployment_add"), {
        "product": str(hidden["product"].pk), "kind": "sale", "customer_state": "UZ", "agency_name": "",
        "date": "", "end_date": "", "description": "", "confidentiality": "internal"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Deployment.objects.exists()


def test_admin_saves_and_deletes_through_the_write_path(users) -> None:  # type: ignore[no-untyped-def]
    editor = _signed_in(users["editor"])
    response = editor.post(reverse("admin:surveillance_vendor_add"), {
        "name": "Admin Made Vendor", "aliases": '["AMV"]', "brands": "[]", "country": "FR", "description": "",
        "confidentiality": "internal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    vendor = Vendor.objects.get(name="Admin Made Vendor")
    assert vendor.aliases == ["AMV"] and vendor.history.first().history_user == users["editor"]
    bad = editor.post(reverse("admin:surveillance_product_add"), {
        "vendor": str(vendor.pk), "name": "Box", "aliases": "[]", "capabilities": '["teleportation"]',
        "control_entries": "[]", "description": "", "confidentiality": "internal"})
    assert bad.status_code == 200 and "unknown capability teleportation" in bad.content.decode()
    assert not Product.objects.exists()
    editor.post(reverse("admin:surveillance_vendor_delete", args=[vendor.pk]), {"post": "yes"})
    vendor.refresh_from_db()
    assert vendor.deleted is not None  # marked deleted, kept for admins, as every restricted record


def test_an_incident_link_made_in_the_admin_is_recorded_under_the_curator(users) -> None:  # type: ignore[no-untyped-def]
    vendor = services.save_vendor(users["editor"], {"name": "V", "confidentiality": "internal"})
    product = services.save_product(users["editor"], {"vendor": vendor.pk, "name": "P",
                                                      "confidentiality": "internal"})
    incident = Incident.objects.create(title="Border detention", tactic="detention", date="2022", origin_state="UZ",
                                       confidentiality="internal")
    response = _signed_in(users["editor"]).post(reverse("admin:surveillance_incidentproduct_add"), {
        "incident": str(incident.pk), "product": str(product.pk), "note": "IMSI catcher traced the phone"})
    assert response.status_code == 302
    link = IncidentProduct.objects.get()
    assert link.history.first().history_user == users["editor"]
