"""The demo workspace's fictional vendors, products, deployments and licences."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_workspace_has_vendors_licences_and_a_customer_perpetrator(settings, tmp_path) -> None:
    from shelter import demo
    from shelter.analytics.briefing import build_briefing
    from shelter.analytics.services import Audience
    from shelter.surveillance.assessment import AssessmentRequest, assess_records
    from shelter.surveillance.models import Deployment, IncidentProduct, LicenceDecision, Product, Vendor

    settings.SHELTER_HOME = tmp_path
    demo.load_demo_workspace(lambda message: None)
    assert Vendor.objects.count() == 4 and Product.objects.count() == 3
    assert Vendor.objects.get(name="Demo Vector Intrusion Ltd").parent.name == "Demo Holding Nimbus SA"
    assert Deployment.objects.filter(agency__kind="security_service").count() == 3
    assert LicenceDecision.objects.filter(decision="denied").count() == 2
    assert IncidentProduct.objects.exists()
    data = assess_records(AssessmentRequest.from_mapping({"product": "Nightjar", "destination": "UZ",
                                                          "assessing_state": "DE"}), None)
    answers = {item["id"]: item["answer"] for item in data["indicators"]}
    assert answers["EX-01"] == answers["EX-02"] == answers["EX-09"] == "present"
    public = build_briefing("UZ", Audience(None, public=True))
    assert public.suppliers is not None and {line.product for line in public.suppliers.lines} == {
        "Demo Nightjar", "Demo Sieve DPI"}
    demo.load_demo_workspace(lambda message: None)
    assert Vendor.objects.count() == 4
