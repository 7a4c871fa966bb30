"""Property: no output of any listed path contains text of a record its caller may not see.

Hypothesis generates small registries (incidents, people with other names, organisations, sources,
relationships, targets, perpetrators, citations and notices at random confidentiality, publication and case teams;
each incident with an earlier version at another level and under another title) and
callers of every role with random clearance and teams. Each record carries a distinct token; for every caller
and every path, the response must contain no token of a record the caller may not see. Who may see what is
written out here independently of the code under test (``may_see``), from the rule in docs/security.md.

The number of examples is small so that the suite stays quick; raise ``SHELTER_PROPERTY_EXAMPLES`` to search
longer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from click.testing import CliRunner
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

LEVELS = ("public_published", "public_draft", "internal", "confidential")
TEAMS = ("alpha", "beta", "gamma")
RANK = {"public": 0, "internal": 1, "confidential": 2}
EXAMPLES = int(os.environ.get("SHELTER_PROPERTY_EXAMPLES", "6"))


@dataclass(frozen=True)
class Restriction:
    level: str
    teams: frozenset[str]

    @property
    def confidentiality(self) -> str:
        return self.level.split("_")[0]

    @property
    def published(self) -> bool:
        return self.level != "public_draft"


@dataclass(frozen=True)
class CallerSpec:
    role: str  # anonymous, viewer, researcher, editor, admin
    clearance: str
    teams: frozenset[str]


@dataclass
class Spec:
    incidents: list[Restriction]
    earlier: list[Restriction]  # each incident's first version, with a title of its own
    notices: list[Restriction]
    people: list[Restriction]
    organisations: list[Restriction]
    sources: list[Restriction]
    relationships: list[tuple[Restriction, int, int]]  # restriction, subject person, object person
    targets: list[tuple[int, int]]  # incident, person
    perpetrators: list[tuple[int, int]]  # incident, organisation
    citations: list[tuple[int, int]]  # source, incident
    callers: list[CallerSpec]


def may_see(caller: CallerSpec, restriction: Restriction) -> bool:
    """The rule, independently of ``shelter.access.visibility``."""
    if caller.role == "admin":
        return True
    if caller.role == "anonymous":
        return restriction.confidentiality == "public" and restriction.published
    if RANK[restriction.confidentiality] > RANK[caller.clearance]:
        return False
    return restriction.confidentiality != "confidential" or bool(restriction.teams & caller.teams)


restrictions = st.builds(Restriction, st.sampled_from(LEVELS), st.frozensets(st.sampled_from(TEAMS), max_size=2))
signed_in = st.builds(CallerSpec, st.sampled_from(("viewer", "researcher", "editor")),
                      st.sampled_from(("public", "internal", "confidential")),
                      st.frozensets(st.sampled_from(TEAMS), max_size=2))


@st.composite
def specs(draw: Any) -> Spec:
    def some(max_size: int) -> list[Restriction]:
        return draw(st.lists(restrictions, min_size=1, max_size=max_size))

    incidents, people, organisations, sources = some(4), some(4), some(3), some(3)
    earlier = [draw(restrictions) for _ in incidents]
    notices = some(3)

    def links(left: int, right: int, max_size: int) -> list[tuple[int, int]]:
        pairs = st.tuples(st.integers(0, left - 1), st.integers(0, right - 1))
        return draw(st.lists(pairs, max_size=max_size, unique=True))

    relationships = [(draw(restrictions), a, b) for a, b in links(len(people), len(people), 3) if a != b]
    callers = [CallerSpec("anonymous", "public", frozenset()), *draw(st.lists(signed_in, min_size=2, max_size=3)),
               CallerSpec("admin", "confidential", frozenset())]
    return Spec(incidents, earlier, notices, people, organisations, sources, relationships,
                links(len(incidents), len(people), 5), links(len(incidents), len(organisations), 3),
                links(len(sources), len(incidents), 4), callers)


@dataclass
class Built:
    tokens: dict[str, list[str]] = field(default_factory=dict)  # kind -> tokens by index
    ids: dict[str, list[int]] = field(default_factory=dict)


def _token(kind: str, index: int) -> str:
    # distinct, and never a substring of another token: a fixed width and a closing letter
    return f"ZX{kind}{index:02d}Q"


def _build(spec: Spec, teams: dict[str, Any]) -> Built:
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.notices.models import Notice
    from shelter.registry.models import Organisation, Person, PersonName, Relationship

    built = Built()

    def fields(restriction: Restriction) -> dict[str, Any]:
        return {"confidentiality": restriction.confidentiality, "published": restriction.published}

    def restrict(record: Any, restriction: Restriction) -> None:
        record.teams.set([teams[name] for name in restriction.teams])

    def make(kind: str, restrictions_: list[Restriction], create: Any) -> list[Any]:
        records = []
        for index, restriction in enumerate(restrictions_):
            record = create(_token(kind, index), fields(restriction))
            restrict(record, restriction)
            records.append(record)
        built.tokens[kind] = [_token(kind, index) for index in range(len(restrictions_))]
        built.ids[kind] = [record.pk for record in records]
        return records

    incidents = make("INC", spec.incidents, lambda token, f: Incident.objects.create(
        title=token, description=f"what happened {token}", tactic="detention", date="2021-03-04",
        origin_state="UZ", host_country="DE", **f))
    # Each incident had an earlier version, at another confidentiality and under another title: its history.
    built.tokens["OLD"] = [_token("OLD", index) for index in range(len(incidents))]
    for index, incident in enumerate(incidents):
        current = (incident.title, incident.confidentiality, incident.published, list(incident.teams.all()))
        earlier = spec.earlier[index]
        Incident.history.filter(id=incident.pk).delete()
        incident.title, incident.description = built.tokens["OLD"][index], f"earlier {built.tokens['OLD'][index]}"
        incident.confidentiality, incident.published = earlier.confidentiality, earlier.published
        incident.save()
        restrict(incident, earlier)
        incident.title, incident.description = current[0], f"what happened {current[0]}"
        incident.confidentiality, incident.published = current[1], current[2]
        incident.save()
        incident.teams.set(current[3])
    make("NOT", spec.notices, lambda token, f: Notice.objects.create(
        entity_id=f"2026/{token}", forename=token, surname="Notice", nationalities=["UZ"], issuing_state="UZ", **f))
    people = make("PER", spec.people, lambda token, f: Person.objects.create(
        primary_name=token, nationalities=["UZ"], description=f"about {token}", **f))
    built.tokens["NAM"] = [_token("NAM", index) for index in range(len(people))]
    for index, person in enumerate(people):
        PersonName.objects.create(person=person, full_name=built.tokens["NAM"][index])
    organisations = make("ORG", spec.organisations, lambda token, f: Organisation.objects.create(
        name=token, kind="security_service", country="UZ", **f))
    sources = make("SRC", spec.sources, lambda token, f: Source.objects.create(title=token, kind="report", **f))
    built.tokens["REL"], built.ids["REL"] = [], []
    for index, (restriction, subject, object_) in enumerate(spec.relationships):
        relationship = Relationship.objects.create(kind="informant_for", detail=_token("REL", index),
                                                   subject_person=people[subject], object_person=people[object_],
                                                   **fields(restriction))
        restrict(relationship, restriction)
        built.tokens["REL"].append(_token("REL", index))
        built.ids["REL"].append(relationship.pk)
    for incident, person in spec.targets:
        IncidentTarget.objects.create(incident=incidents[incident], person=people[person])
    for incident, organisation in spec.perpetrators:
        IncidentPerpetrator.objects.create(incident=incidents[incident], organisation=organisations[organisation])
    for source, incident in spec.citations:
        Citation.objects.create(source=sources[source], incident=incidents[incident], locator="p. 1")
    return built


def _restriction_of(spec: Spec, kind: str, index: int) -> list[Restriction]:
    """Every record a token's visibility depends on."""
    if kind == "NAM":
        return [spec.people[index]]
    if kind == "OLD":
        return [spec.incidents[index], spec.earlier[index]]
    if kind == "REL":
        restriction, subject, object_ = spec.relationships[index]
        return [restriction, spec.people[subject], spec.people[object_]]
    return [{"INC": spec.incidents, "NOT": spec.notices, "PER": spec.people, "ORG": spec.organisations, "SRC": spec.sources}[kind][index]]


