"""Every main page of the demo workspace, as an administrator (who sees every record), in English and Russian, on a
laptop and on a phone: axe-core finds no critical or serious violation, no page scrolls sideways, no interface
string stays English on a Russian page, and the Content-Security-Policy refuses nothing (``Journey.visit``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace() -> dict[str, int]:
    """The fictional demo workspace, loaded as ``shelter demo`` loads it; the records the tour opens."""
    from shelter.demo.surveillance import add_demo_surveillance
    from shelter.demo.workspace import build_workspace, save_workspace
    from shelter.incidents.models import Incident, Source
    from shelter.monitoring.demo import add_demo_returnees
    from shelter.monitoring.models import MonitoringPlan
    from shelter.notices.demo import add_demo_notices
    from shelter.notices.models import Notice
    from shelter.registry.models import Organisation, Person
    from shelter.surveillance.models import Product, Vendor

    save_workspace(build_workspace(), lambda _: None)
    add_demo_returnees(lambda _: None)
    add_demo_surveillance(lambda _: None)
    add_demo_notices(lambda _: None)
    incident = Incident.objects.filter(targets__isnull=False, citations__isnull=False).order_by("pk").first()
    person = Person.objects.filter(names__script="Cyrl").order_by("pk").first()
    assert incident is not None and person is not None
    return {"incident": incident.pk, "person": person.pk,
            "organisation": Organisation.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
            "source": Source.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
            "notice": Notice.objects.filter(matches__isnull=False).order_by("pk").first().pk,  # type: ignore[union-attr]
            "vendor": Vendor.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
            "product": Product.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
            "plan": MonitoringPlan.objects.order_by("pk").first().pk}  # type: ignore[union-attr]


PAGES = (
    ("dashboard", "/dashboard/"),
    ("incidents", "/incidents/"),
    ("incident", "/incidents/{incident}/"),
    ("incident-edit", "/incidents/{incident}/edit/"),
    ("people", "/registry/people/"),
    ("person", "/registry/people/{person}/"),
    ("organisations", "/registry/organisations/"),
    ("organisation", "/registry/organisations/{organisation}/"),
    ("organisation-edit", "/registry/organisations/{organisation}/edit/"),
    ("sources", "/incidents/sources/"),
    ("source", "/incidents/sources/{source}/"),
    ("source-edit", "/incidents/sources/{source}/edit/"),
    ("search", "/search/?q=Karimov"),
    ("notices", "/notices/"),
    ("notice", "/notices/{notice}/"),
    ("notice-assessment", "/notices/{notice}/assessment/"),
    ("notice-dossier", "/notices/{notice}/dossier/"),
    ("notice-new", "/notices/new/"),
    ("threats", "/threats/"),
    ("threat-upload", "/threats/new/"),
    ("statistics", "/analytics/"),
    ("state", "/analytics/states/UZ/"),
    ("vendors", "/surveillance/"),
    ("vendor", "/surveillance/vendors/{vendor}/"),
    ("product", "/surveillance/products/{product}/"),
    ("deployments", "/surveillance/deployments/"),
    ("licences", "/surveillance/licences/"),
    ("assess", "/surveillance/assess/"),
    ("surveillance-import", "/surveillance/import/"),
    ("monitoring", "/monitoring/"),
    ("plan", "/monitoring/plans/{plan}/"),
    ("jobs", "/jobs/"),
    ("duplicates", "/registry/people/duplicates/"),
)


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_every_main_page_passes_the_checks(journey: Any, users: Any, workspace: dict[str, int], language: str,
                                           width: int) -> None:
    walk = journey(language, width)
    walk.sign_in("admin")
    for step, path in PAGES:
        response = walk.go(path.format(**workspace))
        assert response.status == 200, f"{step}: {path} answered {response.status}"
        walk.visit(step)
