"""THE confidentiality matrix: every output path x every role x every confidentiality level.

Each record carries a distinctive marker (``ZQ`` + kind + level, e.g. ``ZQINCALPHA``). For every path in the
tables below and every role, the response must contain exactly the markers of the records that role may see:
a hidden marker anywhere in a response is a leak; a visible one missing from a list means the path is not
really exercised. Detail paths must answer 404 for a hidden record, exactly like a missing one.

A path is one line. Paths of a module that is not installed are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import AnonymousUser
from django.test import Client

pytestmark = pytest.mark.django_db

LEVELS = ("PUBLISHED", "DRAFT", "INTERNAL", "ALPHA", "BETA")  # ALPHA / BETA: confidential, in that case team
ROLES = ("anonymous", "viewer_public", "viewer", "researcher", "editor", "outsider", "admin")
# The rule, written out independently of the code under test (users from tests/conftest.py):
# viewer_public has public clearance; viewer internal clearance (team alpha); researcher confidential (beta);
# editor confidential (alpha); outsider confidential, no team; admin sees everything.
SEES: dict[str, set[str]] = {
    "anonymous": {"PUBLISHED"},
    "viewer_public": {"PUBLISHED", "DRAFT"},
    "viewer": {"PUBLISHED", "DRAFT", "INTERNAL"},
    "researcher": {"PUBLISHED", "DRAFT", "INTERNAL", "BETA"},
    "editor": {"PUBLISHED", "DRAFT", "INTERNAL", "ALPHA"},
    "outsider": {"PUBLISHED", "DRAFT", "INTERNAL"},
    "admin": set(LEVELS),
}
STAFF = {"editor", "outsider", "admin"}  # editors and admins reach the Django admin

# Record kinds with markers.
KINDS = ("INC", "PER", "NAM", "ORG", "SRC", "REL", "NTC", "THR", "AGR")
KIND_LEVELS = {kind: LEVELS for kind in KINDS}


def marker(kind: str, level: str) -> str:
    return f"ZQ{kind}{level}"


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


# --------------------------------------------------------------------------------------------------------
# The records


@dataclass
class World:
    ids: dict[str, dict[str, int]]  # kind -> level -> pk
    hubs: dict[str, int]  # public published records that link to every level


def _restrict(record: Any, level: str, teams: dict[str, Any]) -> None:
    if level in ("ALPHA", "BETA"):
        record.teams.add(teams[level.lower()])


def _level_fields(level: str) -> dict[str, Any]:
    return {
        "PUBLISHED": {"confidentiality": "public", "published": True},
        "DRAFT": {"confidentiality": "public", "published": False},
        "INTERNAL": {"confidentiality": "internal"},
        "ALPHA": {"confidentiality": "confidential"},
        "BETA": {"confidentiality": "confidential"},
    }[level]


@pytest.fixture
def world(teams, django_capture_on_commit_callbacks) -> World:  # type: ignore[no-untyped-def]
    # Saving a record indexes it for search when the transaction commits; run those hooks here.
    with django_capture_on_commit_callbacks(execute=True):
        return _build_world(teams)


def _build_world(teams: dict[str, Any]) -> World:
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.registry.models import Organisation, Person, PersonName, Relationship

    published = _level_fields("PUBLISHED")
    hub_incident = Incident.objects.create(title="ZQHUBINCIDENT", tactic="red_notice", date="2020",
                                           origin_state="TJ", host_country="TR", **published)
    hub_person = Person.objects.create(primary_name="ZQHUBPERSON", **published)
    hub_organisation = Organisation.objects.create(name="ZQHUBORGANISATION", kind="security_service", **published)
    hub_source = Source.objects.create(title="ZQHUBSOURCE", confidentiality="public")
    friend = Person.objects.create(primary_name="ZQHUBFRIEND", **published)
    ids: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for level in LEVELS:
        fields = _level_fields(level)
        incident = Incident.objects.create(title=marker("INC", level), tactic="detention", date="2019-05-02",
                                           origin_state="UZ", host_country="DE", place="Berlin", **fields)
        person = Person.objects.create(primary_name=marker("PER", level), nationalities=["UZ"], **fields)
        name = PersonName.objects.create(person=person, full_name=marker("NAM", level))
        organisation = Organisation.objects.create(name=marker("ORG", level), kind="embassy", country="DE", **fields)
        relationship = Relationship.objects.create(kind="associate", detail=marker("REL", level),
                                                   subject_person=hub_person, object_person=friend, **fields)
        for record in (incident, person, organisation, relationship):
            _restrict(record, level, teams)
        ids["INC"][level], ids["PER"][level], ids["NAM"][level] = incident.pk, person.pk, name.pk
        ids["ORG"][level], ids["REL"][level] = organisation.pk, relationship.pk
        source = Source.objects.create(title=marker("SRC", level), kind="report", **fields)
        _restrict(source, level, teams)
        ids["SRC"][level] = source.pk
        Citation.objects.create(source=source, incident=hub_incident, locator="p. 1")
        # the hubs link to every level; each link is visible only when both ends are
        IncidentTarget.objects.create(incident=hub_incident, person=person)
        IncidentPerpetrator.objects.create(incident=hub_incident, organisation=organisation)
        IncidentPerpetrator.objects.create(incident=incident, organisation=hub_organisation)
        Citation.objects.create(source=hub_source, incident=incident, locator="p. 2")
        Relationship.objects.create(kind="family", detail="cousin", subject_person=hub_person, object_person=person,
                                    **published)
        _module_records(ids, level, fields, teams, person, incident)
    hubs = {"INC": hub_incident.pk, "PER": hub_person.pk, "ORG": hub_organisation.pk, "SRC": hub_source.pk}
    return World(ids, hubs)


def _module_records(ids: dict[str, dict[str, int]], level: str, fields: dict[str, Any], teams: dict[str, Any],
                    person: Any, incident: Any) -> None:
    """Records of the modules built on the core: notices, threat reports, agreements."""
    if has_module("shelter.notices.models"):
        from shelter.notices.models import Notice

        notice = Notice.objects.create(entity_id=f"2019/{LEVELS.index(level) + 100}", forename="Rustam",
                                       surname=marker("NTC", level), issuing_state="UZ", nationalities=["UZ"],
                                       **fields)
        _restrict(notice, level, teams)
        ids["NTC"][level] = notice.pk
    if has_module("shelter.threats.models"):
        from shelter.threats.models import ThreatReport

        report = ThreatReport.objects.create(kind="value", subject=marker("THR", level), verdict="suspicious",
                                             score=50, report={}, **fields)
        _restrict(report, level, teams)
        ids["THR"][level] = report.pk
    if has_module("shelter.analytics.models"):
        from shelter.analytics.models import Agreement

        agreement = Agreement.objects.create(state="UZ", partner="European Union", name=marker("AGR", level),
                                             **fields)
        _restrict(agreement, level, teams)
        ids["AGR"][level] = agreement.pk


# --------------------------------------------------------------------------------------------------------
# How each role asks


@pytest.fixture(autouse=True)
def fast_hashing_and_plain_static(settings):  # type: ignore[no-untyped-def]
    # Password hashing is tested elsewhere; here it would only slow down making the users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@dataclass
class Caller:
    role: str
    user: Any
    browser: Client
    api: Client


@pytest.fixture
def callers(users) -> dict[str, Caller]:  # type: ignore[no-untyped-def]
    from shelter.access.models import ApiToken

    result = {}
    for role in ROLES:
        user = users.get(role) if role != "anonymous" else None
        browser, api = Client(), Client()
        if user is not None:
            browser.force_login(user)
            api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
        result[role] = Caller(role, user, browser, api)
    return result


@dataclass(frozen=True)
class Fetched:
    status: int
    text: str


def _response(response: Any) -> Fetched:
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return Fetched(response.status_code, body.decode("utf-8", errors="replace"))


def page(url: str) -> Callable[[Caller, World], Fetched]:
    return lambda caller, world: _response(caller.browser.get(url.format(**world.hubs)))


def api(url: str) -> Callable[[Caller, World], Fetched]:
    return lambda caller, world: _response(caller.api.get(url.format(**world.hubs)))


def export(fmt: str) -> Callable[[Caller, World], Fetched]:
    def run(caller: Caller, world: World) -> Fetched:
        from shelter.cli import main

        who = ["--public"] if caller.user is None else ["--as", caller.user.username]
        result = CliRunner().invoke(main, ["export", "--format", fmt, *who], catch_exceptions=False)
        return Fetched(200 if result.exit_code == 0 else 500, result.stdout)

    return run


def laid_out_pdf(url: str) -> Callable[[Caller, World], Fetched]:
    """A PDF laid out by a job on first asking: the page answers with the job, a worker lays it out, and the next
    request gets the stored file (shared between callers only when their own document is the same), read as text
    without its line breaks."""
    def run(caller: Caller, world: World) -> Fetched:
        import io

        from pypdf import PdfReader

        from shelter.jobs.worker import run_queued

        response = caller.browser.get(url.format(**world.hubs))
        if response.status_code == 202:
            run_queued()
            response = caller.browser.get(url.format(**world.hubs))
        if response.status_code != 200 or response["Content-Type"] != "application/pdf":
            return _response(response)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
        return Fetched(200, "".join(text.split()))

    return run


def admin_raw_ids(url: str) -> Callable[[Caller, World], Fetched]:
    """An admin add page with raw-id fields given the records of every level (``{INC}``, ``{PER}``...)."""
    def run(caller: Caller, world: World) -> Fetched:
        answers = [_response(caller.browser.get(url.format(**{kind: ids[level] for kind, ids in world.ids.items()
                                                               if level in ids})))
                   for level in LEVELS]
        return Fetched(max(answer.status for answer in answers), "".join(answer.text for answer in answers))

    return run


# --------------------------------------------------------------------------------------------------------
# The paths. ListPath: the response shows the visible markers of `kinds` and none of the hidden ones.
# `shows` False: the path is only checked for leaks (it summarises rather than lists).


@dataclass(frozen=True)
class ListPath:
    name: str
    fetch: Callable[[Caller, World], Fetched]
    kinds: tuple[str, ...]
    module: str = "shelter"
    shows: bool = True


LIST_PATHS = [
    # pages
    ListPath("incident list", page("/incidents/"), ("INC",), "shelter.incidents.views"),
    ListPath("incident list, full-text", page("/incidents/?q=ZQINC"), ("INC",), "shelter.incidents.views"),
    ListPath("incident list, facets", page("/incidents/?tactic=detention&origin_state=UZ&host_country=DE&year=2019"),
             ("INC",), "shelter.incidents.views"),
    ListPath("people list", page("/registry/people/"), ("PER",), "shelter.registry.views"),
    ListPath("people list, search by other name", page("/registry/people/?q=ZQNAM"), ("PER",),
             "shelter.registry.views"),
    ListPath("organisation list", page("/registry/organisations/?q=ZQORG"), ("ORG",), "shelter.registry.views"),
    ListPath("source list", page("/incidents/sources/"), ("SRC",), "shelter.incidents.views"),
    ListPath("search page", page("/search/?q=ZQ"), ("INC", "PER", "ORG"), "shelter.site.views"),
    ListPath("autocomplete people", page("/autocomplete/person/?q=ZQPER"), ("PER",), "shelter.site.views"),
    ListPath("autocomplete organisations", page("/autocomplete/organisation/?q=ZQORG"), ("ORG",),
             "shelter.site.views"),
    ListPath("autocomplete sources", page("/autocomplete/source/?q=ZQSRC"), ("SRC",), "shelter.site.views"),
    ListPath("autocomplete incidents", page("/autocomplete/incident/?q=ZQINC"), ("INC",), "shelter.site.views"),
    ListPath("dashboard", page("/dashboard/"), KINDS, "shelter.site.views", shows=False),
    ListPath("incident page: targets, perpetrators, sources", page("/incidents/{INC}/"), ("PER", "ORG", "SRC"),
             "shelter.incidents.views"),
    ListPath("person page: relationships and their people", page("/registry/people/{PER}/"), ("PER", "REL"),
             "shelter.registry.views"),
    ListPath("organisation page: incidents", page("/registry/organisations/{ORG}/"), ("INC",),
             "shelter.registry.views"),
    ListPath("source page: citing incidents", page("/incidents/sources/{SRC}/"), ("INC",), "shelter.incidents.views"),
    # admin (staff only; others are sent to the admin login)
    ListPath("admin incidents", page("/admin/incidents/incident/"), ("INC",), "shelter.incidents.admin"),
    ListPath("admin incidents, search", page("/admin/incidents/incident/?q=ZQ"), ("INC",), "shelter.incidents.admin"),
    ListPath("admin people", page("/admin/registry/person/"), ("PER",), "shelter.registry.admin"),
    ListPath("admin names", page("/admin/registry/personname/"), ("NAM",), "shelter.registry.admin"),
    ListPath("admin organisations", page("/admin/registry/organisation/"), ("ORG",), "shelter.registry.admin"),
    # the admin lists a relationship by its two ends, not by its detail: checked for leaks only
    ListPath("admin relationships", page("/admin/registry/relationship/"), ("REL", "PER"), "shelter.registry.admin",
             shows=False),
    ListPath("admin sources", page("/admin/incidents/source/"), ("SRC",), "shelter.incidents.admin"),
    ListPath("admin targets", page("/admin/incidents/incidenttarget/"), ("INC", "PER"), "shelter.incidents.admin",
             shows=False),
    # API
    ListPath("API incidents", api("/api/v1/incidents/?limit=500"), ("INC",), "shelter.api.incidents"),
    ListPath("API incidents, q", api("/api/v1/incidents/?q=ZQINC"), ("INC",), "shelter.api.incidents"),
    ListPath("API incidents, q + filters", api("/api/v1/incidents/?q=ZQ&tactic=detention&origin_state=UZ&year=2019"),
             ("INC",), "shelter.api.incidents"),
    ListPath("API incidents of a person", api("/api/v1/incidents/?person={PER}"), ("INC",), "shelter.api.incidents",
             shows=False),
    ListPath("API incident with links", api("/api/v1/incidents/{INC}"), ("PER", "ORG", "SRC", "NAM"),
             "shelter.api.incidents", shows=False),
    ListPath("API people", api("/api/v1/people/?limit=500"), ("PER", "NAM"), "shelter.api.registry"),
    ListPath("API people, q by other name", api("/api/v1/people/?q=ZQNAM&nationality=UZ"), ("PER",),
             "shelter.api.registry"),
    ListPath("API person with relationships", api("/api/v1/people/{PER}"), ("PER", "REL", "NAM"),
             "shelter.api.registry", shows=False),
    ListPath("API organisations", api("/api/v1/organisations/?q=ZQORG"), ("ORG",), "shelter.api.registry"),
    ListPath("API relationships", api("/api/v1/relationships/?limit=500"), ("REL", "PER"), "shelter.api.registry",
             shows=False),
    ListPath("API sources", api("/api/v1/sources/"), ("SRC",), "shelter.api.incidents"),
    ListPath("API source with citations", api("/api/v1/sources/{SRC}"), ("INC",), "shelter.api.incidents",
             shows=False),
    # exports
    ListPath("export JSON", export("json"), ("INC", "PER", "NAM", "ORG", "SRC", "REL"), "shelter.connectors.cli"),
    ListPath("export CSV", export("csv"), ("INC",), "shelter.connectors.cli"),
    ListPath("export FollowTheMoney", export("ftm"), ("INC", "PER", "ORG"), "shelter.connectors.cli"),
    # modules built on the core
    ListPath("notice list", page("/notices/"), ("NTC",), "shelter.notices.views"),
    ListPath("notice list, search", page("/notices/?q=ZQNTC"), ("NTC",), "shelter.notices.views", shows=False),
    ListPath("API notices", api("/api/v1/notices/"), ("NTC",), "shelter.notices.api"),
    ListPath("threat reports", page("/threats/"), ("THR",), "shelter.threats.views"),
    ListPath("API threat reports", api("/api/v1/threats/reports"), ("THR",), "shelter.threats.api"),
    ListPath("statistics dashboard", page("/analytics/"), KINDS, "shelter.analytics.views", shows=False),
    ListPath("state page", page("/analytics/states/UZ/"), ("AGR", "INC", "NTC"), "shelter.analytics.views",
             shows=False),
    ListPath("briefing JSON", page("/analytics/states/UZ/briefing.json"), KINDS, "shelter.analytics.views",
             shows=False),
    ListPath("briefing HTML", page("/analytics/states/UZ/briefing.html"), KINDS, "shelter.analytics.views",
             shows=False),
    ListPath("briefing PDF, laid out by a job", laid_out_pdf("/analytics/states/UZ/briefing.pdf"), KINDS,
             "shelter.analytics.jobs", shows=False),
    ListPath("API statistics", api("/api/v1/analytics/figures"), KINDS, "shelter.analytics.api", shows=False),
    ListPath("API briefing figures", api("/api/v1/analytics/states/UZ/briefing"), KINDS, "shelter.analytics.api",
             shows=False),
    ListPath("API agreements", api("/api/v1/analytics/agreements?state=UZ"), ("AGR",), "shelter.analytics.api"),
    # admin widgets, delete confirmations and history
    ListPath("admin raw-id labels, citation", admin_raw_ids(
        "/admin/incidents/citation/add/?incident={INC}&person={PER}&source={SRC}&organisation={ORG}"),
        ("INC", "PER", "SRC", "ORG"), "shelter.incidents.admin"),
    ListPath("admin raw-id labels, target", admin_raw_ids("/admin/incidents/incidenttarget/add/?incident={INC}&person={PER}"),
             ("INC", "PER"), "shelter.incidents.admin"),
    ListPath("admin raw-id labels, relationship", admin_raw_ids(
        "/admin/registry/relationship/add/?subject_person={PER}&object_organisation={ORG}"), ("PER", "ORG"),
        "shelter.registry.admin"),
    ListPath("admin raw-id labels, name", admin_raw_ids("/admin/registry/personname/add/?person={PER}"), ("PER",),
             "shelter.registry.admin"),
    ListPath("admin delete confirmation, person", page("/admin/registry/person/{PER}/delete/"), KINDS,
             "shelter.registry.admin", shows=False),
    ListPath("admin delete confirmation, incident", page("/admin/incidents/incident/{INC}/delete/"), KINDS,
             "shelter.incidents.admin", shows=False),
    ListPath("admin history, incident", page("/admin/incidents/incident/{INC}/history/"), KINDS,
             "shelter.incidents.admin", shows=False),
    ListPath("admin access log", page("/admin/access/accessevent/"), KINDS, "shelter.access.access_log", shows=False),
]


def _require(module: str) -> None:
    if not has_module(module):
        pytest.skip(f"{module} is not there yet")


@pytest.mark.parametrize("path", LIST_PATHS, ids=lambda p: p.name)
def test_list_paths_show_exactly_what_each_role_may_see(path: ListPath, world: World,
                                                        callers: dict[str, Caller]) -> None:
    _require(path.module)
    answered = []
    for role in ROLES:
        fetched = path.fetch(callers[role], world)
        assert fetched.status < 500, f"{path.name} as {role}: HTTP {fetched.status}"
        for kind in path.kinds:
            for level in KIND_LEVELS[kind]:
                if not world.ids[kind]:
                    continue  # the module with this kind is not installed
                visible = level in SEES[role]
                present = marker(kind, level) in fetched.text
                assert visible or not present, f"LEAK: {path.name} shows {marker(kind, level)} to {role}"
                if path.shows and visible and fetched.status == 200:
                    assert present, f"{path.name} does not show {marker(kind, level)} to {role}"
        if fetched.status == 200:
            answered.append(role)
    assert "admin" in answered, f"{path.name} did not answer the administrator ({answered})"


# --------------------------------------------------------------------------------------------------------
# Detail paths: hidden = 404 (a login redirect for anonymous visitors on members-only pages; the admin sends
# non-staff to its login page), visible = 200 with the marker.


@dataclass(frozen=True)
class DetailPath:
    name: str
    kind: str
    url: str  # {pk}
    module: str
    client: str = "browser"  # or "api"
    staff_only: bool = False
    needs_edit_right: bool = False


DETAIL_PATHS = [
    DetailPath("incident page", "INC", "/incidents/{pk}/", "shelter.incidents.views"),
    DetailPath("person page", "PER", "/registry/people/{pk}/", "shelter.registry.views"),
    DetailPath("organisation page", "ORG", "/registry/organisations/{pk}/", "shelter.registry.views"),
    DetailPath("source page", "SRC", "/incidents/sources/{pk}/", "shelter.incidents.views"),
    DetailPath("incident edit form", "INC", "/incidents/{pk}/edit/", "shelter.incidents.views",
               needs_edit_right=True),
    DetailPath("person edit form", "PER", "/registry/people/{pk}/edit/", "shelter.registry.views",
               needs_edit_right=True),
    DetailPath("relationship edit form", "REL", "/registry/relationships/{pk}/edit/", "shelter.registry.views",
               needs_edit_right=True),
    DetailPath("admin incident", "INC", "/admin/incidents/incident/{pk}/change/", "shelter.incidents.admin",
               staff_only=True),
    DetailPath("admin incident history", "INC", "/admin/incidents/incident/{pk}/history/", "shelter.incidents.admin",
               staff_only=True),
    DetailPath("admin person", "PER", "/admin/registry/person/{pk}/change/", "shelter.registry.admin",
               staff_only=True),
    DetailPath("admin name", "NAM", "/admin/registry/personname/{pk}/change/", "shelter.registry.admin",
               staff_only=True),
    DetailPath("API incident", "INC", "/api/v1/incidents/{pk}", "shelter.api.incidents", client="api"),
    DetailPath("API person", "PER", "/api/v1/people/{pk}", "shelter.api.registry", client="api"),
    DetailPath("API organisation", "ORG", "/api/v1/organisations/{pk}", "shelter.api.registry", client="api"),
    DetailPath("API relationship", "REL", "/api/v1/relationships/{pk}", "shelter.api.registry", client="api"),
    DetailPath("API source", "SRC", "/api/v1/sources/{pk}", "shelter.api.incidents", client="api"),
    DetailPath("notice page", "NTC", "/notices/{pk}/", "shelter.notices.views"),
    DetailPath("notice dossier", "NTC", "/notices/{pk}/dossier/", "shelter.notices.views"),
    DetailPath("API notice", "NTC", "/api/v1/notices/{pk}", "shelter.notices.api", client="api"),
    DetailPath("API notice dossier", "NTC", "/api/v1/notices/{pk}/dossier.html", "shelter.notices.api",
               client="api"),
    DetailPath("threat report page", "THR", "/threats/{pk}/", "shelter.threats.views"),
    DetailPath("API threat report", "THR", "/api/v1/threats/reports/{pk}", "shelter.threats.api", client="api"),
    DetailPath("admin person history", "PER", "/admin/registry/person/{pk}/history/", "shelter.registry.admin",
               staff_only=True),
    DetailPath("admin source history", "SRC", "/admin/incidents/source/{pk}/history/", "shelter.incidents.admin",
               staff_only=True),
    DetailPath("admin notice history", "NTC", "/admin/notices/notice/{pk}/history/", "shelter.notices.admin",
               staff_only=True),
    DetailPath("admin name history", "NAM", "/admin/registry/personname/{pk}/history/", "shelter.registry.admin",
               staff_only=True),
    DetailPath("admin incident delete confirmation", "INC", "/admin/incidents/incident/{pk}/delete/",
               "shelter.incidents.admin", staff_only=True),
]


CANNOT_EDIT = {"viewer_public", "viewer"}


def _expected_hidden_status(path: DetailPath, role: str) -> set[int]:
    if path.staff_only:
        # non-staff go to the admin login; staff get the admin's answer for a missing record (a redirect to
        # the index), or a refusal, never the record
        return {302} if role not in STAFF else {302, 403, 404}
    if role == "anonymous":
        # members-only pages send visitors to the login page; members-only API endpoints answer 401
        return {302, 404} if path.client == "browser" else {401, 404}
    if path.needs_edit_right and role in CANNOT_EDIT:
        return {403, 404}  # refused whatever the record, so the answer says nothing about it
    return {404}


@pytest.mark.parametrize("path", DETAIL_PATHS, ids=lambda p: p.name)
def test_detail_paths_answer_404_for_hidden_records(path: DetailPath, world: World,
                                                    callers: dict[str, Caller]) -> None:
    _require(path.module)
    if not world.ids[path.kind]:
        pytest.skip(f"no {path.kind} records: the module is not installed")
    opened = []
    for role in ROLES:
        client = getattr(callers[role], path.client)
        for level in KIND_LEVELS[path.kind]:
            fetched = _response(client.get(path.url.format(pk=world.ids[path.kind][level])))
            name = marker(path.kind, level)
            if level in SEES[role]:
                assert fetched.status in (200, 302, 401, 403), f"{path.name} {name} as {role}: HTTP {fetched.status}"
                if fetched.status == 200:
                    assert name in fetched.text, f"{path.name} {name} as {role} does not show it"
                    opened.append((role, level))
            else:
                assert fetched.status in _expected_hidden_status(path, role), \
                    f"{path.name} {name} as {role}: HTTP {fetched.status}, expected 404 like a missing record"
                assert name not in fetched.text, f"LEAK: {path.name} shows {name} to {role}"
    assert ("admin", "BETA") in opened, f"{path.name}: the administrator could not open a confidential record"


# --------------------------------------------------------------------------------------------------------
# Counts and actions


@pytest.mark.parametrize("role", ROLES)
def test_api_counts_only_visible_records(role: str, world: World, callers: dict[str, Caller]) -> None:
    _require("shelter.api.incidents")
    answer = json.loads(callers[role].api.get("/api/v1/incidents/?tactic=detention&origin_state=UZ").content)
    assert answer["count"] == len(SEES[role])
    answer = json.loads(callers[role].api.get("/api/v1/people/?q=ZQPER").content)
    assert answer["count"] == len(SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_hidden_records_cannot_be_reverted_or_deleted(role: str, world: World, callers: dict[str, Caller]) -> None:
    _require("shelter.site.views")
    from shelter.incidents.models import Incident

    for level in LEVELS:
        if level in SEES[role]:
            continue
        incident = Incident.objects.get(pk=world.ids["INC"][level])
        version = incident.history.latest().history_id
        browser = callers[role].browser
        for url in (f"/records/incident/{incident.pk}/revert/{version}/", f"/records/incident/{incident.pk}/delete/"):
            response = browser.post(url)
            allowed = {"anonymous": {302, 404}, "editor": {404}, "outsider": {404}}.get(role, {403, 404})
            assert response.status_code in allowed, (url, role, response.status_code)
        assert Incident.objects.filter(pk=incident.pk).exists()


def test_the_matrix_covers_every_role_and_level(users) -> None:  # type: ignore[no-untyped-def]
    """The rule table above agrees with the visibility filter on plain querysets."""
    from shelter.access.visibility import visible_to
    from shelter.registry.models import Organisation

    assert set(SEES) == set(ROLES) and set(users) | {"anonymous"} == set(ROLES)
    teams = {t.name: t for t in users["editor"].teams.all()} | {t.name: t for t in users["researcher"].teams.all()}
    for level in LEVELS:
        organisation = Organisation.objects.create(name=marker("ORG", level), **_level_fields(level))
        _restrict(organisation, level, teams)
    for role in ROLES:
        viewer = AnonymousUser() if role == "anonymous" else users[role]
        seen = {name[len("ZQORG"):] for name in visible_to(Organisation.objects.all(), viewer)
                .values_list("name", flat=True)}
        assert seen == SEES[role], role


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("door", ("browser", "api"))
def test_deletes_never_remove_what_the_caller_may_not_see(role: str, door: str, world: World,
                                                          callers: dict[str, Caller]) -> None:
    """Deleting the hub incident (linked to a person, an organisation and a source at every level) keeps every
    link row; it is marked deleted, not removed, whoever deletes it and by whichever door."""
    _require("shelter.site.views")
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget

    hub = world.hubs["INC"]
    links = {model: set(model._base_manager.filter(incident_id=hub).values_list("pk", flat=True))
             for model in (IncidentTarget, IncidentPerpetrator, Citation)}
    caller = callers[role]
    if door == "browser":
        response = caller.browser.post(f"/records/incident/{hub}/delete/")
        status = response.status_code
        # anonymous visitors are sent to the login page, which is a redirect too
        deleted = status == 302 and "/login" not in response["Location"]
    else:
        status = caller.api.delete(f"/api/v1/incidents/{hub}").status_code
        deleted = status == 204
    assert deleted == (role in STAFF), (role, door, status)
    assert Incident._base_manager.filter(pk=hub, deleted__isnull=not deleted).exists()
    for model, rows in links.items():
        assert set(model._base_manager.filter(incident_id=hub).values_list("pk", flat=True)) == rows, model


# --------------------------------------------------------------------------------------------------------
# Evidence files: reached through their source only (page and API), never by digest.


@pytest.mark.parametrize("role", ROLES)
def test_evidence_files_answer_only_through_a_visible_source(role: str, world: World, callers: dict[str, Caller],
                                                             settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from shelter.incidents.evidence import attach_file
    from shelter.incidents.models import Source

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    digests = {}
    for level in LEVELS:
        source = Source.objects.get(pk=world.ids["SRC"][level])
        digests[level] = attach_file(source, [f"file of {marker('SRC', level)}".encode()], "file.txt").sha256
        source.save()
    caller = callers[role]
    for level in LEVELS:
        pk = world.ids["SRC"][level]
        for client, url in ((caller.browser, f"/incidents/sources/{pk}/evidence/"),
                            (caller.api, f"/api/v1/sources/{pk}/file")):
            fetched = _response(client.get(url))
            if level in SEES[role]:
                assert fetched.status == 200 and marker("SRC", level) in fetched.text, (url, role)
            else:
                assert fetched.status == 404, f"{url} as {role}: HTTP {fetched.status}, expected 404"
                assert marker("SRC", level) not in fetched.text, f"LEAK: {url} to {role}"
        # a digest opens nothing, whoever holds it
        assert caller.browser.get(f"/incidents/evidence/{digests[level]}/").status_code == 404


# --------------------------------------------------------------------------------------------------------
# Lawyers' review notes: records of their own, shown on a public notice only to those who may see each note.


@pytest.mark.parametrize("role", ROLES)
def test_review_notes_show_exactly_what_each_role_may_see(role: str, world: World, teams,  # type: ignore[no-untyped-def]
                                                          callers: dict[str, Caller]) -> None:
    _require("shelter.notices.views")
    from shelter.notices.models import IndicatorReview, Notice

    notice = Notice.objects.get(pk=world.ids["NTC"]["PUBLISHED"])
    for number, level in enumerate(LEVELS, start=1):
        review = IndicatorReview.objects.create(notice=notice, indicator_id=f"RN-0{number}", answer="present",
                                                note=marker("RVW", level), **_level_fields(level))
        _restrict(review, level, teams)
    caller = callers[role]
    for fetched in (_response(caller.browser.get(f"/notices/{notice.pk}/assessment/")),
                    _response(caller.browser.get(f"/notices/{notice.pk}/dossier/")),
                    _response(caller.api.get(f"/api/v1/notices/{notice.pk}/assessment")),
                    _response(caller.api.get(f"/api/v1/notices/{notice.pk}/dossier.html"))):
        assert fetched.status == 200
        for level in LEVELS:
            shown = marker("RVW", level) in fetched.text
            assert shown == (level in SEES[role]), (role, level, "shown" if shown else "missing")


# --------------------------------------------------------------------------------------------------------
# Imports and entity ids: an import matches, changes, withdraws and counts only the notices the importer may
# see; entering a notice names a clash only with a notice the person may see.

IMPORTERS = {"editor", "outsider", "admin"}
NOTICE_WRITERS = {"researcher", "editor", "outsider", "admin"}


def _notice_list(rows: list[tuple[str, str]]) -> str:
    return "entity_id,forename,name,date_of_birth,nationalities\n" + "".join(
        f"{entity_id},RUSTAM,{surname},1980,UZ\n" for entity_id, surname in rows)


@pytest.mark.parametrize("role", ROLES)
def test_notice_import_changes_and_counts_only_visible_notices(role: str, world: World,
                                                               callers: dict[str, Caller]) -> None:
    _require("shelter.notices.api")
    from shelter.notices.models import Notice

    notices = {level: Notice.objects.get(pk=world.ids["NTC"][level]) for level in LEVELS}
    Notice.objects.filter(pk__in=[n.pk for n in notices.values()]).update(origin="interpol_list")
    hidden = [level for level in LEVELS if level not in SEES[role]]
    versions = {level: notice.history.count() for level, notice in notices.items()}
    client = callers[role].api

    def send(rows: list[tuple[str, str]], full_list: bool) -> Fetched:
        return _response(client.post(f"/api/v1/notices/import?full_list={str(full_list).lower()}",
                                     _notice_list(rows), content_type="text/csv"))

    withdrawal = send([("1999/1", "ZQNOBODY")], full_list=True)
    if role not in IMPORTERS:
        assert withdrawal.status in (401, 403), (role, withdrawal.status)
        assert all(n.surname == Notice.objects.get(pk=n.pk).surname for n in notices.values())
        return
    answer = json.loads(withdrawal.text)
    assert answer["withdrawn"] == len(SEES[role]), (role, answer)
    for level, notice in notices.items():
        status = Notice.objects.get(pk=notice.pk).status
        assert status == ("withdrawn" if level in SEES[role] else "active"), (role, level, status)

    answer = json.loads(send([(n.entity_id, f"ZQIMPORTED{level}") for level, n in notices.items()], False).text)
    assert (answer["created"], answer["updated"]) == (len(hidden), len(SEES[role])), (role, answer)
    for level, notice in notices.items():
        stored = Notice.objects.get(pk=notice.pk)
        assert (stored.surname == f"ZQIMPORTED{level}") == (level in SEES[role]), (role, level, stored.surname)
        if level not in SEES[role]:
            assert stored.surname == marker("NTC", level) and stored.history.count() == versions[level]
            beside = Notice.objects.exclude(pk=notice.pk).get(entity_id=notice.entity_id)
            assert _response(client.get(f"/api/v1/notices/{beside.pk}")).status == 200


@pytest.mark.parametrize("role", ROLES)
def test_notice_entry_names_a_clash_only_with_a_visible_notice(role: str, world: World,
                                                               callers: dict[str, Caller]) -> None:
    _require("shelter.notices.api")
    from shelter.notices.models import Notice

    for level in LEVELS:
        entity_id = Notice.objects.get(pk=world.ids["NTC"][level]).entity_id
        fetched = _response(callers[role].api.post(
            "/api/v1/notices/", json.dumps({"entity_id": entity_id, "kind": "diffusion", "surname": "ZQNEW",
                                            "confidentiality": "public"}), content_type="application/json"))
        if role not in NOTICE_WRITERS:
            assert fetched.status in (401, 403), (role, level, fetched.status)
        elif level in SEES[role]:
            assert fetched.status == 422 and "already recorded" in fetched.text, (role, level, fetched.status)
        else:
            assert fetched.status == 201, (role, level, fetched.status, fetched.text)
        assert marker("NTC", level) not in fetched.text


# --------------------------------------------------------------------------------------------------------
# The at-risk flag: shown to signed-in users only, on every path, even for a published public person.


@pytest.mark.parametrize("role", ROLES)
def test_the_at_risk_flag_reaches_signed_in_users_only(role: str, world: World, callers: dict[str, Caller]) -> None:
    _require("shelter.registry.views")
    from shelter.registry.models import Person

    pk = world.ids["PER"]["PUBLISHED"]
    Person.objects.filter(pk=pk).update(at_risk=True)
    caller = callers[role]
    badge = 'class="badge warn">at risk<'
    pages = [_response(caller.browser.get(url)).text for url in (f"/registry/people/{pk}/", "/registry/people/")]
    person = json.loads(_response(caller.api.get(f"/api/v1/people/{pk}")).text)
    exported = json.loads(export("json")(caller, world).text)["persons"]
    flags = {p["at_risk"] for p in exported if p["primary_name"] == marker("PER", "PUBLISHED")}
    if role == "anonymous":
        assert all(badge not in text for text in pages)
        assert person["at_risk"] is None and flags == {None}
        assert caller.api.get("/api/v1/people/?at_risk=true").status_code == 422
    else:
        assert all(badge in text for text in pages)
        assert person["at_risk"] is True and flags == {True}


# --------------------------------------------------------------------------------------------------------
# The publishing guard: its warning names only people the writer may see.


@pytest.mark.parametrize("role", ROLES)
def test_the_publishing_guard_names_only_people_the_writer_may_see(role: str, world: World,
                                                                   callers: dict[str, Caller]) -> None:
    _require("shelter.incidents.publishing")
    from shelter.registry.models import Person

    for level in LEVELS:
        Person.objects.filter(pk=world.ids["PER"][level]).update(primary_name=f"{marker('PER', level)} Nazarov")
    title = "Detained: " + ", ".join(f"{marker('PER', level)} Nazarov" for level in LEVELS)
    response = callers[role].api.post("/api/v1/incidents/", json.dumps({
        "title": title, "tactic": "detention", "date": "2022", "origin_state": "UZ", "confidentiality": "public",
        "published": True}), content_type="application/json")
    answer = response.content.decode()
    if role in ("anonymous", "viewer_public", "viewer"):
        assert response.status_code in (401, 403), (role, response.status_code)
        return
    assert response.status_code == 422, (role, response.status_code)
    for level in LEVELS:
        warned = marker("PER", level) in answer
        assert warned == (level in SEES[role] and level != "PUBLISHED"), (role, level)


# --------------------------------------------------------------------------------------------------------
# Networks (shelter.network): pages, their data, exports and reports.


def network_cli(*args: str) -> Callable[[Caller, World], Fetched]:
    def run(caller: Caller, world: World) -> Fetched:
        from shelter.cli import main

        who = ["--public"] if caller.user is None else ["--as", caller.user.username]
        asked = [arg.format(**world.hubs) for arg in args]
        result = CliRunner().invoke(main, ["network", *asked, *who], catch_exceptions=False)
        return Fetched(200 if result.exit_code == 0 else 500, result.stdout)

    return run


NETWORK_LIST_PATHS = [
    ListPath("network page, person", page("/network/person/{PER}/?hops=3"), ("PER", "REL", "ORG"),
             "shelter.network.views"),
    ListPath("network data, person", page("/network/person/{PER}.json?hops=3"), ("PER", "REL", "ORG"),
             "shelter.network.views"),
    ListPath("network page, incident", page("/network/incident/{INC}/"), ("PER", "ORG", "SRC"),
             "shelter.network.views"),
    ListPath("network data, organisation", page("/network/organisation/{ORG}.json"), ("INC",),
             "shelter.network.views"),
    ListPath("network export GEXF", network_cli("export", "--format", "gexf", "-o", "-"),
             ("INC", "PER", "ORG", "REL", "SRC"), "shelter.network.cli"),
    ListPath("network export GraphML, state", network_cli("export", "--format", "graphml", "--state", "UZ", "-o", "-"),
             ("INC",), "shelter.network.cli"),
    ListPath("network export FtM", network_cli("export", "--format", "ftm", "-o", "-"), ("INC", "PER", "ORG"),
             "shelter.network.cli"),
    ListPath("network report JSON", network_cli("report", "--state", "TJ"), KINDS, "shelter.network.cli",
             shows=False),
    ListPath("network report HTML", network_cli("report", "--state", "UZ", "--format", "html"), KINDS,
             "shelter.network.cli", shows=False),
    ListPath("network paths", network_cli("paths", "{PER}", "incident:{INC}"), KINDS, "shelter.network.cli", shows=False),
]


@pytest.mark.parametrize("path", NETWORK_LIST_PATHS, ids=lambda p: p.name)
def test_network_paths_show_exactly_what_each_role_may_see(path: ListPath, world: World,
                                                           callers: dict[str, Caller]) -> None:
    test_list_paths_show_exactly_what_each_role_may_see(path, world, callers)


NETWORK_DETAIL_PATHS = [
    DetailPath(f"network {what} of a {kind}", marker_kind, f"/network/{kind}/{{pk}}{suffix}", "shelter.network.views")
    for kind, marker_kind in (("person", "PER"), ("organisation", "ORG"), ("incident", "INC"))
    for what, suffix in (("page", "/"), ("data", ".json"))
]


@pytest.mark.parametrize("path", NETWORK_DETAIL_PATHS, ids=lambda p: p.name)
def test_network_detail_paths_answer_404_for_hidden_records(path: DetailPath, world: World,
                                                            callers: dict[str, Caller]) -> None:
    test_detail_paths_answer_404_for_hidden_records(path, world, callers)


# --------------------------------------------------------------------------------------------------------
# Dossier downloads as PDF (the CCF annex, in Russian): a hidden notice answers 404 like a missing one


@pytest.mark.parametrize("url", ["/notices/{pk}/ccf-annex.pdf?lang=ru", "/notices/{pk}/dossier.pdf?lang=ru"])
def test_dossier_pdfs_answer_404_for_hidden_notices(url: str, world: World, callers: dict[str, Caller]) -> None:
    import io

    from pypdf import PdfReader

    _require("shelter.notices.views")
    if not world.ids["NTC"]:
        pytest.skip("no NTC records: the module is not installed")
    from shelter.jobs.worker import run_queued

    opened = []
    for role in ("anonymous", "outsider", "admin"):
        for level in KIND_LEVELS["NTC"]:
            response = callers[role].browser.get(url.format(pk=world.ids["NTC"][level]))
            name = marker("NTC", level)
            if level in SEES[role]:
                if response.status_code == 202:  # laid out by a worker the first time, with the caller's eyes
                    run_queued()
                    response = callers[role].browser.get(url.format(pk=world.ids["NTC"][level]))
                assert response.status_code in (200, 302), f"{url} {name} as {role}: HTTP {response.status_code}"
                if response.status_code == 200:
                    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)
                    assert name in text, f"{url} {name} as {role} does not show it"
                    opened.append((role, level))
            else:
                assert response.status_code in (302, 404), f"{url} {name} as {role}: HTTP {response.status_code}"
                assert name.encode() not in response.content, f"LEAK: {url} shows {name} to {role}"
    assert ("admin", "BETA") in opened, f"{url}: the administrator could not open a confidential notice"


# --------------------------------------------------------------------------------------------------------
# The match API (yente's shape), the reconciliation API and watchlists (shelter.watchlists).


def match_api(dataset: str, kind: str, forename: str = "") -> Callable[[Caller, World], Fetched]:
    """One query per level for the marker of ``kind`` at that level (as a name), in one batch."""
    def run(caller: Caller, world: World) -> Fetched:
        queries = {level: {"schema": "Person", "properties": {"name": [f"{forename} {marker(kind, level)}".strip()]}}
                   for level in LEVELS}
        fetched = _response(caller.api.post(f"/api/v1/match/{dataset}?cutoff=0.6&limit=20",
                                             json.dumps({"queries": queries}), content_type="application/json"))
        if fetched.status != 200:
            return fetched
        # each answer echoes its query (the marker the caller sent), and an explanation names the query's parts:
        # the cutoff keeps to candidates of the query's own level, and the echo is left out
        answers = json.loads(fetched.text)["responses"]
        return Fetched(200, json.dumps({level: {key: value for key, value in answer.items() if key != "query"}
                                        for level, answer in answers.items()}))

    return run


def reconcile_api(dataset: str, kind: str, forename: str = "") -> Callable[[Caller, World], Fetched]:
    def run(caller: Caller, world: World) -> Fetched:
        queries = {level: {"query": f"{forename} {marker(kind, level)}".strip(), "limit": 20} for level in LEVELS}
        return _response(caller.api.get(f"/api/v1/reconcile/{dataset}", {"queries": json.dumps(queries)}))

    return run


MATCH_PATHS = [
    ListPath("match API, registry", match_api("registry", "PER"), ("PER",), "shelter.watchlists.match_api"),
    ListPath("match API, notices", match_api("notices", "NTC", "Rustam"), ("NTC",), "shelter.watchlists.match_api"),
    ListPath("reconciliation, registry", reconcile_api("registry", "PER"), ("PER",), "shelter.watchlists.reconcile"),
    ListPath("reconciliation, notices", reconcile_api("notices", "NTC", "Rustam"), ("NTC",),
             "shelter.watchlists.reconcile"),
    ListPath("reconciliation, suggest people", api("/api/v1/reconcile/registry/suggest/entity?prefix=ZQPER"), ("PER",),
             "shelter.watchlists.reconcile"),
]


@pytest.mark.parametrize("path", MATCH_PATHS, ids=lambda p: p.name)
def test_match_paths_show_exactly_what_each_role_may_see(path: ListPath, world: World, callers: dict[str, Caller],
                                                         settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path  # the screening indexes are kept there
    test_list_paths_show_exactly_what_each_role_may_see(path, world, callers)


@pytest.mark.parametrize("role", ROLES)
def test_match_totals_count_only_visible_people(role: str, world: World, callers: dict[str, Caller], settings,  # type: ignore[no-untyped-def]
                                                tmp_path) -> None:
    _require("shelter.watchlists.match_api")
    settings.SHELTER_HOME = tmp_path
    fetched = match_api("registry", "PER")(callers[role], world)
    if role == "anonymous":
        assert fetched.status == 401
        return
    responses = json.loads(fetched.text)
    for level in LEVELS:
        total = responses[level]["total"]["value"]
        assert total == (1 if level in SEES[role] else 0), (role, level, total)


@pytest.mark.parametrize("role", ROLES)
def test_watchlists_their_entries_and_alerts_show_exactly_what_each_role_may_see(  # type: ignore[no-untyped-def]
        role: str, world: World, callers: dict[str, Caller], settings, tmp_path) -> None:
    """A watchlist at every level, each listing the at-risk person of its own level by its marker: the match API,
    the reconciliation API, the command's list and its alerts show a list's entries, candidates and alerts only to
    those who may see the list (and, for candidates and alerts, the person too)."""
    _require("shelter.watchlists.importing")
    from shelter.registry.models import Person
    from shelter.watchlists.importing import import_watchlist
    from shelter.watchlists.services import alerts_for

    settings.SHELTER_HOME = tmp_path
    Person.objects.filter(pk__in=world.ids["PER"].values()).update(at_risk=True)
    for level in LEVELS:
        Person.objects.filter(pk=world.ids["PER"][level]).update(primary_name=f"Rustam {marker('PER', level)}")
    for level in LEVELS:
        source = tmp_path / f"{level}.ftm.json"
        source.write_text(json.dumps({"id": marker("WLE", level), "schema": "Person", "properties": {
            "name": [f"Rustam {marker('PER', level)}"], "nationality": ["uz"]}}) + "\n", encoding="utf-8")
        fields = _level_fields(level)
        teams = [level.lower()] if level in ("ALPHA", "BETA") else None
        import_watchlist(f"list-{level.lower()}", source, state="UZ",
                         restriction={**fields, "teams": teams})
    caller = callers[role]
    viewer = caller.user
    for level in LEVELS:
        dataset = f"list-{level.lower()}"
        query = {"queries": {"q": {"schema": "Person", "properties": {"name": [f"Rustam {marker('PER', level)}"]}}}}
        matched = _response(caller.api.post(f"/api/v1/match/{dataset}", json.dumps(query),
                                            content_type="application/json"))
        reconciled = _response(caller.api.get(f"/api/v1/reconcile/{dataset}",
                                              {"queries": json.dumps({"q": {"query": f"Rustam {marker('PER', level)}"}})}))
        if role == "anonymous":
            assert matched.status == 401
        elif level in SEES[role]:
            assert matched.status == 200 and marker("WLE", level) in matched.text, (role, level)
        else:
            assert matched.status == 404 and marker("WLE", level) not in matched.text, (role, level)
        if level in SEES[role]:
            assert reconciled.status == 200 and marker("WLE", level) in reconciled.text, (role, level)
        else:
            assert reconciled.status == 404 and marker("WLE", level) not in reconciled.text, (role, level)
    shown = json.dumps(alerts_for(viewer))
    listed = CliRunner().invoke(
        __import__("shelter.cli", fromlist=["main"]).main,
        ["watchlists", "list", *(["--as", viewer.username] if viewer else [])], catch_exceptions=False).stdout
    for level in LEVELS:
        assert (marker("PER", level) in shown) == (level in SEES[role]), (role, level, "alert")
        assert (f"list-{level.lower()}" in listed) == (level in SEES[role] or viewer is None), (role, level, "list")


@pytest.mark.parametrize("role", ROLES)
def test_jobs_show_their_progress_and_result_to_the_asker_and_admins_only(  # type: ignore[no-untyped-def]
        role: str, callers: dict[str, Caller], users) -> None:
    """One finished job per user, its result naming its asker: the jobs page, a job's page and its htmx fragment,
    the jobs API (list, one job, cancel) and the file a job made (page and API) show a job to its asker and to
    admins only; anyone else gets "not found" exactly as for a missing job. The operator's command line lists
    every job."""
    _require("shelter.jobs.models")
    from shelter.jobs.models import Job
    from shelter.jobs.services import keep_result

    jobs = {name: Job.objects.create(kind="notices.import", asker=user, status="done",
                                     summary=f"result-of-{name}-job") for name, user in users.items()}
    for name, job in jobs.items():
        keep_result(job, f"{name}.json", "application/json", f"file-of-{name}-job".encode())
    missing = "00000000-0000-4000-8000-000000000000"
    caller = callers[role]
    listed_page = _response(caller.browser.get("/jobs/"))
    listed_api = _response(caller.api.get("/api/v1/jobs/?limit=100"))
    for name, job in jobs.items():
        sees = caller.user is not None and (caller.user.is_shelter_admin or caller.user == job.asker)
        page = _response(caller.browser.get(f"/jobs/{job.pk}/"))
        fragment = _response(caller.browser.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true"))
        fetched = _response(caller.api.get(f"/api/v1/jobs/{job.pk}"))
        cancel = _response(caller.api.post(f"/api/v1/jobs/{job.pk}/cancel"))
        file_page = _response(caller.browser.get(f"/jobs/{job.pk}/result/"))
        file_api = _response(caller.api.get(f"/api/v1/jobs/{job.pk}/result"))
        marker_text, file_text = f"result-of-{name}-job", f"file-of-{name}-job"
        if role == "anonymous":
            assert page.status == 302 and fetched.status == 401 and cancel.status == 401
            assert file_page.status == 302 and file_api.status == 401
            assert listed_api.status == 401 and marker_text not in listed_page.text
            continue
        assert (marker_text in listed_page.text) == sees, (role, name, "page list")
        assert (marker_text in listed_api.text or str(job.pk) in listed_api.text) == sees, (role, name, "api list")
        if sees:
            assert page.status == fragment.status == fetched.status == 200 and marker_text in fetched.text
            assert cancel.status == 409  # already finished
            assert file_page.status == file_api.status == 200 and file_page.text == file_api.text == file_text
        else:
            absent = _response(caller.api.get(f"/api/v1/jobs/{missing}"))
            assert page.status == fragment.status == fetched.status == cancel.status == 404, (role, name)
            assert fetched.text == absent.text and marker_text not in page.text + fragment.text + fetched.text
            assert file_page.status == file_api.status == 404 and file_text not in file_page.text + file_api.text
    listed_cli = CliRunner().invoke(__import__("shelter.cli", fromlist=["main"]).main, ["jobs", "list"],
                                    catch_exceptions=False).stdout
    assert all(str(job.pk) in listed_cli for job in jobs.values())


@pytest.mark.parametrize("role", ROLES)
def test_monitoring_plans_check_ins_and_deadlines_show_exactly_what_each_role_may_see(  # type: ignore[no-untyped-def]
        role: str, world: World, callers: dict[str, Caller], teams) -> None:
    """A monitoring plan, a check-in and a deadline at every level, on the person of that level: the API's lists,
    details and overdue and due-soon lists, the commands and the host briefing's counts show each only to those
    who may see it; a hidden plan answers 404 like a missing one."""
    _require("shelter.monitoring.services")
    from shelter.monitoring.evidence import host_briefing
    from shelter.monitoring.models import CheckIn, Deadline, MonitoringPlan
    from shelter.registry.models import Person

    plans: dict[str, int] = {}
    for level in LEVELS:
        fields = _level_fields(level)
        person = Person.objects.get(pk=world.ids["PER"][level])
        plan = MonitoringPlan.objects.create(person=person, host_country="DE", destination="UZ",
                                             return_date="2025-01-01", route=marker("MPL", level), **fields)
        check_in = CheckIn.objects.create(plan=plan, date="2025-01-02", status="detained",
                                          sources=marker("MCI", level), **fields)
        deadline = Deadline.objects.create(person=person, kind="hearing", due="2025-01-20",
                                           title=marker("MDL", level), host_country="DE", **fields)
        for record in (plan, check_in, deadline):
            _restrict(record, level, teams)
        plans[level] = plan.pk
    caller = callers[role]
    listed = _response(caller.api.get("/api/v1/monitoring/plans", {"limit": 100}))
    overdue = _response(caller.api.get("/api/v1/monitoring/overdue", {"today": "2025-06-01"}))
    due = _response(caller.api.get("/api/v1/monitoring/deadlines", {"today": "2025-01-15"}))
    cli_due = CliRunner().invoke(
        __import__("shelter.cli", fromlist=["main"]).main,
        ["monitor", "deadlines", "--today", "2025-01-15", "--json", *(["--as", caller.user.username]
                                                                      if caller.user else [])]).stdout
    dashboard = _response(caller.browser.get("/monitoring/"))
    if role == "anonymous":
        assert listed.status == overdue.status == due.status == 401
        assert dashboard.status == 302 and "ZQ" not in dashboard.text
    else:
        assert json.loads(listed.text)["count"] == len(SEES[role])
        assert json.loads(overdue.text)["count"] == len(SEES[role])
    for level in LEVELS:
        sees = level in SEES[role]
        detail = _response(caller.api.get(f"/api/v1/monitoring/plans/{plans[level]}"))
        if role != "anonymous":
            assert (marker("MPL", level) in listed.text) == sees, (role, level)
            assert (marker("MDL", level) in due.text) == sees, (role, level)
            assert detail.status == (200 if sees else 404), (role, level)
            assert (marker("MCI", level) in detail.text) == sees, (role, level)
        if caller.user is not None:
            assert (marker("MDL", level) in cli_due) == sees, (role, level)
            page_detail = _response(caller.browser.get(f"/monitoring/plans/{plans[level]}/"))
            assert page_detail.status == (200 if sees else 404), (role, level)
            assert (marker("MCI", level) in page_detail.text) == sees, (role, level)
            assert (marker("MDL", level) in dashboard.text) == sees, (role, level)
            assert (marker("PER", level) in dashboard.text) == sees, (role, level)
    briefing = host_briefing("DE", caller.user, public=caller.user is None)
    assert briefing["returns_total"] == ("fewer than 3" if caller.user is None else len(SEES[role]))
    assert briefing["outcomes"].get("detained") == (None if caller.user is None else len(SEES[role]))


@pytest.mark.parametrize("role", ROLES)
def test_surveillance_records_show_exactly_what_each_role_may_see(  # type: ignore[no-untyped-def]
        role: str, world: World, callers: dict[str, Caller], teams, django_capture_on_commit_callbacks) -> None:
    """A vendor, a product, a deployment and a licence decision at every level (the products under a public hub
    vendor, linked to the hub incident; the deployments' agency the hub organisation): list pages with search and
    facets, record pages, the API's lists, records and suppliers, the assessment, the commands' lists and exports
    (JSON, CSV, FollowTheMoney), the incident and organisation pages' sections, the briefing the hub vendor's page and the incidents naming a product show each
    only to those who may see it; a hidden record answers 404 like a missing one."""
    _require("shelter.surveillance.models")
    from shelter.analytics.briefing import build_briefing, render_html
    from shelter.analytics.services import Audience
    from shelter.cli import main
    from shelter.incidents.models import Incident
    from shelter.registry.models import Organisation
    from shelter.surveillance.models import Deployment, IncidentProduct, LicenceDecision, Product, Vendor

    published = _level_fields("PUBLISHED")
    ids: dict[str, dict[str, int]] = {"VEN": {}, "PRD": {}, "DEP": {}, "LIC": {}}
    with django_capture_on_commit_callbacks(execute=True):
        hub_vendor = Vendor.objects.create(name="ZQHUBVENDOR", **published)
        hub_organisation = Organisation.objects.get(pk=world.hubs["ORG"])
        hub_incident = Incident.objects.get(pk=world.hubs["INC"])
        for level in LEVELS:
            fields = _level_fields(level)
            vendor = Vendor.objects.create(name=marker("VEN", level), country="IL", **fields)
            product = Product.objects.create(vendor=hub_vendor, name=marker("PRD", level), family="Pegasus",
                                             capabilities=["spyware"], **fields)
            deployment = Deployment.objects.create(product=product, kind="confirmed_use", customer_state="UZ",
                                                   agency=hub_organisation, agency_name=marker("DEP", level),
                                                   date="2021", **fields)
            licence = LicenceDecision.objects.create(exporting_state="FR", destination="UZ", decision="denied",
                                                     product=product, end_user_name=marker("LIC", level), **fields)
            for record in (vendor, product, deployment, licence):
                _restrict(record, level, teams)
            IncidentProduct.objects.create(incident=hub_incident, product=product)
            ids["VEN"][level], ids["PRD"][level] = vendor.pk, product.pk
            ids["DEP"][level], ids["LIC"][level] = deployment.pk, licence.pk
        public_product = Product.objects.get(pk=ids["PRD"]["PUBLISHED"])
        for level in LEVELS:  # the public product named in the incident of every level
            IncidentProduct.objects.create(incident_id=world.ids["INC"][level], product=public_product)
    caller = callers[role]
    who = ["--public"] if caller.user is None else ["--as", caller.user.username]
    runner = CliRunner()
    texts = {
        "vendor list": _response(caller.browser.get("/surveillance/?q=ZQVEN&country=IL")).text,
        "search page": _response(caller.browser.get("/search/?q=ZQVEN")).text,
        "page export JSON": _response(caller.browser.get("/surveillance/export/?format=json")).text,
        "page export CSV": _response(caller.browser.get("/surveillance/export/?format=csv&kind=deployments")).text,
        "product list": _response(caller.browser.get("/surveillance/products/?vendor=ZQHUBVENDOR")).text,
        "deployment list": _response(caller.browser.get("/surveillance/deployments/?q=ZQDEP&customer_state=UZ")).text,
        "licence list": _response(caller.browser.get("/surveillance/licences/?decision=denied")).text,
        "hub vendor page": _response(caller.browser.get(f"/surveillance/vendors/{hub_vendor.pk}/")).text,
        "incident page": _response(caller.browser.get(f"/incidents/{hub_incident.pk}/")).text,
        "organisation page": _response(caller.browser.get(f"/registry/organisations/{hub_organisation.pk}/")).text,
        "API vendors": _response(caller.api.get("/api/v1/surveillance/vendors/", {"q": "ZQVEN"})).text,
        "API products": _response(caller.api.get("/api/v1/surveillance/products/", {"limit": 100})).text,
        "API deployments": _response(caller.api.get("/api/v1/surveillance/deployments/", {"limit": 100})).text,
        "API licences": _response(caller.api.get("/api/v1/surveillance/licences/", {"destination": "UZ"})).text,
        "API suppliers": _response(caller.api.get("/api/v1/surveillance/suppliers/UZ")).text,
        "API assessment": _response(caller.api.post(
            "/api/v1/surveillance/assess", json.dumps({"product": "ZQPRDPUBLISHED", "destination": "UZ"}),
            content_type="application/json")).text,
        "CLI vendors": runner.invoke(main, ["surveillance", "vendors", "list", "--json", *who]).stdout,
        "CLI deployments": runner.invoke(main, ["surveillance", "deployments", "list", "--json", *who]).stdout,
        "CLI suppliers": runner.invoke(main, ["surveillance", "suppliers", "UZ", *who]).stdout,
        "CLI export JSON": runner.invoke(main, ["surveillance", "export", *who]).stdout,
        "CLI export CSV": runner.invoke(main, ["surveillance", "export", "--format", "csv", "--kind", "licences",
                                               *who]).stdout,
        "CLI export FtM": runner.invoke(main, ["surveillance", "export", "--format", "ftm", *who]).stdout,
        "CLI assessment": runner.invoke(main, ["surveillance", "assess", "--product", "ZQPRDPUBLISHED",
                                               "--destination", "UZ", "--json", *who]).stdout,
        "briefing": render_html(build_briefing("UZ", Audience(caller.user, public=caller.user is None))),
    }
    shown = {
        "vendor list": ("VEN",), "search page": ("VEN",), "product list": ("PRD",),
        "page export JSON": ("VEN", "PRD", "DEP", "LIC"), "page export CSV": ("PRD", "DEP"), "deployment list": ("DEP",), "licence list": ("LIC",),
        "hub vendor page": ("PRD", "DEP", "LIC"), "incident page": ("PRD",), "organisation page": ("PRD",),
        "API vendors": ("VEN",), "API products": ("PRD",), "API deployments": ("DEP",), "API licences": ("LIC",),
        "API suppliers": ("PRD", "DEP"), "API assessment": ("DEP", "LIC"), "CLI vendors": ("VEN",),
        "CLI deployments": ("DEP",), "CLI suppliers": ("PRD", "DEP"), "CLI export JSON": ("VEN", "PRD", "DEP", "LIC"),
        "CLI export CSV": ("PRD", "LIC"), "CLI export FtM": ("VEN", "PRD", "DEP"), "CLI assessment": ("DEP", "LIC"),
        "briefing": ("PRD", "DEP", "LIC"),
    }
    for path, kinds in shown.items():
        for kind in kinds:
            for level in LEVELS:
                present = marker(kind, level) in texts[path]
                assert present == (level in SEES[role]), f"{path}: {marker(kind, level)} to {role} ({present})"
    counted = json.loads(texts["API deployments"])["count"]
    assert counted == len(SEES[role])
    named = json.loads(_response(caller.api.get(
        f"/api/v1/surveillance/products/{ids['PRD']['PUBLISHED']}/incidents")).text)
    assert {link["incident"] for link in named} == {world.ids["INC"][level] for level in SEES[role]} | {
        hub_incident.pk}
    for kind, url in (("VEN", "/surveillance/vendors/{}/"), ("PRD", "/surveillance/products/{}/"),
                      ("DEP", "/surveillance/deployments/{}/"), ("LIC", "/surveillance/licences/{}/"),
                      ("VEN", "/api/v1/surveillance/vendors/{}"), ("DEP", "/api/v1/surveillance/deployments/{}")):
        client = caller.api if url.startswith("/api/") else caller.browser
        for level in LEVELS:
            fetched = _response(client.get(url.format(ids[kind][level])))
            sees = level in SEES[role]
            assert fetched.status == (200 if sees else 404), (url, role, level, fetched.status)
            assert (marker(kind, level) in fetched.text) == sees, (url, role, level)


SURVEILLANCE_WRITERS = {"researcher", "editor", "outsider", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_surveillance_import_page_changes_and_counts_only_visible_vendors(  # type: ignore[no-untyped-def]
        role: str, callers: dict[str, Caller], teams, settings) -> None:
    """The import page (and the job a large file becomes) matches a vendor by name only among the vendors the
    writer may see: a visible one is updated, a hidden one is left as it was and the writer gets a vendor of
    their own; the page names no hidden record."""
    _require("shelter.surveillance.views")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelter.jobs.models import Job
    from shelter.jobs.worker import run_queued
    from shelter.surveillance.models import Vendor

    vendors = {}
    for level in LEVELS:
        vendors[level] = Vendor.objects.create(name=marker("VEN", level), description="before",
                                               **_level_fields(level))
        _restrict(vendors[level], level, teams)
    data = ("name,description\n" + "".join(f"{marker('VEN', level)},after\n" for level in LEVELS)).encode()
    for background in (False, True):
        settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10 if background else 10**6
        response = callers[role].browser.post("/surveillance/import/", {
            "file": SimpleUploadedFile("vendors.csv", data), "format": "csv", "kind": "vendors",
            "confidentiality": "internal", "dry_run": "on"})
        if role not in SURVEILLANCE_WRITERS:
            assert response.status_code in (302, 403) and not Job.objects.exists(), (role, response.status_code)
            assert "/login" in response.get("Location", "/login") and "ZQ" not in response.content.decode()
            continue
        assert response.status_code == 302, (role, response.status_code)
        if background:
            run_queued()
            text = Job.objects.get().summary + _response(callers[role].browser.get(response["Location"])).text
        else:
            text = _response(callers[role].browser.get(response["Location"])).text
        hidden = len(LEVELS) - len(SEES[role])
        expected = f"would create {hidden} vendors" if hidden else "would create nothing new"
        assert expected in text and f"updated {len(SEES[role])} vendors" in text, (role, background, text)
        assert "ZQVEN" not in text, (role, background)
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 10**6
    callers[role].browser.post("/surveillance/import/", {
        "file": SimpleUploadedFile("vendors.csv", data), "format": "csv", "kind": "vendors",
        "confidentiality": "internal"})
    for level, vendor in vendors.items():
        stored = Vendor.objects.get(pk=vendor.pk)
        changed = role in SURVEILLANCE_WRITERS and level in SEES[role]
        assert stored.description == ("after" if changed else "before"), (role, level, stored.description)


def _person_level(person: Any) -> str:
    """The matrix level of a person from its own fields (hubs and twins included)."""
    if person.confidentiality == "confidential":
        return {team.name for team in person.teams.all()}.pop().upper()
    if person.confidentiality == "internal":
        return "INTERNAL"
    return "PUBLISHED" if person.published else "DRAFT"


@pytest.mark.parametrize("role", ROLES)
def test_possible_duplicates_show_a_pair_only_when_both_people_are_visible(  # type: ignore[no-untyped-def]
        role: str, world: World, callers: dict[str, Caller], teams) -> None:
    """The registry compared by the job and its pairs stored: at every level two namesakes named by the level's
    marker and a namesake of a published person. The curators' page lists
    exactly the stored pairs whose two people the role may see, counts only those, and shows no hidden marker."""
    _require("shelter.registry.jobs")
    from shelter.jobs.worker import run_queued
    from shelter.registry.jobs import start_duplicates
    from shelter.registry.models import DuplicatePair, Person

    Person.objects.create(primary_name="Rustam Qodirboyev", dob="1980-05-02", confidentiality="public",
                          published=True)
    for level in LEVELS:
        fields = _level_fields(level)
        for name in (f"Dilshod {marker('PER', level)}", f"Dilshod {marker('PER', level)}", "Rustam Qodirboyev"):
            twin = Person.objects.create(primary_name=name, dob="1980-05-02", **fields)
            _restrict(twin, level, teams)
    assert start_duplicates(None) is not None and run_queued() >= 1
    stored = list(DuplicatePair._base_manager.select_related("first", "second"))
    levels_of = {pair.pk: {_person_level(pair.first), _person_level(pair.second)} for pair in stored}
    assert {"ALPHA", "PUBLISHED"} in levels_of.values()  # a pair across levels is among the stored ones
    expected = {pair.pk for pair in stored if levels_of[pair.pk] <= SEES[role]}
    response = callers[role].browser.get("/registry/people/duplicates/")
    if role not in STAFF:
        assert response.status_code in (302, 403), (role, response.status_code)
        assert all(marker("PER", level) not in response.content.decode() for level in LEVELS)
        return
    text = response.content.decode()
    assert response.status_code == 200
    assert {pair.pk for pair in response.context["stored"].pairs} == expected, role
    assert response.context["stored"].count == len(expected), role
    for level in LEVELS:
        assert (marker("PER", level) in text) == (level in SEES[role]), (role, level)
