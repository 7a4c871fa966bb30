"""The network page in a real browser: the graph is drawn from the vendored library (no network access), the
kind filter hides links in the graph and the table alike, a node's links are added in place, and the view is
saved as PNG and SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_network_page_draws_filters_expands_and_saves(live_server: Any, page: Any, tmp_path: Path,
                                                     screenshot_dir: Path | None) -> None:
    from shelter.incidents.models import Incident, IncidentPerpetrator, IncidentTarget
    from shelter.registry.models import Organisation, Person, Relationship

    public = {"confidentiality": "public", "published": True}
    agency = Organisation.objects.create(name="Security Service", kind="security_service", country="UZ", **public)
    handler = Person.objects.create(primary_name="Handler Karimov", **public)
    informant = Person.objects.create(primary_name="Informant Aliev", **public)
    exile = Person.objects.create(primary_name="Exile Nazarova", **public)
    cousin = Person.objects.create(primary_name="Cousin Nazarov", **public)
    hidden = Person.objects.create(primary_name="Hidden Source", confidentiality="internal")
    Relationship.objects.create(kind="employed_by", detail="handler", subject_person=handler,
                                object_organisation=agency, start="2016", **public)
    Relationship.objects.create(kind="informant_for", subject_person=informant, object_person=handler, start="2019",
                                **public)
    Relationship.objects.create(kind="informant_for", subject_person=hidden, object_person=handler, **public)
    Relationship.objects.create(kind="family", detail="cousin", subject_person=cousin, object_person=exile, **public)
    incident = Incident.objects.create(title="Surveillance of a meeting", tactic="surveillance", date="2020-04",
                                       origin_state="UZ", host_country="TR", **public)
    IncidentTarget.objects.create(incident=incident, person=exile)
    IncidentPerpetrator.objects.create(incident=incident, person=informant, degree="direct")

    blocked = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
               else (blocked.append(route.request.url), route.abort()))
    page.goto(f"{live_server.url}/network/person/{handler.pk}/?hops=2")
    page.wait_for_selector("#network-graph[data-ready]")
    assert page.get_attribute("#network-graph", "data-ready") == "4"  # handler, agency, informant, incident
    assert page.locator("#network-graph canvas").count() >= 1
    assert "Hidden Source" not in page.content()
    assert page.locator("#network-links tbody tr").count() == 3

    page.uncheck("input[name=edge-kind][value=informant_for]")
    assert page.locator("#network-links tbody tr[data-kind=informant_for]").is_hidden()
    assert page.locator("#network-status").inner_text().startswith("2 / 3 links shown")
    page.check("input[name=edge-kind][value=informant_for]")
    page.fill("#year-from", "2021")
    # the open relationships (2016–, 2019–) reach 2021; the 2020 incident does not
    assert page.locator("#network-status").inner_text().startswith("2 / 3 links shown")
    assert page.locator("#network-links tbody tr[data-kind=perpetrator]").is_hidden()
    page.fill("#year-from", "")

    page.click(f"button.network-expand[data-node='incident:{incident.pk}']")
    page.wait_for_selector("#network-graph[data-ready='5']")  # the exile joins
    assert page.locator("#network-links tbody tr").count() == 4
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "network-page.png"), full_page=True)
    assert page.locator("#network-links").inner_text().count("Exile Nazarova") == 1

    with page.expect_download() as png:
        page.click("#network-png")
    png_path = tmp_path / "network.png"
    png.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.click("#network-svg")
    svg_path = tmp_path / "network.svg"
    svg.value.save_as(svg_path)
    root = ElementTree.parse(svg_path).getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(texts) == sorted(["Handler Karimov", "Security Service", "Informant Aliev",
                                    "Surveillance of a meeting", "Exile Nazarova"])
    assert blocked == []
