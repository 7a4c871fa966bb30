"""Surveillance records: writes through the write path, pages, API, history, links and the record-based
assessment."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from shelter.incidents.models import Incident, IncidentPerpetrator, Source
from shelter.registry.models import Organisation
from shelter.surveillance import services
from shelter.surveillance.assessment import AssessmentRequest, assess_records
from shelter.surveillance.models import Deployment, IncidentProduct, LicenceDecision, Product, Vendor

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


@pytest.fixture
def world(users, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A fictional spyware vendor whose customer agency also perpetrated an incident against an exile."""
    with django_capture_on_commit_callbacks(execute=True):
        return _world(users)


def _world(users):  # type: ignore[no-untyped-def]
    editor = users["editor"]
    agency = Organisation.objects.create(name="State Security Service", aliases=["SSS"], kind="security_service",
                                         country="UZ", confidentiality="internal")
    source = Source.objects.create(title="Fictional lab report 2021", confidentiality="internal")
    vendor = services.save_vendor(editor, {"name": "Fictional Intrusion Ltd", "country": "IL",
                                           "aliases": ["FIL"], "confidentiality": "internal"})
    product = services.save_product(editor, {"vendor": vendor.pk, "name": "Pegasus", "family": "Pegasus",
                                             "capabilities": ["spyware"], "control_entries": ["4.A.5", "4.D.4"],
                                             "confidentiality": "internal"})
    deployment = services.save_deployment(editor, {"product": product.pk, "kind": "confirmed_use",
                                                   "customer_state": "UZ", "agency": agency.pk, "date": "2021-03",
                                                   "confidentiality": "internal"})
    services.set_citations(editor, deployment, [{"source": source.pk, "locator": "p. 4"}])
    incident = Incident.objects.create(title="Exile's phone infected", tactic="spyware", date="2021-05",
                                       origin_state="UZ", host_country="DE", confidentiality="internal")
    IncidentPerpetrator.objects.create(incident=incident, organisation=agency)
    services.link_incident(editor, incident.pk, product.pk, "forensic trace")
    return {"agency": agency, "vendor": vendor, "product": product, "deployment": deployment,
            "incident": incident, "source": source}


def test_writes_go_through_the_write_path(users) -> None:
    with pytest.raises(PermissionDenied):
        services.save_vendor(users["viewer"], {"name": "X"})
    with pytest.raises(ValidationError) as error:
        services.save_product(users["editor"], {"name": "No vendor"})
    assert "vendor" in error.value.message_dict
    vendor = services.save_vendor(users["editor"], {"name": "Acme", "confidentiality": "internal"})
    with pytest.raises(ValidationError) as error:
        services.save_product(users["editor"], {"vendor": vendor.pk, "name": "Box", "capabilities": ["teleport"]})
    assert "capabilities" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.save_licence(users["editor"], {"exporting_state": "DE", "destination": "UZ", "decision": "denied"})
    assert "product" in error.value.message_dict
    assert Product.objects.count() == 0 and LicenceDecision.objects.count() == 0
    assert vendor.history.first().history_user == users["editor"]


def test_a_hidden_vendor_cannot_be_linked(users) -> None:
    hidden = services.save_vendor(users["researcher"], {"name": "Beta Vendor", "confidentiality": "confidential",
                                                        "teams": ["beta"]})
    with pytest.raises(ValidationError) as error:
        services.save_product(users["editor"], {"vendor": hidden.pk, "name": "P"})
    assert "there is no surveillance vendor" in str(error.value)


def test_pegasus_customer_with_incidents_against_exiles_shows_risk(world, users) -> None:
    data = assess_records(AssessmentRequest.from_mapping(
        {"product": "pegasus", "destination": "Uzbekistan", "end_user": "SSS"}), users["editor"])
    answers = {item["id"]: item["answer"] for item in data["indicators"]}
    assert answers["EX-01"] == answers["EX-02"] == answers["EX-03"] == "present"
    assert answers["EX-04"] == answers["EX-05"] == answers["EX-06"] == "present"
    assert answers["EX-08"] == answers["EX-09"] == "unknown"
    evidence = {item["id"]: item["evidence"] for item in data["indicators"]}
    assert any("Fictional lab report 2021" in line for line in evidence["EX-02"])
    assert any("Exile's phone infected" in line for line in evidence["EX-04"])


def test_destination_with_no_record_is_unknown_not_absent(world, users) -> None:
    data = assess_records(AssessmentRequest.from_mapping({"product": "Unheard Of", "destination": "KZ"}),
                          users["editor"])
    assert {item["answer"] for item in data["indicators"]} == {"unknown"}
    assert data["product_found"] is False


