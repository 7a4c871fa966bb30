"""The fictional demo workspace: its data files, its shape, idempotence, and ``shelter demo --load-only``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from shelter import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SHELTER_HOME = tmp_path
    messages: list[str] = []
    credentials = demo.load_demo_workspace(messages.append)
    return credentials, messages


def test_catalogue_is_well_formed() -> None:
    catalogue = demo.load_catalogue()
    assert len(catalogue.origins) >= 8
    assert len(catalogue.hosts) >= 15
    for origin in catalogue.origins.values():
        assert origin.male and origin.female and origin.surnames


def test_catalogue_errors_name_the_file_and_entry(tmp_path: Path) -> None:
    for name in ("people.yaml", "workspace.yaml"):
        (tmp_path / name).write_text((demo.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    shape = yaml.safe_load((tmp_path / "workspace.yaml").read_text(encoding="utf-8"))
    del shape["titles"]["spyware"]
    shape["titles"]["phishing"] = ["Mail sent to {victim}"]
    (tmp_path / "workspace.yaml").write_text(yaml.safe_dump(shape, allow_unicode=True), encoding="utf-8")
    with pytest.raises(demo.DemoDataError, match=r"missing \['spyware'\]"):
        demo.load_catalogue.__wrapped__(tmp_path)
    shape["titles"]["spyware"] = ["Implant found on phone of {target}"]
    (tmp_path / "workspace.yaml").write_text(yaml.safe_dump(shape, allow_unicode=True), encoding="utf-8")
    with pytest.raises(demo.DemoDataError, match=r"titles.phishing: unknown placeholder\(s\) \['victim'\]"):
        demo.load_catalogue.__wrapped__(tmp_path)


def test_same_seed_same_workspace() -> None:
    first, second = demo.build_workspace(), demo.build_workspace()
    assert [i.title for i in first.incidents] == [i.title for i in second.incidents]
    assert [n.full_name for n in first.names] == [n.full_name for n in second.names]
    other = demo.build_workspace(seed=demo.SEED + 1)
    assert [i.title for i in other.incidents] != [i.title for i in first.incidents]


def test_no_record_names_a_person_its_readers_may_not_see(loaded) -> None:  # type: ignore[no-untyped-def]
    """Every incident and source of the demo against every person's every name: a person named in a record's
    title or text is one each reader of that record may see (the rule written out here), and the publishing
    guard finds nothing to warn about on any public record."""
    from shelter.incidents.models import Incident, Source
    from shelter.incidents.publishing import people_hidden_from_readers
    from shelter.registry.models import Person, PersonName

    people = {p.pk: p for p in Person.objects.prefetch_related("teams")}
    names = [(name, pk) for name, pk in PersonName.objects.values_list("full_name", "person_id")]
    names += [(p.primary_name, p.pk) for p in people.values()]
    rank = {"public": 0, "internal": 1, "confidential": 2}

    def readers_see(record: object, person: Person) -> bool:
        level, published = record.confidentiality, record.published  # type: ignore[attr-defined]
        if rank[person.confidentiality] > rank[level]:
            return False
        if level == "public":
            return person.published or not published
        if person.confidentiality == "confidential":
            return {t.pk for t in record.teams.all()} <= {t.pk for t in person.teams.all()}  # type: ignore[attr-defined]
        return True

    records = [(i, (i.title, i.description)) for i in Incident.objects.prefetch_related("teams")]
    records += [(s, (s.title, s.notes)) for s in Source.objects.prefetch_related("teams")]
    named = withheld = 0
    for record, texts in records:
        text = "\n".join(texts)
        withheld += demo.NAME_WITHHELD in text
        for name, pk in names:
            if name in text:
                named += 1
                assert readers_see(record, people[pk]), f"{record!r} ({record.confidentiality}) names {name}"
        if record.confidentiality == "public":
            assert people_hidden_from_readers(texts, "public", record.published, None) == [], record
    assert named > 300 and withheld > 30  # most titles still name their target; some withhold the name


def test_workspace_has_the_promised_shape(loaded) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import Team
    from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
    from shelter.incidents.taxonomy import taxonomy
    from shelter.registry.models import Organisation, Person, PersonName, Relationship

    incidents = Incident.objects.all()
    assert incidents.count() >= 300
    assert set(incidents.values_list("tactic", flat=True)) == set(taxonomy().codes)
    years = set(incidents.values_list("year", flat=True))
    assert min(years) == 2014 and max(years) == 2026
    assert incidents.values("origin_state").distinct().count() >= 8
    assert incidents.exclude(host_country="").values("host_country").distinct().count() >= 15
    assert {len(d) for d in incidents.values_list("date", flat=True)} == {4, 7, 10}  # year, month, day precision

    scripts = Counter(PersonName.objects.values_list("script", flat=True))
    assert scripts["Cyrl"] > 50 and scripts["Latn"] > 50 and scripts["Arab"] > 10
    languages = set(PersonName.objects.values_list("language", flat=True))
    assert {"ru", "tg", "uz", "kk", "ug", "ar"} <= languages

    family = Relationship.objects.filter(kind="family")
    assert family.count() >= 30
    assert set(family.values_list("detail", flat=True)) >= {"mother", "father", "brother", "sister"}
    assert Relationship.objects.filter(kind="informant_for").exists()
    relatives = [p for p in Person.objects.all() if "relative" in p.profile]
    assert len(relatives) == family.count()
    assert all(p.confidentiality != "public" for p in relatives)  # relatives at home are never public
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"security_service", "prosecutor", "embassy", "party", "diaspora", "surveillance_vendor"} <= kinds

    assert Citation.objects.filter(incident__isnull=False).values("incident").distinct().count() == incidents.count()
    assert Citation.objects.filter(relationship__isnull=False).exists()
    assert Source.objects.exclude(publisher="").count() == Source.objects.count()
    assert IncidentTarget.objects.filter(role="relative").exists()
    assert IncidentPerpetrator.objects.filter(organisation__kind="surveillance_vendor", degree="proxy").exists()

    levels = Counter(incidents.values_list("confidentiality", "published"))
    assert levels[("public", True)] > 50 and levels[("public", False)] > 10
    assert levels[("internal", False)] > 50 and levels[("confidential", False)] > 30
    for team in Team.objects.filter(name__in=[demo.CENTRAL_ASIA_DESK, demo.EURASIA_DESK]):
        assert incidents.filter(confidentiality="confidential", teams=team).count() > 10
    assert not incidents.filter(confidentiality="confidential", teams__isnull=True).exists()

    # every generated record passes the same validation as a record entered by hand
    for model in (Incident, Person, PersonName, Organisation, Relationship, Source):
        for record in model.objects.all():
            record.full_clean(validate_unique=False)


def test_search_history_banner_and_users(loaded, settings, client) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.history import history_of
    from shelter.access.models import User
    from shelter.incidents.models import Incident
    from shelter.registry.models import Person, PersonName
    from shelter.search.index import search

    cyrillic = PersonName.objects.filter(script="Cyrl", language="tg").first()
    assert cyrillic is not None
    latin = cyrillic.person.names.get(kind="transliteration").full_name
    assert cyrillic.person in search(Person.objects.all(), latin.split()[-1])
    assert cyrillic.person in search(Person.objects.all(), cyrillic.full_name.split()[-1])
    incident = Incident.objects.first()
    assert incident in search(Incident.objects.all(), incident.title.split()[0])
    assert history_of(incident, User(role="admin"))[0].action == "created"

    credentials, messages = loaded
    assert (Path(settings.SHELTER_HOME) / demo.MARKER_FILE).exists()
    assert {role for _, role, _ in credentials} == {"admin", "editor", "researcher", "viewer"}
    for username, role, password in credentials:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.password.startswith("argon2")
        assert user.check_password(password)
    assert len({password for _, _, password in credentials}) == len(credentials)
    assert any("360 incidents" in message for message in messages)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    page = client.get("/accounts/login/")
    assert "every person, organisation and incident here is fictional" in page.content.decode()


def test_loading_twice_does_not_duplicate(loaded) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.models import Team, User
    from shelter.incidents.models import Incident, Source
    from shelter.registry.models import Person
    from shelter.search.models import SearchDocument

    before = [m.objects.count() for m in (Incident, Person, Source, SearchDocument, Team, User)]
    first_credentials, _ = loaded
    messages: list[str] = []
    second_credentials = demo.load_demo_workspace(messages.append)
    assert [m.objects.count() for m in (Incident, Person, Source, SearchDocument, Team, User)] == before
    assert "Demo workspace already loaded; keeping it." in messages
    # the passwords printed by the second run are the ones that work now
    for (username, _, old), (_, _, new) in zip(first_credentials, second_credentials, strict=True):
        user = User.objects.get(username=username)
        assert user.check_password(new) and not user.check_password(old)


def test_shelter_demo_load_only_end_to_end(tmp_path: Path) -> None:
    """The real command in a fresh SHELTER_HOME (always on SQLite, so it never touches a shared database)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SHELTER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SHELTER_HOME"] = str(tmp_path)
    command = [sys.executable, "-c", "from shelter.cli import main; main()", "demo", "--load-only"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Demo users (fictional workspace):" in result.stdout
    printed = [line.split() for line in result.stdout.splitlines() if line.startswith("  demo-")]
    assert [row[1] for row in printed] == ["admin", "editor", "researcher", "viewer"]
    assert (tmp_path / "DEMO").exists()
    with sqlite3.connect(tmp_path / "shelter.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM incidents_incident").fetchone()[0] == demo.INCIDENT_COUNT
        stored = dict(db.execute("SELECT username, password FROM access_user").fetchall())
    assert all(stored[row[0]].startswith("argon2") for row in printed)


def test_the_demo_has_notices_screened_against_its_people(loaded) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.demo import CHARGES
    from shelter.notices.models import Notice, ScreeningMatch

    notices = Notice.objects.all()
    assert notices.count() == len(CHARGES) + 1
    assert set(notices.values_list("kind", flat=True)) == {"red_notice", "diffusion"}
    assert {(n.confidentiality, n.published) for n in notices.filter(kind="diffusion")} == {("internal", False)}
    for notice in notices.exclude(entity_id="DEMO/2024/9001"):
        # the person whose name the notice writes is its first candidate
        best = ScreeningMatch.objects.filter(notice=notice).order_by("-score").first()
        assert best is not None and best.person.nationalities == notice.nationalities, notice
        assert notice.surname in {name.surname.upper() for name in best.person.names.all()}, notice
        assert notice.charges.exists()
    assert not ScreeningMatch.objects.filter(notice__entity_id="DEMO/2024/9001").exists()
