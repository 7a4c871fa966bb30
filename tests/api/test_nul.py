"""A NUL character (``\\x00``) in a request is a 422 naming where it stands, from every router, before any endpoint
runs: no record can hold one, and PostgreSQL refuses to store or compare it (it was a 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.api.routes import api
from shelter.incidents.models import Incident
from shelter.notices.models import Notice
from shelter.registry.models import Person
from shelter.surveillance.models import Vendor

pytestmark = pytest.mark.django_db

NUL = "\x00"


def _text(schema: dict[str, Any]) -> bool:
    """A parameter read as text: a string, a choice of strings, or a list of them (null allowed)."""
    if schema.get("type") == "string" or all(isinstance(v, str) for v in schema.get("enum", [0])):
        return True
    if schema.get("type") == "array":
        return _text(schema.get("items", {}))
    return any(_text(branch) for branch in schema.get("anyOf", []) if branch.get("type") != "null")


def _filled(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    return "1" if "integer" in json.dumps(schema) and not _text(schema) else "x"


def _text_query_parameters() -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(path, parameter, other required query values, path values) for every GET operation's text query
    parameter in the OpenAPI document."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        values = {p["name"]: _filled(p) for p in parameters if p["in"] == "path"}
        url = path.format(**values)
        for parameter in parameters:
            if parameter["in"] == "query" and _text(parameter.get("schema", {})):
                required = {p["name"]: _filled(p) for p in parameters
                            if p["in"] == "query" and p.get("required") and p["name"] != parameter["name"]}
                found.append((url, parameter["name"], required, values))
    return found


TEXT_QUERIES = _text_query_parameters()


def _client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


def _refused(response: Any) -> list[list[Any]]:
    """The ``loc`` of each error of a 422 JSON answer."""
    assert response.status_code == 422, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    detail = json.loads(response.content)["detail"]
    assert all("NUL" in error["msg"] and "\n" not in error["msg"] for error in detail)
    return [error["loc"] for error in detail]


def test_every_router_with_text_query_parameters_is_covered() -> None:
    routers = {url.split("/")[3] for url, *_ in TEXT_QUERIES}
    assert {"incidents", "people", "organisations", "relationships", "sources", "notices", "threats", "analytics",
            "monitoring", "surveillance", "reconcile"} <= routers


@pytest.mark.parametrize(("url", "parameter", "required", "path_values"), TEXT_QUERIES,
                         ids=[f"{url} {name}" for url, name, *_ in TEXT_QUERIES])
def test_a_nul_in_any_text_query_parameter_is_a_422_naming_it(url: str, parameter: str, required: dict[str, str],
                                                             path_values: dict[str, str], users: Any,
                                                             records: Any) -> None:
    response = _client(users["admin"]).get(url, {**required, parameter: f"Istanbul{NUL}"})
    assert _refused(response) == [["query", parameter]]


def test_anonymous_callers_are_answered_the_same(records: Any) -> None:
    assert _refused(Client().get("/api/v1/notices/", {"kind": NUL})) == [["query", "kind"]]
    assert _refused(Client().get("/api/v1/people/", {"q": f"Usmanov{NUL}"})) == [["query", "q"]]


def test_the_notice_filters_still_match_without_a_nul(users: Any) -> None:
    Notice.objects.create(entity_id="2020/1", kind="red", forename="Ali", surname="Valiev", issuing_state="TJ",
                          confidentiality="public", published=True)
    items = json.loads(_client(users["admin"]).get("/api/v1/notices/", {"issuing_state": "tj"}).content)["results"]
    assert [item["entity_id"] for item in items] == ["2020/1"]


def test_a_nul_in_a_path_value_is_a_422_naming_it(users: Any) -> None:
    response = _client(users["admin"]).get("/api/v1/surveillance/suppliers/T%00J")
    assert _refused(response) == [["path", "state"]]


@pytest.mark.parametrize(("url", "body", "where", "model"), [
    ("/api/v1/people/", {"primary_name": f"Ali{NUL}"}, ["body", "primary_name"], Person),
    ("/api/v1/people/", {"primary_name": "Ali", "names": [{"full_name": f"Али{NUL}"}]},
     ["body", "names", 0, "full_name"], Person),
    ("/api/v1/incidents/", {"title": "Detained", "tactic": "detention", "date": "2020", "origin_state": "UZ",
                            "citations": [{"source": 1, "locator": f"p.{NUL}3"}]},
     ["body", "citations", 0, "locator"], Incident),
    ("/api/v1/notices/", {"entity_id": f"2020/{NUL}", "kind": "red"}, ["body", "entity_id"], Notice),
    ("/api/v1/surveillance/vendors/", {"name": "Vendor", "aliases": [f"V{NUL}"]}, ["body", "aliases", 0], Vendor),
    ("/api/v1/threats/check", {"values": [f"example.org{NUL}"]}, ["body", "values", 0], None),
])
def test_a_nul_in_a_json_body_string_is_a_422_and_writes_nothing(url: str, body: dict[str, Any], where: list[Any],
                                                                 model: Any, users: Any) -> None:
    response = _client(users["admin"]).post(url, json.dumps(body), content_type="application/json")
    assert _refused(response) == [where]
    if model is not None:
        assert not model.objects.exists()


def test_a_nul_in_a_json_key_is_refused_too(users: Any) -> None:
    """(A body that ignores unknown fields: a strict one refuses the field by name before.)"""
    body = {"entity_id": "2020/2", "kind": "red", f"note{NUL}": "x"}
    response = _client(users["admin"]).post("/api/v1/notices/", json.dumps(body), content_type="application/json")
    assert _refused(response) == [["body", f"note{NUL}"]]
    assert not Notice.objects.exists()


def test_a_nul_in_a_form_value_is_a_422_naming_it(users: Any) -> None:
    response = _client(users["admin"]).post("/api/v1/reconcile/registry", {"queries": f'{{"q0": {{"query": "A{NUL}"}}}}'})
    assert _refused(response) == [["form", "queries"]]


def test_a_body_that_cannot_be_read_is_left_to_the_endpoint(users: Any) -> None:
    response = _client(users["admin"]).post("/api/v1/people/", b"primary_name=Ali", content_type="multipart/form-data")
    assert 400 <= response.status_code < 500, response.content[:300]
    response = _client(users["admin"]).post("/api/v1/people/", b'{"primary_name": "Ali\x00', content_type="application/json")
    assert response.status_code == 400, response.content[:300]


def _json_body_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI document that takes a JSON body."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                values = {p["name"]: _filled(p) for p in operation.get("parameters", []) if p["in"] == "path"}
                found.append((method, path.format(**values)))
    return found


JSON_BODY_OPERATIONS = _json_body_operations()


def test_every_json_body_operation_is_covered() -> None:
    assert ("post", "/api/v1/notices/fetch") in JSON_BODY_OPERATIONS and len(JSON_BODY_OPERATIONS) > 20


@pytest.mark.parametrize(("method", "url"), JSON_BODY_OPERATIONS)
def test_a_json_body_that_is_not_an_object_is_a_422(method: str, url: str, users: Any) -> None:
    """A body whose fields are all optional took ``[null, null]`` as ``{}`` (a notice fetch was queued)."""
    from shelter.jobs.models import Job

    client = _client(users["admin"])
    for body in ("[null, null]", "42", "null", '"x"'):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 422, (method, url, body, response.status_code, response.content[:300])
        assert json.loads(response.content)["detail"][0]["loc"][0] == "body"
    assert not Job.objects.exists()
