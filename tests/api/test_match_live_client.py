"""nomenklatura's yente enricher (the client OpenSanctions' tools use to call yente) against a live Shelter server:
it sends its key as ``ApiKey``, its own query parameters, and reads the results back as FollowTheMoney entities."""

from __future__ import annotations

from typing import Any

import pytest

from shelter.access.models import ApiToken
from shelter.registry.models import Person, PersonName

nomenklatura = pytest.importorskip("nomenklatura.enrich.yente", reason="nomenklatura is not installed")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path


def test_nomenklatura_yente_enricher_against_a_live_server(live_server, users, teams,  # type: ignore[no-untyped-def]
                                                           tmp_path) -> None:
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.cache import Cache
    from nomenklatura.db import make_session
    from nomenklatura.enrich import make_enricher

    ermakov = Person.objects.create(primary_name="Valery Ermakov", dob="1961-05-02", nationalities=["RU"],
                                    confidentiality="internal")
    PersonName.objects.create(person=ermakov, full_name="Ермаков Валерий Николаевич")
    hidden = Person.objects.create(primary_name="Valeriy Yermakov", dob="1961-05-02", confidentiality="confidential")
    hidden.teams.add(teams["beta"])

    dataset = Dataset.make({"name": "shelter_test", "title": "Shelter test"})
    session = make_session(f"sqlite:///{tmp_path / 'nomenklatura.db'}")
    cache = Cache(session, dataset, create=True)

    def candidates(role: str) -> list[Any]:
        config: dict[str, Any] = {"type": "nomenklatura.enrich.yente:YenteEnricher",
                                  "api": f"{live_server.url}/api/v1/", "dataset": "registry",
                                  "api_key": ApiToken.issue(users[role]), "cache_days": 0}
        enricher = make_enricher(dataset, cache, config)
        query = StatementEntity.from_data(dataset, {"id": "q1", "schema": "Person", "properties": {
            "name": ["ЕРМАКОВ Валерий Николаевич"], "birthDate": ["1961-05-02"]}})
        return list(enricher.match(query))

    editor = candidates("editor")
    assert [entity.id for entity in editor] == [f"shelter-person-{ermakov.pk}"]
    assert editor[0].schema.name == "Person" and "Ермаков Валерий Николаевич" in editor[0].get("alias")
    researcher = {entity.id for entity in candidates("researcher")}  # team beta sees the confidential person
    assert researcher == {f"shelter-person-{ermakov.pk}", f"shelter-person-{hidden.pk}"}
