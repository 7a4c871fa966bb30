"""The public home page: what Shelter is, the public figures with small counts withheld, and the latest
published incidents; nothing an anonymous visitor may not see."""

from __future__ import annotations

import pytest

from shelter.incidents.models import Incident

pytestmark = pytest.mark.django_db


def incident(title: str, level: str = "public", published: bool = True, origin: str = "UZ") -> Incident:
    return Incident.objects.create(title=title, tactic="detention", date="2021-03", origin_state=origin,
                                   host_country="TR", confidentiality=level, published=published)


def test_anonymous_visitors_see_public_figures_and_the_latest_published_incidents(client) -> None:  # type: ignore[no-untyped-def]
    for number in range(4):
        incident(f"Published detention {number}")
    incident("Single Tajik case", origin="TJ")
    incident("Internal detention", level="internal")
    incident("Draft detention", published=False)
    incident("Confidential detention", level="confidential", published=True)
    page = client.get("/").content.decode()
    assert "Published incidents: 5" in page
    assert "Published detention 3" in page and "Single Tajik case" in page
    assert "Internal detention" not in page and "Draft detention" not in page
    assert "Confidential detention" not in page
    # one incident from Tajikistan: a count under 3 is withheld, and so is Uzbekistan's, which with the total
    # would give it away; together they are "other states", 5
    assert "Tajikistan" not in page.split("Latest published incidents")[0] and ">x<" not in page
    assert "other states</th><td class=\"num\">5</td>" in page
    assert "Uzbekistan</th>" not in page


def test_signed_in_users_go_to_their_dashboard(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("viewer").get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_a_public_total_below_3_is_said_in_words_in_the_pages_language(client) -> None:  # type: ignore[no-untyped-def]
    incident("Published detention")
    incident("Published detention 2")
    page = client.get("/").content.decode()
    assert "Published incidents: fewer than 3" in page and ">x<" not in page and ": x<" not in page
    russian = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "меньше 3" in russian and "fewer than" not in russian
