"""The access log: who viewed, exported or downloaded confidential records, and when; read by admins only."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.test import Client

from shelter.access.access_log import log_access
from shelter.access.models import AccessEvent, ApiToken
from shelter.incidents.models import Incident
from shelter.notices.models import Notice
from shelter.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(teams):  # type: ignore[no-untyped-def]
    secret = Incident.objects.create(title="Secret incident", tactic="detention", date="2021", origin_state="UZ",
                                     confidentiality="confidential")
    secret.teams.add(teams["alpha"])
    person = Person.objects.create(primary_name="Secret Person", confidentiality="confidential")
    person.teams.add(teams["alpha"])
    notice = Notice.objects.create(entity_id="2021/55", surname="Secret", forename="Notice", issuing_state="UZ",
                                   confidentiality="confidential")
    notice.teams.add(teams["alpha"])
    internal = Incident.objects.create(title="Internal incident", tactic="detention", date="2021",
                                       origin_state="UZ", confidentiality="internal")
    return {"incident": secret, "person": person, "notice": notice, "internal": internal}


def _events(action: str | None = None) -> list[tuple[str, str, str, int]]:
    found = AccessEvent.objects.order_by("pk")
    if action:
        found = found.filter(action=action)
    return list(found.values_list("username", "action", "kind", "record_id"))


def test_pages_note_who_viewed_a_confidential_record(records, users):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["editor"])
    assert client.get(records["incident"].get_absolute_url()).status_code == 200
    assert client.get(records["person"].get_absolute_url()).status_code == 200
    assert client.get(records["notice"].get_absolute_url()).status_code == 200
    assert client.get(records["internal"].get_absolute_url()).status_code == 200  # not confidential: not noted
    assert _events() == [("editor", "viewed", "incidents.incident", records["incident"].pk),
                         ("editor", "viewed", "registry.person", records["person"].pk),
                         ("editor", "viewed", "notices.notice", records["notice"].pk)]
    assert AccessEvent.objects.filter(user=users["editor"]).count() == 3


def test_a_refused_look_is_not_noted_as_a_view(records, users):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["outsider"])  # not in team alpha
    assert client.get(records["incident"].get_absolute_url()).status_code == 404
    assert _events() == []


def test_api_reads_and_dossier_downloads_are_noted(records, users):  # type: ignore[no-untyped-def]
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(users['editor'])}"})
    assert api.get(f"/api/v1/incidents/{records['incident'].pk}").status_code == 200
    assert api.get(f"/api/v1/people/{records['person'].pk}").status_code == 200
    assert api.get(f"/api/v1/notices/{records['notice'].pk}").status_code == 200
    assert api.get(f"/api/v1/notices/{records['notice'].pk}/dossier.html").status_code == 200
    assert _events() == [("editor", "viewed", "incidents.incident", records["incident"].pk),
                         ("editor", "viewed", "registry.person", records["person"].pk),
                         ("editor", "viewed", "notices.notice", records["notice"].pk),
                         ("editor", "downloaded", "notices.notice", records["notice"].pk)]


def test_exports_note_every_confidential_record_exported(records, users):  # type: ignore[no-untyped-def]
    from shelter.cli import main

    result = CliRunner().invoke(main, ["export", "--format", "json", "--as", "editor"], catch_exceptions=False)
    assert result.exit_code == 0
    exported = set(_events("exported"))
    assert ("editor", "exported", "incidents.incident", records["incident"].pk) in exported
    assert ("editor", "exported", "registry.person", records["person"].pk) in exported
    assert not any(kind == "incidents.incident" and pk == records["internal"].pk for _, _, kind, pk in exported)
    CliRunner().invoke(main, ["export", "--format", "csv", "--as", "outsider"], catch_exceptions=False)
    assert not AccessEvent.objects.filter(username="outsider").exists()  # saw nothing confidential
    CliRunner().invoke(main, ["export", "--format", "csv"], catch_exceptions=False)
    assert AccessEvent.objects.filter(username="operator", record_id=records["incident"].pk,
                                      kind="incidents.incident").exists()


def test_log_access_notes_only_confidential_records(records, users):  # type: ignore[no-untyped-def]
    assert log_access(users["editor"], records["internal"], "viewed") == 0
    assert log_access(users["editor"], Incident.objects.all(), "exported") == 1
    with pytest.raises(ValueError):
        log_access(users["editor"], records["incident"], "peeked")


def test_the_log_is_read_by_admins_only_and_never_changed(records, users):  # type: ignore[no-untyped-def]
    log_access(users["editor"], records["incident"], "viewed")
    event = AccessEvent.objects.get()
    admin, editor = Client(), Client()
    admin.force_login(users["admin"])
    editor.force_login(users["editor"])
    listing = admin.get("/admin/access/accessevent/")
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    assert admin.get(f"/admin/access/accessevent/{event.pk}/change/").status_code == 200  # read-only view
    assert admin.post(f"/admin/access/accessevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.get("/admin/access/accessevent/add/").status_code == 403
    assert editor.get("/admin/access/accessevent/").status_code == 403
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_evidence_downloads_are_noted_and_a_source_without_a_file_is_not(records, users, settings, tmp_path):  # type: ignore[no-untyped-def]
    from shelter.access.writes import save_audited
    from shelter.incidents.evidence import attach_file
    from shelter.incidents.models import Source

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    source = Source.objects.create(title="Secret testimony", confidentiality="confidential")
    source.teams.add(records["incident"].teams.get())
    client = Client()
    client.force_login(users["editor"])
    url = f"/incidents/sources/{source.pk}/evidence/"
    assert client.get(url).status_code == 404  # no file yet: nothing was downloaded
    assert _events("downloaded") == []
    attach_file(source, [b"testimony"], "testimony.txt")
    save_audited(source, users["editor"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"testimony"
    assert _events("downloaded") == [("editor", "downloaded", "incidents.source", source.pk)]


def test_admin_pages_of_a_confidential_record_are_noted(records, users):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["editor"])
    incident = records["incident"]
    assert client.get(f"/admin/incidents/incident/{incident.pk}/change/").status_code == 200
    assert client.get(f"/admin/incidents/incident/{incident.pk}/history/").status_code == 200
    assert client.get("/admin/incidents/incident/").status_code == 200  # a list is not a reading of each record
    assert _events() == [("editor", "viewed", "incidents.incident", incident.pk)] * 2


@pytest.mark.django_db(transaction=True)
def test_a_read_does_not_wait_for_a_writer_holding_sqlite(users):  # type: ignore[no-untyped-def]
    """An import holding SQLite's write lock must not stall (or fail) reads of confidential records: their log
    events are written as soon as the lock is free."""
    import sqlite3

    from django.db import connection

    from shelter.access import access_log

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL inserts do not wait on other writers")
    person = Person.objects.create(primary_name="Held Person", confidentiality="confidential")
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO access_accessevent (\"when\", username, action, kind, record_id) "
                  "VALUES ('2026-01-01 00:00:00', 'writer', 'viewed', 'registry.person', 0)")
    try:
        assert log_access(users["editor"], person, "viewed") == 1
    finally:
        other.execute("COMMIT")
        other.close()
    assert access_log.wait_for_pending(timeout=30)
    assert _events() == [("writer", "viewed", "registry.person", 0),
                         ("editor", "viewed", "registry.person", person.pk)]