def _paths(built: Built) -> list[str]:
    """Pages and API calls that show records: lists, searches, pickers, details, history."""
    paths = ["/incidents/", "/incidents/?q=ZX", "/registry/people/", "/registry/people/?q=ZXNAM",
             "/registry/organisations/", "/incidents/sources/", "/search/?q=ZX", "/dashboard/",
             "/autocomplete/person/?q=ZX", "/autocomplete/organisation/?q=ZX", "/autocomplete/source/?q=ZX",
             "/analytics/", "/analytics/states/UZ/briefing.json",
             "/api/v1/incidents/?limit=200", "/api/v1/incidents/?q=ZX", "/api/v1/people/?limit=200",
             "/api/v1/people/?q=ZXNAM", "/api/v1/organisations/", "/api/v1/relationships/?limit=200",
             "/api/v1/sources/", "/api/v1/analytics/figures", "/notices/", "/notices/?q=ZX",
             "/api/v1/notices?limit=200"]
    for pk in built.ids["NOT"]:
        paths += [f"/notices/{pk}/", f"/api/v1/notices/{pk}"]
    for pk in built.ids["INC"]:
        paths += [f"/incidents/{pk}/", f"/api/v1/incidents/{pk}",
                  f"/api/v1/incidents/?person={pk}"]
    for pk in built.ids["PER"]:
        paths += [f"/registry/people/{pk}/", f"/api/v1/people/{pk}"]
    for pk in built.ids["ORG"]:
        paths += [f"/registry/organisations/{pk}/", f"/api/v1/organisations/{pk}"]
    for pk in built.ids["SRC"]:
        paths += [f"/incidents/sources/{pk}/", f"/api/v1/sources/{pk}"]
    for pk in built.ids["REL"]:
        paths += [f"/api/v1/relationships/{pk}"]
    return paths


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return content.decode("utf-8", errors="replace")


