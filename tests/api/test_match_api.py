"""The yente-compatible match API: yente's request and response shapes, tokens, the visibility filter, bad bodies.

The request bodies below are those of yente's own documentation and tests (``yente/routers/match.py`` and
``tests/unit/test_match.py`` in the opensanctions/yente repository): the Putin example with a single-string
``country``, the Ermakov example with twenty spellings in two scripts, an ``id`` passed through, a query without a
schema (422) and one with an unknown schema (400).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shelter.access.models import ApiToken
from shelter.notices.models import Notice
from shelter.registry.models import Person, PersonName
from shelter.watchlists.importing import import_watchlist
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

ERMAKOV_NAMES = [
    "ERMAKOV Valery Nikolaevich", "Ermacov Valeryi Nycolaevych", "Ermakov Valerij Nikolaevich",
    "Ermakov Valerij Nikolaevič", "Ermakov Valerijj Nikolaevich", "Ermakov Valeriy Nikolaevich",
    "Ermakov Valery Nykolaevych", "Ermakov Valeryi Nykolaevych", "Ermakov Valeryy Nikolaevich",
    "Ermakov Valeryy Nykolaevych", "Ermakov Valerȳĭ Nȳkolaevȳch", "Iermakov Valerii Mykolaiovych",
    "Jermakov Valerij Mikolajovich", "Jermakov Valerij Mikolajovič", "Jermakov Valerij Mykolajovyč",
    "Yermakov Valerii Mykolaiovych", "Yermakov Valerij Mykolajovych", "Yermakov Valeriy Mykolayovych",
    "Êrmakov Valerìj Mikolajovič", "ЕРМАКОВ Валерий Николаевич",
]
ERMAKOV = {"schema": "Person", "properties": {"name": ERMAKOV_NAMES}}
EXAMPLE = {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": ["1952"], "country": "Russia"}}


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path


@pytest.fixture
def people(teams) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    ermakov = Person.objects.create(primary_name="Valery Ermakov", dob="1961-05-02", nationalities=["RU"],
                                    confidentiality="internal")
    PersonName.objects.create(person=ermakov, full_name="Ермаков Валерий Николаевич")
    hidden = Person.objects.create(primary_name="Valeriy Yermakov", dob="1961", confidentiality="confidential")
    hidden.teams.add(teams["beta"])
    public = Person.objects.create(primary_name="Dilnoza Nazarova", dob="1990-06-01", nationalities=["TJ"],
                                   confidentiality="public", published=True)
    return {"ermakov": ermakov, "hidden": hidden, "public": public}


def post(users: dict[str, Any], role: str | None, path: str, body: Any, scheme: str = "Bearer") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {ApiToken.issue(users[role])}"} if role else {}
    raw = body if isinstance(body, str) else json.dumps(body)
    return Client().post(f"/api/v1/match/{path}", raw, content_type="application/json", **headers)


def test_answers_in_yentes_shape(users, people) -> None:  # type: ignore[no-untyped-def]
    body = {"queries": {"ermakov": {**ERMAKOV, "id": "ermakov"}, "vv": EXAMPLE}}
    response = post(users, "viewer", "registry?limit=3", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"responses", "matcher", "limit"} and data["limit"] == 3
    assert all({"description", "coefficient", "url"} <= set(doc) for doc in data["matcher"].values())
    found = data["responses"]["ermakov"]
    assert found["status"] == 200 and found["query"]["id"] == "ermakov" and found["query"]["schema"] == "Person"
    assert found["total"] == {"value": 1, "relation": "eq"}
    top = found["results"][0]
    assert {"id", "caption", "schema", "properties", "datasets", "score", "match", "features",
            "explanation"} <= set(top)
    assert top["id"] == f"shelter-person-{people['ermakov'].pk}" and top["caption"] == "Valery Ermakov"
    assert top["schema"] == "Person" and top["match"] is True and 0.75 <= top["score"] <= 1
    assert "Ермаков Валерий Николаевич" in top["properties"]["alias"]
    assert all(isinstance(value, float) for value in top["features"].values())
    assert "surname Ермаков" in top["explanation"]
    assert data["responses"]["vv"]["results"] == [] and data["responses"]["vv"]["total"]["value"] == 0


def test_threshold_decides_match_and_cutoff_what_is_returned(users, people) -> None:  # type: ignore[no-untyped-def]
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Valery Ermakov"], "birthDate": ["1975"]}}}}
    loose = post(users, "admin", "registry?threshold=0.99&cutoff=0.1", body).json()["responses"]["q"]["results"]
    assert loose and all(result["match"] is False for result in loose)
    strict = post(users, "admin", "registry?cutoff=0.99&threshold=0.99", body).json()["responses"]["q"]
    assert strict["results"] == [] and strict["total"]["value"] == 0


def test_a_hidden_person_is_never_a_result_nor_counted(users, people) -> None:  # type: ignore[no-untyped-def]
    body = {"queries": {"q": ERMAKOV}}
    ids = {role: {r["id"] for r in post(users, role, "registry?limit=10", body).json()["responses"]["q"]["results"]}
           for role in ("researcher", "editor", "viewer_public")}
    hidden = f"shelter-person-{people['hidden'].pk}"
    assert hidden in ids["researcher"] and hidden not in ids["editor"]
    assert post(users, "editor", "registry", body).json()["responses"]["q"]["total"]["value"] == 1
    assert post(users, "researcher", "registry", body).json()["responses"]["q"]["total"]["value"] == 2
    assert ids["viewer_public"] == set()  # the internal and the confidential person alike


def test_tokens(users, people) -> None:  # type: ignore[no-untyped-def]
    body = {"queries": {"q": ERMAKOV}}
    assert post(users, None, "registry", body).status_code == 401
    bad = Client().post("/api/v1/match/registry", json.dumps(body), content_type="application/json",
                        HTTP_AUTHORIZATION="Bearer shl_wrong")
    assert bad.status_code == 401 and "detail" in bad.json()
    # yente's clients send their key as "ApiKey <key>"
    assert post(users, "viewer", "registry", body, scheme="ApiKey").status_code == 200


def test_notices_and_watchlists_are_datasets(users, people, teams) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.create(entity_id="2019/1234", forename="Valeriy", surname="Yermakov", dob="1961-05-02",
                                   nationalities=["RU"], issuing_state="RU", confidentiality="internal")
    body = {"queries": {"q": ERMAKOV}}
    results = post(users, "viewer", "notices", body).json()["responses"]["q"]["results"]
    assert [r["id"] for r in results] == [f"shelter-notice-{notice.pk}"]
    assert results[0]["properties"]["topics"] == ["wanted"] and results[0]["datasets"] == ["notices"]
    assert post(users, "viewer_public", "notices", body).json()["responses"]["q"]["results"] == []

    import_watchlist("ru-list", FIXTURES / "watchlists" / "ru_list_v2.ftm.json", state="RU",
                     restriction={"confidentiality": "confidential", "teams": ["beta"]})
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Джамшид Юсупов"],
                                                                  "birthDate": ["1979-08-21"]}}}}
    listed = post(users, "researcher", "ru-list", query).json()["responses"]["q"]["results"]
    assert [(r["id"], r["datasets"]) for r in listed] == [("ru-fl-1004", ["ru-list"])]
    assert listed[0]["properties"]["topics"] == ["crime.terror"]
    # a list the caller may not see answers exactly like one that does not exist
    hidden, missing = post(users, "editor", "ru-list", query), post(users, "editor", "no-such-list", query)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace("ru-list", "X") == missing.json()["detail"].replace("no-such-list", "X")


def test_removed_entries_are_not_matched(users) -> None:  # type: ignore[no-untyped-def]
    import_watchlist("ru-list", FIXTURES / "watchlists" / "ru_list_v1.ftm.json")
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Pyotr Ivanov"], "birthDate": ["1971"]}}}}
    assert post(users, "admin", "ru-list", query).json()["responses"]["q"]["results"]
    import_watchlist("ru-list", FIXTURES / "watchlists" / "ru_list_v2.ftm.json")
    assert post(users, "admin", "ru-list", query).json()["responses"]["q"]["results"] == []


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"queries": {"fail": {"properties": {"name": "Banana"}}}}, 422, "schema"),
    ({"queries": {"fail": {"schema": "xxx", "properties": {"name": "Banana"}}}}, 400, "'xxx' is not"),
    ({"queries": {}}, 400, "no queries"),
    ({"queries": {f"q{i}": EXAMPLE for i in range(101)}}, 400, "too many queries"),
    ({"queries": {"q": {"schema": "Person", "properties": {"name": ["A B"], "birthDate": ["1990-13-45"]}}}}, 400,
     "query 'q': birthDate '1990-13-45' is not a date"),
    ({"queries": {"q": {"schema": "Person", "properties": {"name": ["A B"], "nationality": ["Atlantis"]}}}}, 400,
     "nationality 'Atlantis'"),
    ({"queries": {"q": {"schema": "Person", "properties": {"name": [{"nested": 1}]}}}}, 400, "must be strings"),
    ({"queries": {"q": {"schema": "Person", "properties": ["name"]}}}, 422, "properties"),
    ({"queries": [1, 2]}, 422, "queries"),
    ("{not json", 400, ""),
    ("[]", 422, ""),
])
def test_bad_bodies_answer_json_4xx(users, people, body: Any, status: int, says: str) -> None:  # type: ignore[no-untyped-def]
    response = post(users, "viewer", "registry", body)
    assert response.status_code == status, response.content
    assert says in json.dumps(response.json()["detail"])


def test_other_schemata_get_no_results(users, people) -> None:  # type: ignore[no-untyped-def]
    body = {"queries": {"c": {"schema": "Company", "properties": {"name": ["Valery Ermakov"]}},
                        "l": {"schema": "LegalEntity", "properties": {"name": ["Valery Ermakov"]}}}}
    responses = post(users, "admin", "registry", body).json()["responses"]
    assert responses["c"]["results"] == [] and responses["l"]["results"]  # a LegalEntity may be a person