def test_the_assessment_rests_only_on_what_the_viewer_may_see(world, users) -> None:
    data = assess_records(AssessmentRequest.from_mapping({"product": "Pegasus", "destination": "UZ"}),
                          users["viewer_public"])
    assert {item["answer"] for item in data["indicators"]} - {"unknown"} == {"present"}
    answers = {item["id"]: item["answer"] for item in data["indicators"]}
    assert answers["EX-02"] == answers["EX-06"] == "unknown"  # internal records hidden from public clearance


def test_earlier_denials_by_other_states(world, users) -> None:
    services.save_licence(users["editor"], {"exporting_state": "FR", "destination": "UZ", "decision": "denied",
                                            "control_entry": "4.A.5", "date": "2022", "confidentiality": "internal"})
    services.save_licence(users["editor"], {"exporting_state": "DE", "destination": "UZ", "decision": "denied",
                                            "control_entry": "5.A.1.j", "confidentiality": "internal"})
    data = assess_records(AssessmentRequest.from_mapping(
        {"product": "Pegasus", "destination": "UZ", "assessing_state": "DE"}), users["editor"])
    ex9 = next(item for item in data["indicators"] if item["id"] == "EX-09")
    assert ex9["answer"] == "present" and ex9["evidence"] == ["FR denied 4.A.5 (2022)"]


def test_vendor_on_an_imported_entity_list(world, users) -> None:
    from django.utils import timezone

    from shelter.watchlists.models import Watchlist, WatchlistEntry

    listed = Watchlist.objects.create(name="us-entity-list", title="US Entity List", confidentiality="internal")
    now = timezone.now()
    WatchlistEntry.objects.create(watchlist=listed, entity_id="x1", schema="Company", caption="FIL",
                                  names=["FIL", "Fictional Intrusion Limited"], first_seen=now, changed=now)
    data = assess_records(AssessmentRequest.from_mapping({"product": "Pegasus", "destination": "UZ"}),
                          users["editor"])
    ex8 = next(item for item in data["indicators"] if item["id"] == "EX-08")
    assert ex8["answer"] == "present" and "US Entity List" in ex8["evidence"][0]


def test_bad_assessment_input_names_the_field() -> None:
    with pytest.raises(ValidationError) as error:
        AssessmentRequest.from_mapping({"product": "P", "destination": "Atlantis"})
    assert "destination" in error.value.message_dict


def test_pages_show_customer_and_perpetrator(world, users) -> None:
    browser = Client()
    browser.force_login(users["editor"])
    vendor_page = browser.get(f"/surveillance/vendors/{world['vendor'].pk}/").content.decode()
    assert "State Security Service" in vendor_page and "Customer and perpetrator" in vendor_page
    assert "Exile&#x27;s phone infected" in vendor_page and "Fictional lab report" not in vendor_page
    deployment_page = browser.get(f"/surveillance/deployments/{world['deployment'].pk}/").content.decode()
    assert "Fictional lab report 2021" in deployment_page and "Customer and perpetrator" in deployment_page
    incident_page = browser.get(f"/incidents/{world['incident'].pk}/").content.decode()
    assert "Surveillance products used" in incident_page and "Pegasus" in incident_page
    agency_page = browser.get(f"/registry/organisations/{world['agency'].pk}/").content.decode()
    assert "Customer of surveillance technology" in agency_page and "Customer and perpetrator" in agency_page
    for url in ("/surveillance/", "/surveillance/products/?q=pegasus", "/surveillance/deployments/?kind=confirmed_use",
                "/surveillance/licences/", "/surveillance/assess/?product=Pegasus&destination=UZ"):
        response = browser.get(url)
        assert response.status_code == 200, url
    assert "Pegasus" in browser.get("/surveillance/products/?q=pegasus").content.decode()
    bad = browser.get("/surveillance/assess/?product=Pegasus&destination=Atlantis")
    assert bad.status_code == 400 and "destination" in bad.content.decode()


