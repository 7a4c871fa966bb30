"""Incidents of any tactic can name the product used, not only digital ones: an IMSI catcher that located an exile
before a detention is named on the incident as spyware on a phone is."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shelter.incidents.models import Incident
from shelter.surveillance import services
from shelter.surveillance.assessment import AssessmentRequest, assess_records
from shelter.surveillance.models import IncidentProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def catcher(users):  # type: ignore[no-untyped-def]
    editor = users["editor"]
    vendor = services.save_vendor(editor, {"name": "Fictional Cellular Systems", "confidentiality": "internal"})
    product = services.save_product(editor, {"vendor": vendor.pk, "name": "Fictional Catcher",
                                             "capabilities": ["imsi_catcher"], "confidentiality": "internal"})
    detention = Incident.objects.create(title="Exile detained after his phone was located", tactic="detention",
                                        date="2023-02", origin_state="TJ", host_country="RU",
                                        confidentiality="internal")
    abduction = Incident.objects.create(title="Journalist abducted", tactic="rendition", date="2023-06",
                                        origin_state="TJ", host_country="TR", confidentiality="internal")
    return {"product": product, "detention": detention, "abduction": abduction}


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_physical_incident_names_the_product_through_the_service(users, catcher) -> None:  # type: ignore[no-untyped-def]
    link = services.link_incident(users["editor"], catcher["detention"].pk, catcher["product"].pk,
                                  "location traced by IMSI catcher")
    assert link.incident.tactic == "detention" and link.history.first().history_user == users["editor"]


def test_the_product_page_names_it_in_a_non_digital_incident(users, catcher) -> None:  # type: ignore[no-untyped-def]
    editor = _signed_in(users["editor"])
    response = editor.post(f"/surveillance/products/{catcher['product'].pk}/incidents/",
                           {"incident": str(catcher["abduction"].pk), "note": "court file"})
    assert response.status_code == 302
    assert IncidentProduct.objects.filter(incident=catcher["abduction"], product=catcher["product"]).exists()
    incident_page = editor.get(f"/incidents/{catcher['abduction'].pk}/").content.decode()
    assert "Fictional Catcher" in incident_page and "Fictional Cellular Systems" in incident_page
    product_page = editor.get(f"/surveillance/products/{catcher['product'].pk}/").content.decode()
    assert "Journalist abducted" in product_page


def test_the_api_names_it_in_a_non_digital_incident(users, catcher) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(users['editor'])}"})
    url = f"/api/v1/surveillance/products/{catcher['product'].pk}/incidents"
    named = client.post(url, json.dumps({"incident": catcher["detention"].pk}), content_type="application/json")
    assert named.status_code == 201 and named.json()["incident"] == catcher["detention"].pk


def test_the_assessment_counts_it_in_ex05_but_not_as_digital(users, catcher) -> None:  # type: ignore[no-untyped-def]
    services.link_incident(users["editor"], catcher["detention"].pk, catcher["product"].pk)
    data = assess_records(AssessmentRequest.from_mapping({"product": "Fictional Catcher", "destination": "TJ"}),
                          users["editor"])
    answers = {item["id"]: item for item in data["indicators"]}
    assert answers["EX-05"]["answer"] == "present"
    assert any(f"#{catcher['detention'].pk} " in line for line in answers["EX-05"]["evidence"])
    assert answers["EX-03"]["answer"] == "unknown"  # a detention is not a digital incident
    assert answers["EX-06"]["evidence"] == ["detention: 1 incident(s)", "rendition: 1 incident(s)"]
