"""The briefing section on the structure of a state's operation abroad: agencies, handlers, host countries;
a public briefing names no person and withholds small counts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.network.conftest import LEVELS, SEES, Levels

pytestmark = pytest.mark.django_db


def _briefing(audience: Any) -> Any:
    from shelter.analytics.briefing import build_briefing

    return build_briefing("UZ", audience)


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_internal_briefing_counts_and_names_what_the_reader_may_see(role: str, levels: Levels, users: Any) -> None:
    from shelter.analytics.briefing import render_html
    from shelter.analytics.services import Audience

    briefing = _briefing(Audience(users[role]))
    section = briefing.operation_abroad
    seen = SEES[role]
    [agency] = [a for a in section.agencies if a.name == "HUB agency"]
    assert agency.incidents == len(seen) and agency.host_countries == len(seen)
    assert agency.people_acting == 1  # the handler, employed by it
    assert section.handlers == 1 and section.informants == len(seen) and section.host_countries == len(seen)
    assert section.handler_names == ("HUB handler",)
    assert briefing.as_json()["operation_abroad"]["informants"] == len(seen)
    html = render_html(briefing)
    assert "Structure of the operation abroad" in html and "HUB handler" in html
    for level in set(LEVELS) - seen:
        assert f"ZQPER{level}" not in html


def test_public_briefing_names_no_person_and_withholds_small_counts(levels: Levels, users: Any) -> None:
    from shelter.analytics.briefing import render_html
    from shelter.analytics.services import Audience
    from shelter.incidents.models import Incident, IncidentPerpetrator

    section = _briefing(Audience(users["admin"], public=True)).operation_abroad
    # one published incident: every count is below 3, and said in words
    assert section.handler_names == () and section.handlers == "fewer than 3" == section.host_countries
    assert [(a.name, a.incidents) for a in section.agencies] == [("HUB agency", "fewer than 3")]
    for year, host in ((2021, "KZ"), (2022, "AE"), (2023, "US")):
        incident = Incident.objects.create(title=f"Published {host}", tactic="detention", date=str(year),
                                           origin_state="UZ", host_country=host, confidentiality="public",
                                           published=True)
        IncidentPerpetrator.objects.create(incident=incident, person=levels.hub["handler"], degree="direct")
    briefing = _briefing(Audience(users["admin"], public=True))
    section = briefing.operation_abroad
    [agency] = section.agencies
    assert agency.incidents == 4 and agency.host_countries == 4  # DE, and three through its handler
    assert section.host_countries == 4 and len(section.host_country_names) == 4
    html = render_html(briefing)
    for name in ("HUB handler", "HUB friend", "ZQPER"):
        assert name not in html
    assert "No person is named in a public briefing" in html


def test_no_section_without_agencies_or_their_people(users: Any) -> None:
    from shelter.analytics.services import Audience

    assert _briefing(Audience(users["admin"])).operation_abroad is None
