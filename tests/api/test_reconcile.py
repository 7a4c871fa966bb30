"""The W3C Reconciliation Service API v0.2: every answer validated against the specification's JSON schemas
(tests/fixtures/reconciliation), the visibility filter, tokens (header or ``api_key``), bad queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from shelter.access.models import ApiToken
from shelter.notices.models import Notice
from shelter.registry.models import Person, PersonName
from shelter.search.index import index_records
from shelter.watchlists.importing import import_watchlist
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db
SCHEMAS = FIXTURES / "reconciliation"


def _schemas() -> tuple[Registry, dict[str, dict[str, Any]]]:
    loaded = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.json")}
    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource(contents=schema, specification=DRAFT7)) for schema in loaded.values())
    return registry, loaded


REGISTRY, LOADED = _schemas()


def valid(kind: str, instance: Any) -> Any:
    validator = Draft7Validator(LOADED[kind], registry=REGISTRY)
    errors = sorted(validator.iter_errors(instance), key=str)
    assert not errors, f"{kind}: {errors[0].message} at {list(errors[0].absolute_path)}"
    return instance


def test_the_schemas_catch_what_they_should() -> None:
    """The validation below is real: the schemas refuse answers that break them."""
    with pytest.raises(AssertionError):
        valid("manifest", {"versions": ["0.1"], "name": "x", "identifierSpace": "x", "schemaSpace": "x"})
    with pytest.raises(AssertionError):
        valid("reconciliation-result-batch", {"q0": {"result": [{"id": "1", "name": "x"}]}})  # no score
    with pytest.raises(AssertionError):
        valid("suggest-types-response", {"result": [{"id": "Person"}]})  # no name, through type.json


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path


@pytest.fixture
def people(teams) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    public = Person.objects.create(primary_name="Rustam Karimov", dob="1985-03-14", nationalities=["UZ"],
                                   confidentiality="public", published=True)
    PersonName.objects.create(person=public, full_name="Рустам Каримов")
    namesake = Person.objects.create(primary_name="Rustam Karimov", dob="1962", nationalities=["UZ"],
                                     confidentiality="internal")
    hidden = Person.objects.create(primary_name="Rustam Karimov", dob="1985-03-14", confidentiality="confidential")
    hidden.teams.add(teams["beta"])
    index_records("person")
    return {"public": public, "namesake": namesake, "hidden": hidden}


def get(users: dict[str, Any], role: str | None, path: str, how: str = "header", **params: str) -> Any:
    headers = {}
    if role is not None and how == "header":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(users[role])}"
    elif role is not None:
        params["api_key"] = ApiToken.issue(users[role])
    return Client().get(f"/api/v1/reconcile/{path}", params, **headers)


def test_manifest(users) -> None:  # type: ignore[no-untyped-def]
    manifest = valid("manifest", get(users, None, "registry").json())
    assert manifest["versions"] == ["0.2"] and manifest["defaultTypes"] == [{"id": "Person", "name": "Person"}]
    assert manifest["preview"]["url"].endswith("/api/v1/reconcile/registry/preview?id={{id}}")
    assert manifest["suggest"]["entity"]["service_path"] == "/suggest/entity"
    assert "view" in manifest


def test_queries_with_properties(users, people) -> None:  # type: ignore[no-untyped-def]
    queries = {"q0": {"query": "Каримов Рустам", "type": "Person",
                      "properties": [{"pid": "birthDate", "v": "1985-03-14"}, {"pid": "nationality", "v": ["UZ"]}]},
               "q1": {"query": "Rustam Karimov", "limit": 1},
               "q2": {"query": "Rustam Karimov", "type": "Company"}}
    valid("reconciliation-query-batch", queries)
    answer = valid("reconciliation-result-batch",
                   get(users, "viewer", "registry", queries=json.dumps(queries)).json())
    first = answer["q0"]["result"]
    assert first[0]["id"] == f"shelter-person-{people['public'].pk}" and first[0]["match"] is True
    assert "born 1985-03-14" in first[0]["description"]
    # the namesake born in 1962 is a candidate, below the threshold
    assert [r["id"] for r in first[1:]] == [f"shelter-person-{people['namesake'].pk}"]
    assert first[1]["match"] is False and first[1]["score"] < first[0]["score"]
    assert answer["q2"]["result"] == []
    # two namesakes above the threshold: the one shown (limit 1) is not certain
    assert len(answer["q1"]["result"]) == 1 and answer["q1"]["result"][0]["match"] is False


def test_post_as_openrefine_sends_it(users, people) -> None:  # type: ignore[no-untyped-def]
    token = ApiToken.issue(users["researcher"])
    queries = json.dumps({"q0": {"query": "Rustam Karimov", "properties": [{"pid": "birthDate", "v": "1985-03-14"}]}})
    response = Client().post(f"/api/v1/reconcile/registry?api_key={token}", {"queries": queries})
    ids = {r["id"] for r in valid("reconciliation-result-batch", response.json())["q0"]["result"]}
    assert f"shelter-person-{people['hidden'].pk}" in ids  # team beta


def test_hidden_people_are_never_candidates(users, people) -> None:  # type: ignore[no-untyped-def]
    queries = json.dumps({"q0": {"query": "Rustam Karimov"}})
    seen = {role: {r["id"] for r in get(users, role, "registry", how="key", queries=queries).json()["q0"]["result"]}
            for role in (None, "viewer", "researcher")}
    person = {key: f"shelter-person-{p.pk}" for key, p in people.items()}
    assert seen[None] == {person["public"]}
    assert seen["viewer"] == {person["public"], person["namesake"]}
    assert seen["researcher"] == set(person.values())
    assert get(users, None, "registry", how="key", queries=queries, api_key="shl_wrong").status_code == 401


def test_preview_view_and_suggest(users, people) -> None:  # type: ignore[no-untyped-def]
    public, hidden = f"shelter-person-{people['public'].pk}", f"shelter-person-{people['hidden'].pk}"
    card = get(users, None, "registry/preview", id=public)
    assert card.status_code == 200 and card["Content-Type"].startswith("text/html")
    assert "Рустам Каримов" in card.content.decode() and "1985-03-14" in card.content.decode()
    assert get(users, "viewer", "registry/preview", id=hidden).status_code == 404
    assert get(users, "viewer", "registry/preview", id="shelter-person-999999").status_code == 404
    assert get(users, "researcher", "registry/preview", id=hidden).status_code == 200
    assert get(users, None, "registry/view", id=public)["Location"] == f"/registry/people/{people['public'].pk}/"
    assert get(users, "viewer", "registry/view", id=hidden).status_code == 404
    entities = valid("suggest-entities-response", get(users, "viewer", "registry/suggest/entity", prefix="Karim").json())
    assert {e["id"] for e in entities["result"]} == {public, f"shelter-person-{people['namesake'].pk}"}
    types = valid("suggest-types-response", get(users, None, "registry/suggest/type", prefix="pers").json())
    assert types["result"] == [{"id": "Person", "name": "Person"}]
    props = valid("suggest-properties-response", get(users, None, "registry/suggest/property", prefix="birth").json())
    assert [p["id"] for p in props["result"]] == ["birthDate"]
    assert valid("suggest-entities-response", get(users, None, "registry/suggest/entity").json()) == {"result": []}


def test_notices_and_watchlists(users, people) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="2020/777", forename="Rustam", surname="Karimov", dob="1985",
                                   confidentiality="internal")
    queries = json.dumps({"q0": {"query": "Rustam Karimov"}})
    found = valid("reconciliation-result-batch", get(users, "viewer", "notices", queries=queries).json())
    assert [r["id"] for r in found["q0"]["result"]] == [f"shelter-notice-{notice.pk}"]
    import_watchlist("ru-list", FIXTURES / "watchlists" / "ru_list_v1.ftm.json",
                     restriction={"confidentiality": "confidential", "teams": ["beta"]})
    valid("manifest", get(users, "researcher", "ru-list").json())
    listed = valid("reconciliation-result-batch", get(users, "researcher", "ru-list", queries=queries).json())
    assert [r["id"] for r in listed["q0"]["result"]] == ["ru-fl-1001"]
    assert get(users, "editor", "ru-list", queries=queries).status_code == 404  # hidden list: missing
    assert get(users, "researcher", "ru-list/preview", id="ru-fl-1001").status_code == 200


@pytest.mark.parametrize(("queries", "says"), [
    ("{not json", "not JSON"),
    ("[1]", "must be an object"),
    (json.dumps({"q0": {"query": 37473874}}), "'query' must be a string"),
    (json.dumps({"q0": {}}), "give a 'query' or 'properties'"),
    (json.dumps({"q0": {"query": "A B", "properties": [{"pid": "shoeSize", "v": "44"}]}}), "'shoeSize' is not one"),
    (json.dumps({"q0": {"query": "A B", "properties": [{"pid": "birthDate", "v": "1990-13"}]}}), "not a date"),
    (json.dumps({"q0": {"query": "A B", "limit": 0}}), "'limit' must be"),
    (json.dumps({"q0": {"query": "A B", "type": 5}}), "'type' must be"),
])
def test_bad_queries_answer_400_in_json(users, queries: str, says: str) -> None:  # type: ignore[no-untyped-def]
    response = get(users, "viewer", "registry", queries=queries)
    assert response.status_code == 400 and says in response.json()["detail"], response.content


def test_unknown_dataset_and_suggest_service(users) -> None:  # type: ignore[no-untyped-def]
    assert get(users, "viewer", "nothing-here").status_code == 404
    assert get(users, "viewer", "registry/suggest/flavour", prefix="x").status_code == 404
    assert Client().post("/api/v1/reconcile/registry", {}).status_code == 400
