"""Pages: dashboard, charts with CSV, state page with briefing downloads, and the agreement editor."""

from __future__ import annotations

import json

import pytest

from shelter.jobs.worker import run_queued
from tests.analytics.conftest import SECRET_MARK

pytestmark = pytest.mark.django_db


def _client_for(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_anonymous_visitors_get_the_public_version(client, workspace):  # type: ignore[no-untyped-def]
    page = client.get("/analytics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Public version" in html and SECRET_MARK not in html
    csv_text = client.get("/analytics/charts/by_host.csv").content.decode()
    for line in csv_text.splitlines()[1:]:
        count = line.rsplit(",", 1)[1]
        assert int(count) >= 3
    state = client.get("/analytics/states/UZ/")
    assert state.status_code == 200 and SECRET_MARK not in state.content.decode()
    assert "/analytics/agreements/" not in state.content.decode()  # no editing for anonymous visitors
    document = json.loads(client.get("/analytics/states/UZ/briefing.json").content)
    assert document["public"] is True and SECRET_MARK not in json.dumps(document)


def test_dashboard_filters_and_chart_endpoints_match_the_service(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.services import Audience, IncidentFilters, tables_for

    client = _client_for(client, users["editor"])
    query = "year_from=2016&year_to=2020&states=UZ&hosts=TR&hosts=RU"
    page = client.get(f"/analytics/?{query}")
    assert page.status_code == 200
    assert "Restricted" in page.content.decode()
    expected = tables_for(Audience(users["editor"]),
                          IncidentFilters(year_from=2016, year_to=2020, states=("UZ",), hosts=("TR", "RU")))
    for name in ("by_year", "flows", "returnee_outcomes"):
        assert client.get(f"/analytics/charts/{name}.csv?{query}").content.decode() == expected[name].csv()
    svg = client.get(f"/analytics/charts/by_tactic.svg?{query}")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert svg["Cache-Control"] == "private, no-store"
    assert client.get(f"/analytics/charts/by_tactic.png?{query}").content.startswith(b"\x89PNG")
    public_csv = client.get(f"/analytics/charts/by_host.csv?{query}&public=on").content.decode()
    assert all(int(c) >= 3 for c in (line.rsplit(",", 1)[1] for line in public_csv.splitlines()[1:]))

    bad = client.get("/analytics/?year_from=2020&year_to=2010")
    assert bad.status_code == 400 and "The first year (2020) is after the last (2010)." in bad.content.decode()
    assert client.get("/analytics/charts/by_year.csv?tactics=teleport").status_code == 400
    assert client.get("/analytics/charts/nothing.svg").status_code == 404
    assert client.get("/analytics/states/XX/").status_code == 404


def test_state_page_and_downloads_for_a_signed_in_reader(client, workspace, users):  # type: ignore[no-untyped-def]
    from shelter.incidents.models import Incident

    viewer = users["viewer"]
    client = _client_for(client, viewer)
    page = client.get("/analytics/states/UZ/?year_from=2014&year_to=2026").content.decode()
    assert "Germany" in page  # the internal agreement the viewer may see
    assert "briefing.pdf?year_from=2014&amp;year_to=2026" in page
    document = json.loads(client.get("/analytics/states/UZ/briefing.json?year_from=2014&year_to=2026").content)
    assert document["incidents_total"] == Incident.objects.visible_to(viewer).filter(
        origin_state="UZ", year__range=(2014, 2026)).count()
    assert client.get("/analytics/states/UZ/briefing.pdf").status_code == 202  # laid out by a worker first
    run_queued()
    pdf = client.get("/analytics/states/UZ/briefing.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.getvalue().startswith(b"%PDF")
    assert 'filename="briefing-UZ-restricted.pdf"' in pdf["Content-Disposition"]


def test_agreements_are_edited_by_editors_only_and_hidden_ones_answer_404(client, workspace, users, teams):  # type: ignore[no-untyped-def]
    from shelter.analytics.models import Agreement

    form = {"state": "TJ", "partner": "European Union", "name": "Enhanced PCA", "kind": "partnership",
            "status": "negotiating", "next_milestone": "Round 4", "next_milestone_date": "2027-03",
            "confidentiality": "confidential", "teams": [teams["beta"].pk]}
    viewer_client = _client_for(client, users["viewer"])
    assert viewer_client.get("/analytics/agreements/new/").status_code == 403
    assert viewer_client.post("/analytics/agreements/new/", form).status_code == 403

    client.force_login(users["researcher"])
    response = client.post("/analytics/agreements/new/", form)
    assert response.status_code == 302 and response["Location"] == "/analytics/states/TJ/"
    agreement = Agreement.objects.get(name="Enhanced PCA")
    assert agreement.history.exists() and agreement.published is False  # researchers cannot publish
    versions = agreement.history.count()

    invalid = client.post("/analytics/agreements/new/", {**form, "next_milestone_date": "31/02/2019"})
    assert invalid.status_code == 200 and "is not a date" in invalid.content.decode()

    client.force_login(users["outsider"])  # an editor outside team beta
    assert client.get(f"/analytics/agreements/{agreement.pk}/edit/").status_code == 404
    client.force_login(users["researcher"])
    edited = client.post(f"/analytics/agreements/{agreement.pk}/edit/", {**form, "status": "initialled"})
    assert edited.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "initialled" and agreement.history.count() > versions
    assert agreement.history.first().status == "initialled"

    # An editor's form offers only their own teams; saving it keeps the record's other teams.
    agreement.teams.add(teams["alpha"])
    assert client.post(f"/analytics/agreements/{agreement.pk}/edit/", form).status_code == 302
    assert set(agreement.teams.values_list("name", flat=True)) == {"alpha", "beta"}


def test_html_and_pdf_briefings_open_in_the_browser(client, workspace, users):  # type: ignore[no-untyped-def]
    client = _client_for(client, users["viewer"])
    html = client.get("/analytics/states/UZ/briefing.html")
    assert html["Content-Disposition"].startswith("inline;")
    assert html["Content-Type"].startswith("text/html")
    client.get("/analytics/states/UZ/briefing.pdf")
    run_queued()
    assert client.get("/analytics/states/UZ/briefing.pdf")["Content-Disposition"].startswith("inline;")
    assert client.get("/analytics/states/UZ/briefing.json")["Content-Disposition"].startswith("attachment;")
