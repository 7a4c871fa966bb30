"""What an API client sees when something is wrong: JSON ``{"detail": ...}`` for every error, a 422 naming the
query parameter for a bad one, and never a 500 for bad input."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, RequestFactory

from shelter.api import registry
from shelter.api.listing import MAX_ID, MAX_LIMIT, MAX_OFFSET
from shelter.api.routes import server_error
from shelter.incidents.models import Source

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "99999999999999999999999"


def _json(response) -> object:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


@pytest.mark.parametrize(("path", "parameter"), [
    ("notices/?offset=-1", "offset"),
    ("threats/reports?offset=-1", "offset"),
    ("incidents/?offset=-1", "offset"),
    (f"threats/reports?limit={MAX_LIMIT + 1}", "limit"),
    (f"threats/reports?limit={BEYOND_64_BITS}", "limit"),
    ("threats/reports?limit=0", "limit"),
    (f"notices/?limit={MAX_LIMIT + 1}", "limit"),
    ("people/?limit=0", "limit"),
    (f"organisations/?limit={MAX_LIMIT + 1}", "limit"),
    (f"sources/?limit={BEYOND_64_BITS}", "limit"),
    (f"incidents/?offset={BEYOND_64_BITS}", "offset"),
    (f"people/?offset={MAX_OFFSET + 1}", "offset"),
    (f"relationships/?offset={BEYOND_64_BITS}", "offset"),
    (f"notices/?offset={BEYOND_64_BITS}", "offset"),
    (f"threats/reports?offset={BEYOND_64_BITS}", "offset"),
    (f"incidents/?person={BEYOND_64_BITS}", "person"),
    (f"incidents/?organisation={BEYOND_64_BITS}", "organisation"),
    (f"relationships/?person={BEYOND_64_BITS}", "person"),
    (f"relationships/?organisation={MAX_ID + 1}", "organisation"),
    ("incidents/?person=0", "person"),
    ("incidents/?tactic=teleportation", "tactic"),
    ("incidents/?origin_state=Atlantis", "origin_state"),
    ("people/?status_abroad=elsewhere", "status_abroad"),
    ("sources/?confidentiality=secret", "confidentiality"),
])
def test_bad_query_parameters_are_422_naming_the_parameter(path, parameter, call, records):  # type: ignore[no-untyped-def]
    response = call("admin", "GET", path)
    assert response.status_code == 422, response.content[:300]
    detail = _json(response)["detail"]  # type: ignore[index]
    assert [error["loc"] for error in detail] == [["query", parameter]]
    assert detail[0]["msg"]


@pytest.mark.parametrize("path", [
    f"people/{BEYOND_64_BITS}", f"incidents/{BEYOND_64_BITS}", f"relationships/{BEYOND_64_BITS}",
    f"organisations/{BEYOND_64_BITS}", f"sources/{BEYOND_64_BITS}", f"sources/{BEYOND_64_BITS}/file",
    f"notices/{BEYOND_64_BITS}", f"notices/{BEYOND_64_BITS}/matches", f"threats/reports/{BEYOND_64_BITS}",
    "people/-1",
])
def test_an_id_beyond_64_bits_is_not_found_like_any_missing_record(path, call, records):  # type: ignore[no-untyped-def]
    response = call("admin", "GET", path)
    assert response.status_code == 404
    assert _json(response) == {"detail": "Not Found"}


def test_the_largest_offset_and_id_still_answer(call, records):  # type: ignore[no-untyped-def]
    empty = {"items": [], "count_capped": False}
    assert call("admin", "GET", f"incidents/?offset={MAX_OFFSET}").json() == {**empty, "count": 5}
    assert call("admin", "GET", f"incidents/?person={MAX_ID}").json() == {**empty, "count": 0}
    assert call("admin", "GET", f"notices/?offset={MAX_OFFSET}&limit={MAX_LIMIT}").json()["results"] == []
    assert call("admin", "GET", f"threats/reports?offset={MAX_OFFSET}").json() == {"items": [], "count": 0}


def test_bounds_are_in_the_openapi_document(call):  # type: ignore[no-untyped-def]
    paths = call(None, "GET", "/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/incidents/", "/api/v1/people/", "/api/v1/notices/", "/api/v1/threats/reports"):
        parameters = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, MAX_LIMIT)
        assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, MAX_OFFSET)
    incident_filters = {p["name"]: p["schema"] for p in paths["/api/v1/incidents/"]["get"]["parameters"]}
    assert incident_filters["person"]["anyOf"][0]["maximum"] == MAX_ID


def test_an_unknown_api_path_answers_json_and_pages_stay_pages(call, client, db):  # type: ignore[no-untyped-def]
    response = call("admin", "GET", "/api/v1/no-such-collection/")
    assert response.status_code == 404
    assert _json(response) == {"detail": "Not Found"}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_request_refused_before_the_api_answers_json(db):  # type: ignore[no-untyped-def]
    response = Client(HTTP_HOST="attacker.example").get("/api/v1/incidents/")
    assert response.status_code == 400
    assert _json(response) == {"detail": "Bad Request"}


def _fault(*args: object) -> dict[str, object]:
    raise RuntimeError("secret internals: /srv/shelter/settings.py line 12")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_a_json_500_without_traceback(debug, call, records, monkeypatch, settings, caplog):  # type: ignore[no-untyped-def]
    settings.DEBUG = debug
    monkeypatch.setattr(registry, "person_record", _fault)
    with caplog.at_level(logging.ERROR, logger="shelter.api"):
        response = call("admin", "GET", "people/")
    assert response.status_code == 500
    detail = _json(response)["detail"]  # type: ignore[index]
    assert "reference" in detail and "secret internals" not in detail and "Traceback" not in detail
    reference = detail.split("reference ")[1].split(")")[0]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and "secret internals" in str(logged[0].exc_info[1])  # type: ignore[index]


def test_a_busy_database_is_a_503_to_retry(call, records, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    def locked(*args: object) -> dict[str, object]:
        raise OperationalError("database is locked")

    monkeypatch.setattr(registry, "person_record", locked)
    response = call("admin", "GET", "people/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "busy" in _json(response)["detail"]  # type: ignore[index]


def test_django_500_handler_answers_json_under_the_api_only(caplog):  # type: ignore[no-untyped-def]
    factory = RequestFactory()
    with caplog.at_level(logging.ERROR, logger="shelter.api"):
        response = server_error(factory.get("/api/v1/incidents/"))
    assert response.status_code == 500
    assert "reference" in _json(response)["detail"]  # type: ignore[index]
    page = server_error(factory.get("/incidents/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("digest", ["../../secret_key", "ab/" + "c" * 61, "/etc/passwd"])
def test_a_digest_holding_a_slash_is_refused_or_not_found(digest, call, records):  # type: ignore[no-untyped-def]
    created = call("editor", "POST", "sources/", {"title": "Claimed", "file_sha256": digest})
    assert created.status_code == 422
    assert "file_sha256" in str(_json(created))
    source = records["source_public"]
    Source.objects.filter(pk=source.pk).update(file_sha256=digest, file_name="x.pdf")
    download = call("admin", "GET", f"sources/{source.pk}/file")
    assert download.status_code == 404
    assert _json(download) == {"detail": "Not Found"}
