"""Records at every confidentiality level, for the web tests."""

from __future__ import annotations

from typing import Any

import pytest


def make_restricted(model: Any, level: str, teams: list[Any] = (), published: bool = False, **fields: Any) -> Any:
    record = model.objects.create(confidentiality=level, published=published, **fields)
    record.teams.set(teams)
    return record


@pytest.fixture
def records(users, teams):  # type: ignore[no-untyped-def]
    """One incident, person, organisation and source per level; the confidential ones belong to team alpha.

    The confidential incident targets the confidential person and cites the confidential source."""
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.registry.models import Organisation, Person, PersonName, Relationship

    alpha = [teams["alpha"]]
    made: dict[str, Any] = {}
    for level, published in (("public", True), ("internal", False), ("confidential", False)):
        team = alpha if level == "confidential" else []
        person = make_restricted(Person, level, team, published, primary_name=f"Rustam {level.title()}ov",
                                 dob="1980-05-02", nationalities=["UZ"], country_of_residence="DE")
        PersonName.objects.create(person=person, full_name=f"Рустам {level.title()}ов", kind="native")
        org = make_restricted(Organisation, level, team, published, name=f"Agency {level}", kind="security_service",
                              country="UZ")
        source = make_restricted(Source, level, team, published, title=f"Report {level}", publisher="Monitor")
        incident = make_restricted(Incident, level, team, published, title=f"Detention in Istanbul {level}",
                                   tactic="detention", date="2021-03", origin_state="UZ", host_country="TR")
        IncidentTarget.objects.create(incident=incident, person=person)
        IncidentPerpetrator.objects.create(incident=incident, organisation=org)
        Citation.objects.create(source=source, incident=incident, locator="p. 4")
        made[level] = {"person": person, "organisation": org, "source": source, "incident": incident}
    made["relationship"] = make_restricted(
        Relationship, "internal", [], False, kind="employed_by",
        subject_person=made["internal"]["person"], object_organisation=made["internal"]["organisation"])
    reindex()
    return made


def reindex() -> None:
    """The search index is written on commit, and a test's transaction never commits: index now."""
    from shelter.search.index import index_records

    for kind in ("person", "organisation", "incident", "source"):
        index_records(kind)


@pytest.fixture
def client_for(client, users):  # type: ignore[no-untyped-def]
    """A test client signed in as the named user (None: anonymous)."""

    def sign_in(name: str | None) -> Any:
        client.logout()
        if name is not None:
            client.force_login(users[name])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def plain_static_files(settings):  # type: ignore[no-untyped-def]
    """Pages render without a collected static manifest (that is built by `collectstatic` at deploy time)."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; these tests are about pages, not password storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