def test_forms_create_records(users) -> None:
    browser = Client()
    browser.force_login(users["editor"])
    response = browser.post("/surveillance/vendors/new/", {"name": "Form Vendor", "country": "IT",
                                                           "aliases": "FV\nForm V", "confidentiality": "internal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    vendor = Vendor.objects.get(name="Form Vendor")
    assert vendor.aliases == ["FV", "Form V"] and vendor.history.first().history_user == users["editor"]
    response = browser.post("/surveillance/products/new/", {"vendor": vendor.pk, "name": "Form Box",
                                                            "capabilities": ["imsi_catcher"],
                                                            "control_entries": ["5.A.1.f"],
                                                            "confidentiality": "internal"})
    assert response.status_code == 302
    product = Product.objects.get(name="Form Box")
    response = browser.post("/surveillance/deployments/new/", {"product": product.pk, "kind": "sale",
                                                               "customer_state": "UZ", "date": "2020-13",
                                                               "confidentiality": "internal"})
    assert response.status_code == 200 and Deployment.objects.count() == 0  # bad date: the form again
    viewer = Client()
    viewer.force_login(users["viewer"])
    assert viewer.post("/surveillance/vendors/new/", {"name": "Nope"}).status_code == 403


def test_api_round_trip(world, users) -> None:
    editor = _client(users["editor"])
    created = editor.post("/api/v1/surveillance/licences/", json.dumps({
        "exporting_state": "IT", "destination": "UZ", "decision": "granted", "product": world["product"].pk,
        "end_user": world["agency"].pk, "date": "2023-02", "confidentiality": "internal",
        "citations": [{"source": world["source"].pk, "locator": "annex"}]}), content_type="application/json")
    assert created.status_code == 201, created.content
    licence = created.json()
    assert licence["citations"] == [{"source": world["source"].pk, "locator": "annex"}]
    listed = editor.get("/api/v1/surveillance/licences/", {"destination": "Uzbekistan"}).json()
    assert listed["count"] == 1
    bad = editor.post("/api/v1/surveillance/deployments/", json.dumps({
        "product": world["product"].pk, "kind": "sale", "customer_state": "Atlantis"}),
        content_type="application/json")
    assert bad.status_code == 422 and "customer_state" in bad.content.decode()
    assessed = editor.post("/api/v1/surveillance/assess", json.dumps({"product": "Pegasus", "destination": "UZ"}),
                           content_type="application/json")
    assert assessed.status_code == 200 and assessed.json()["present"] >= 5
    memo = editor.post("/api/v1/surveillance/assess/memo.html", json.dumps({"product": "<b>x</b>",
                                                                           "destination": "UZ"}),
                       content_type="application/json")
    assert memo.status_code == 200 and "<b>x</b>" not in memo.content.decode()
    suppliers = editor.get("/api/v1/surveillance/suppliers/UZ").json()
    assert suppliers[0]["vendor"] == "Fictional Intrusion Ltd"
    assert suppliers[0]["deployments"][0]["also_perpetrator"] is True
    hidden = _client(users["viewer_public"]).get(f"/api/v1/surveillance/products/{world['product'].pk}")
    assert hidden.status_code == 404
    assert IncidentProduct.objects.count() == 1


def test_spyware_family_in_a_triage_verdict_leads_to_product_and_vendor(world, users) -> None:
    from shelter.surveillance.sections import families_to_records
    from shelter.threats.models import ThreatReport

    report = ThreatReport.objects.create(kind="value", subject="hxxp://bad.example", verdict="malicious", score=90,
                                         report={"verdict": {"spyware": ["NSO Group Pegasus", "Hermit"]}},
                                         confidentiality="internal")
    browser = Client()
    browser.force_login(users["editor"])
    page = browser.get(f"/threats/{report.pk}/").content.decode()
    assert "Spyware named: vendor and product" in page
    assert f"/surveillance/products/{world['product'].pk}/" in page and "Fictional Intrusion Ltd" in page
    assert "RCS Lab" in page  # Hermit: the project's map, no product record
    hidden = families_to_records(["Pegasus"], users["viewer_public"])
    assert hidden[0]["family"].vendor == "NSO Group" and hidden[0]["products"] == []


def test_memo_as_pdf(world, users) -> None:
    browser = Client()
    browser.force_login(users["editor"])
    response = browser.get("/surveillance/assess/?product=Pegasus&destination=UZ&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="licence-assessment-UZ.pdf"'


def test_briefing_names_who_supplies_the_state(world, users) -> None:
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.services import Audience

    services.save_licence(users["editor"], {"exporting_state": "FR", "destination": "UZ", "decision": "denied",
                                            "control_entry": "4.A.5", "end_user_name": "ZQ Ministry",
                                            "confidentiality": "internal"})
    briefing = build_briefing("UZ", Audience(users["editor"]))
    line = briefing.suppliers.lines[0]
    assert (line.vendor, line.product, line.agency, line.agency_incidents) == (
        "Fictional Intrusion Ltd", "Pegasus", "State Security Service", 1)
    assert briefing.as_json()["suppliers"]["licences"][0]["end_user"] == "ZQ Ministry"
    html = render_html(briefing)
    assert "Who supplies this state" in html and "Fictional Intrusion Ltd" in html
    # the public briefing sees published public records only: none here
    assert build_briefing("UZ", Audience(None, public=True)).suppliers is None
    assert build_briefing("KZ", Audience(users["editor"])).suppliers is None


def test_the_search_page_finds_vendors_and_products(world, users) -> None:
    browser = Client()
    browser.force_login(users["editor"])
    page = browser.get("/search/", {"q": "fictional intrusion"}).content.decode()
    assert "Surveillance vendors" in page and f"/surveillance/vendors/{world['vendor'].pk}/" in page
    public = Client().get("/search/", {"q": "fictional intrusion"}).content.decode()
    assert "Fictional Intrusion Ltd" not in public


def test_api_names_a_product_in_an_incident(world, users) -> None:
    editor = _client(users["editor"])
    other = Incident.objects.create(title="Second phishing", tactic="phishing", date="2022", origin_state="UZ",
                                    confidentiality="internal")
    url = f"/api/v1/surveillance/products/{world['product'].pk}/incidents"
    named = editor.post(url, json.dumps({"incident": other.pk, "note": "MVT trace"}), content_type="application/json")
    assert named.status_code == 201 and named.json() == {"incident": other.pk, "product": world["product"].pk,
                                                         "note": "MVT trace"}
    assert {link["incident"] for link in editor.get(url).json()} == {world["incident"].pk, other.pk}
    missing = editor.post(url, json.dumps({"incident": 999999}), content_type="application/json")
    assert missing.status_code == 422 and "incident" in missing.content.decode()
    hidden = _client(users["viewer_public"]).get(url)
    assert hidden.status_code == 404
    assert _client(users["viewer"]).post(url, json.dumps({"incident": other.pk}),
                                         content_type="application/json").status_code == 403
    assert editor.delete(f"{url}/{other.pk}").status_code == 204
    assert not IncidentProduct.objects.filter(incident=other).exists()


def test_pages_in_russian(world, users) -> None:
    from django.conf import settings

    browser = Client()
    browser.force_login(users["editor"])
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    product = browser.get(f"/surveillance/products/{world['product'].pk}/").content.decode()
    assert "Семейство шпионского ПО" in product and "шпионское ПО (средства вторжения)" in product
    assessed = browser.get("/surveillance/assess/", {"product": "Pegasus", "destination": "UZ"}).content.decode()
    assert "<td>есть</td>" in assessed
    assert "Государству назначения уже поставлялись средства слежки" in assessed and "неизвестно" in assessed
    vendor = browser.get(f"/surveillance/vendors/{world['vendor'].pk}/").content.decode()
    assert "Заказчик и исполнитель" in vendor and "Организация в реестре" in vendor


def test_export_download(world, users) -> None:
    browser = Client()
    browser.force_login(users["editor"])
    response = browser.get("/surveillance/export/", {"format": "csv", "kind": "deployments"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('surveillance-deployments.csv"')
    assert response.content.decode().splitlines()[1].startswith(f"{world['deployment'].pk},Fictional Intrusion Ltd")
    assert browser.get("/surveillance/export/", {"format": "csv"}).status_code == 400
    assert browser.get("/surveillance/export/", {"format": "xml"}).status_code == 400
    assert "Pegasus" not in Client().get("/surveillance/export/", {"format": "json"}).content.decode()


def test_delete_and_history_pages_take_the_surveillance_kinds(world, users) -> None:
    curator = Client()
    curator.force_login(users["editor"])
    product = world["product"]
    assert curator.get(f"/records/product/{product.pk}/delete/").status_code == 200
    response = curator.post(f"/records/product/{product.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/surveillance/products/"
    assert not Product.objects.filter(pk=product.pk).exists()  # in the trash: hidden with its deployments
    assert not Deployment.objects.filter(pk=world["deployment"].pk).exists()
    researcher = Client()
    researcher.force_login(users["researcher"])
    assert researcher.post(f"/records/vendor/{world['vendor'].pk}/delete/").status_code == 403


def test_a_public_briefing_says_a_small_agency_count_in_words(world, users) -> None:
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.services import Audience

    for record in (world["agency"], world["vendor"], world["product"], world["deployment"], world["incident"]):
        type(record).objects.filter(pk=record.pk).update(confidentiality="public", published=True)
    for language, words in (("en", "fewer than 3"), ("ru", "меньше 3")):
        briefing = build_briefing("UZ", Audience(None, public=True), language=language)
        line = briefing.suppliers.lines[0]
        assert line.agency_incidents == words
        assert words in render_html(briefing)
    assert build_briefing("UZ", Audience(users["editor"])).suppliers.lines[0].agency_incidents == 1
