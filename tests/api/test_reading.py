"""Reading through the API: lists, filters, full-text, detail, and hidden records answering 404."""

from __future__ import annotations

import pytest

from shelter.api import listing
from tests.api.conftest import ROLES, VISIBLE

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["title"].removeprefix("Incident ") for item in body["items"]}


@pytest.mark.parametrize("role", ROLES)
def test_incident_list_shows_exactly_what_the_role_may_see(role, call, records):  # type: ignore[no-untyped-def]
    assert _titles(call(role, "GET", "incidents/")) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_a_hidden_record_is_404_like_a_missing_one(role, call, records):  # type: ignore[no-untyped-def]
    missing = call(role, "GET", "incidents/999999")
    assert missing.status_code == 404
    for key in VISIBLE["admin"]:
        response = call(role, "GET", f"incidents/{records[key].pk}")
        if key in VISIBLE[role]:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            assert response.json() == missing.json()


def test_incident_item_carries_the_documented_fields(call, records):  # type: ignore[no-untyped-def]
    item = call("admin", "GET", "incidents/").json()["items"][0]
    for field in ("id", "title", "tactic", "origin_state", "host_country", "confidentiality"):
        assert field in item


def test_related_lists_are_filtered_for_the_caller(call, records):  # type: ignore[no-untyped-def]
    incident = records["public_published"]
    seen_by_researcher = call("researcher", "GET", f"incidents/{incident.pk}").json()
    assert {t["person"] for t in seen_by_researcher["targets"]} == {records["person_public"].pk,
                                                                     records["person_secret"].pk}
    assert len(seen_by_researcher["citations"]) == 2
    for role in ("viewer", "editor"):
        body = call(role, "GET", f"incidents/{incident.pk}").json()
        assert [t["person"] for t in body["targets"]] == [records["person_public"].pk]
        assert [c["source"] for c in body["citations"]] == [records["source_public"].pk]
    anonymous = call(None, "GET", f"incidents/{incident.pk}").json()
    assert [t["person"] for t in anonymous["targets"]] == [records["person_public"].pk]
    assert anonymous["citations"] == []  # the court record is public but not published
    assert anonymous["teams"] is None


@pytest.mark.parametrize(("query", "expected"), [
    ("tactic=detention", {"public_published", "internal"}),
    ("tactic=Interpol%20Red%20Notice", {"public_draft"}),
    ("origin_state=UZ", {"public_published", "internal", "confidential_alpha"}),
    ("origin_state=Uzbekistan&host_country=RU", {"internal"}),
    ("year=2022", {"confidential_alpha"}),
    ("confidentiality=confidential", {"confidential_alpha", "confidential_beta"}),
    ("verification=unverified&host_country=TR", {"public_published", "confidential_beta"}),
    ("q=istanbul&origin_state=UZ", {"public_published", "internal", "confidential_alpha"}),
    ("q=Стамбул", set()),
])
def test_filters_and_full_text(query, expected, call, records):  # type: ignore[no-untyped-def]
    assert _titles(call("admin", "GET", f"incidents/?{query}")) == expected


def test_filters_stay_inside_visibility(call, records):  # type: ignore[no-untyped-def]
    assert _titles(call("viewer", "GET", "incidents/?confidentiality=confidential")) == set()
    assert _titles(call(None, "GET", "incidents/?q=istanbul")) == {"public_published"}


def test_person_filter_does_not_reveal_hidden_links(call, records):  # type: ignore[no-untyped-def]
    secret = records["person_secret"].pk
    assert _titles(call("researcher", "GET", f"incidents/?person={secret}")) == {"public_published"}
    assert _titles(call("viewer", "GET", f"incidents/?person={secret}")) == set()


def test_paging(call, records):  # type: ignore[no-untyped-def]
    body = call("admin", "GET", "incidents/?limit=2&offset=1").json()
    assert body["count"] == 5 and len(body["items"]) == 2
    assert call("admin", "GET", "incidents/?limit=0").status_code == 422
    last = call("admin", "GET", "incidents/?limit=4&offset=3").json()
    assert (last["count"], len(last["items"])) == (5, 2)
    assert call("admin", "GET", "incidents/?limit=501").status_code == 422


def test_a_count_past_the_cap_stops_there_and_says_so(call, records, monkeypatch):  # type: ignore[no-untyped-def]
    exact = call("admin", "GET", "incidents/").json()
    assert (exact["count"], exact["count_capped"]) == (5, False)
    monkeypatch.setattr(listing, "COUNT_CAP", 5)
    assert call("admin", "GET", "incidents/").json()["count_capped"] is False  # exactly the cap: still exact
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    capped = call("admin", "GET", "incidents/?limit=2&offset=2").json()
    assert (capped["count"], capped["count_capped"], len(capped["items"])) == (3, True, 2)
    last_page = call("admin", "GET", "incidents/?limit=2&offset=4").json()  # counted from the page, past the cap
    assert (last_page["count"], last_page["count_capped"], len(last_page["items"])) == (3, True, 1)
    # the cap counts only what the caller may see, with the query and filters
    viewer = call("viewer", "GET", "incidents/?q=istanbul").json()
    assert viewer["count_capped"] is False and viewer["count"] == len(viewer["items"]) <= 3


@pytest.mark.parametrize("query", ["tactic=teleportation", "origin_state=Atlantis", "verification=probably",
                                   "year=soon"])
def test_bad_filters_are_422_naming_the_filter(query, call, records):  # type: ignore[no-untyped-def]
    response = call("admin", "GET", f"incidents/?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.content.decode()


def test_people_are_found_in_either_script(call, records):  # type: ignore[no-untyped-def]
    for query in ("Усманов", "usmanov", "alisher"):
        body = call(None, "GET", f"people/?q={query}").json()
        assert [p["primary_name"] for p in body["items"]] == ["Alisher Usmanov"]
    body = call("admin", "GET", "people/?nationality=UZ").json()
    assert [p["primary_name"] for p in body["items"]] == ["Alisher Usmanov"]
    assert call("viewer", "GET", f"people/{records['person_secret'].pk}").status_code == 404


def test_other_collections(call, records):  # type: ignore[no-untyped-def]
    assert call(None, "GET", "organisations/?kind=security_service").json()["count"] == 1
    assert call(None, "GET", "sources/").json()["count"] == 0
    assert call("viewer", "GET", "sources/").json()["count"] == 1
    assert call("researcher", "GET", "sources/?q=testimony").json()["count"] == 1
    assert call("admin", "GET", "relationships/").json() == {"items": [], "count": 0, "count_capped": False}


def test_token_auth(call, records, users):  # type: ignore[no-untyped-def]
    assert call(None, "GET", "incidents/", token="shl_not-a-real-token").status_code == 401
    assert call(None, "POST", "incidents/", body={"title": "x"}).status_code == 401
    users["viewer"].is_active = False
    users["viewer"].save()
    assert call("viewer", "GET", "incidents/").status_code == 401


def test_openapi_document(call):  # type: ignore[no-untyped-def]
    schema = call(None, "GET", "/api/v1/openapi.json").json()
    assert "/api/v1/incidents/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    assert {"limit", "offset", "q", "tactic", "origin_state", "host_country", "year"} <= parameters
    page = schema["components"]["schemas"]["Page_IncidentOut_"]["properties"]
    assert page["count_capped"]["type"] == "boolean" and f"{listing.COUNT_CAP:,}" in page["count"]["description"]