class NoLeakProperty(TestCase):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(specs())
    def test_no_path_shows_a_hidden_record(self, spec: Spec) -> None:
        from django.conf import settings as django_settings
        from django.test import override_settings

        from shelter.access.models import ApiToken, Team, User
        from shelter.cli import main

        storages = {**django_settings.STORAGES,
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        with override_settings(STORAGES=storages):
            teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
            built = _build(spec, teams)
            paths = _paths(built)
            for number, caller in enumerate(spec.callers):
                browser, api = Client(), Client()
                user = None
                if caller.role != "anonymous":
                    user = User.objects.create(username=f"caller{number}", role=caller.role,
                                               clearance=caller.clearance, password="!")
                    user.teams.set([teams[name] for name in caller.teams])
                    browser.force_login(user)
                    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
                hidden = [token for kind, tokens in built.tokens.items() for index, token in enumerate(tokens)
                          if not all(may_see(caller, r) for r in _restriction_of(spec, kind, index))]
                outputs = {path: _body((api if path.startswith("/api/") else browser).get(path)) for path in paths}
                who = ["--public"] if user is None else ["--as", user.username]
                for fmt in ("json", "csv", "ftm"):
                    result = CliRunner().invoke(main, ["export", "--format", fmt, *who])
                    outputs[f"export {fmt}"] = result.stdout
                for path, text in outputs.items():
                    for token in hidden:
                        assert token not in text, f"LEAK: {path} shows {token} to {caller}"
                if caller.role == "admin":
                    listing = json.loads(outputs["/api/v1/incidents/?limit=200"])
                    shown = {item["title"] for item in listing["items"]}
                    assert shown == set(built.tokens["INC"]), "the admin's list is not really exercised"
                    first = f"/incidents/{built.ids['INC'][0]}/"
                    assert built.tokens["OLD"][0] in outputs[first], "the history is not really exercised"
