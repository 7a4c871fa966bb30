"""Back up, wipe, restore, compare: every table (users, records, history, search index) and evidence files."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from shelter.access.models import ApiToken, User
from shelter.connectors.backup import BackupError, restore_backup
from shelter.incidents import services as incident_services
from shelter.incidents.evidence import attach_file, read_evidence
from shelter.incidents.models import Incident
from shelter.registry import services as registry_services
from shelter.search.index import index_records, search

pytestmark = pytest.mark.django_db(transaction=True)

SUB_MILLISECOND = datetime(2018, 3, 1, 12, 0, 0, 400, tzinfo=UTC)


def _snapshot() -> set[str]:
    out = io.StringIO()
    call_command("dumpdata", format="jsonl", natural_foreign=True, exclude=["contenttypes", "auth.permission",
                                                                             "sessions"], stdout=out)
    return set(out.getvalue().splitlines())


@pytest.fixture
def evidence_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


@pytest.fixture
def workspace(users, evidence_dir):  # type: ignore[no-untyped-def]
    source = incident_services.create_source(users["editor"], {
        "title": "Ruling", "kind": "court_record", "confidentiality": "internal"})
    stored = attach_file(source, [b"%PDF-1.4 fictional court ruling"], "ruling.pdf")
    source.save()
    person = registry_services.create_person(users["editor"], {
        "primary_name": "Рустам Назаров", "names": [{"full_name": "Rustam Nazarov"}], "confidentiality": "internal"})
    incident = incident_services.create_incident(users["editor"], {
        "title": "Detention in Moscow", "tactic": "detention", "date": "2018-02", "origin_state": "TJ",
        "host_country": "RU", "confidentiality": "confidential", "targets": [{"person": person.pk}],
        "citations": [{"source": source.pk}]})
    incident_services.update_incident(users["editor"], incident, {"verification": "verified"})
    # Less than a millisecond past the second: a backup must keep it (Django's encoder alone would drop it).
    Incident.objects.filter(pk=incident.pk).update(modified=SUB_MILLISECOND)
    ApiToken.issue(users["viewer"], "laptop")
    for kind in ("incident", "person", "source"):
        index_records(kind)
    return stored


def test_backup_wipe_restore_gives_back_the_same_database(workspace, evidence_dir, tmp_path,  # type: ignore[no-untyped-def]
                                                          shelter_cli):
    before = _snapshot()
    archive = tmp_path / "shelter-backup.zip"
    result = shelter_cli("backup", archive)
    assert result.exit_code == 0, result.output
    assert "verified" in result.output

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(evidence_dir)
    assert not Incident.objects.exists()

    result = shelter_cli("restore", archive)
    assert result.exit_code == 0, result.output
    assert _snapshot() == before
    assert read_evidence(workspace.sha256) == b"%PDF-1.4 fictional court ruling"
    assert User.objects.get(username="viewer").check_password("correct-horse-battery")
    assert [i.title for i in search(Incident.objects.all(), "moscow")] == ["Detention in Moscow"]
    assert Incident.objects.get().history.count() >= 2
    assert Incident.objects.get().modified == SUB_MILLISECOND

    result = shelter_cli("restore", archive)
    assert result.exit_code != 0
    assert "the database already holds data" in result.output


def test_a_damaged_backup_is_refused_before_anything_is_loaded(workspace, tmp_path, shelter_cli):  # type: ignore[no-untyped-def]
    archive = tmp_path / "backup.zip"
    assert shelter_cli("backup", archive).exit_code == 0
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "data.jsonl":
                data = data.replace(b"Detention in Moscow", b"Detention in Minsk!")
            target.writestr(item, data)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(BackupError, match="data.jsonl is damaged"):
        restore_backup(damaged)
    assert not Incident.objects.exists()
    not_a_backup = tmp_path / "notes.zip"
    with zipfile.ZipFile(not_a_backup, "w") as target:
        target.writestr("notes.txt", "hello")
    with pytest.raises(BackupError, match="not a Shelter backup"):
        restore_backup(not_a_backup)


def test_ids_handed_out_before_the_backup_are_never_handed_out_again(workspace, users, tmp_path,  # type: ignore[no-untyped-def]
                                                                      shelter_cli):
    """A purged person's history stays; after a restore, a new person must not get that id (and that history)."""
    from shelter.access.writes import delete_record, purge_trash
    from shelter.registry.models import Person

    gone = registry_services.create_person(users["editor"], {"primary_name": "Purged Person"})
    delete_record(users["editor"], gone)
    purge_trash(older_than_days=0)
    assert not Person._base_manager.filter(pk=gone.pk).exists()
    archive = tmp_path / "backup.zip"
    assert shelter_cli("backup", archive).exit_code == 0
    call_command("flush", interactive=False, verbosity=0)
    assert shelter_cli("restore", archive).exit_code == 0
    newcomer = registry_services.create_person(users_after_restore(), {"primary_name": "New Person"})
    assert newcomer.pk > gone.pk
    assert [h.primary_name for h in newcomer.history.all()] == ["New Person"]


def users_after_restore() -> User:
    return User.objects.get(username="editor")


def test_a_restore_that_fails_on_the_evidence_leaves_nothing_and_can_be_run_again(  # type: ignore[no-untyped-def]
        workspace, evidence_dir, tmp_path, shelter_cli, monkeypatch):
    import errno

    before = _snapshot()
    archive = tmp_path / "backup.zip"
    assert shelter_cli("backup", archive).exit_code == 0
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(evidence_dir)

    real = shutil.copyfileobj

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    with pytest.raises(OSError, match="No space left"):
        restore_backup(archive)
    assert not Incident.objects.exists() and not User.objects.exists()
    assert not [p for p in evidence_dir.rglob("*") if p.is_file()]
    monkeypatch.setattr(shutil, "copyfileobj", real)
    restore_backup(archive)
    assert _snapshot() == before
    assert read_evidence(workspace.sha256) == b"%PDF-1.4 fictional court ruling"


def test_a_restore_whose_evidence_store_is_unusable_loads_nothing(workspace, evidence_dir, tmp_path,  # type: ignore[no-untyped-def]
                                                                   shelter_cli):
    """The store's path is taken by a file: the restore fails before the database is touched, and once the
    operator has moved the file away, the same restore succeeds."""
    before = _snapshot()
    archive = tmp_path / "backup.zip"
    assert shelter_cli("backup", archive).exit_code == 0
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(evidence_dir)
    evidence_dir.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OSError):
        restore_backup(archive)
    assert not Incident.objects.exists() and not User.objects.exists()
    evidence_dir.unlink()
    restore_backup(archive)
    assert _snapshot() == before
    assert read_evidence(workspace.sha256) == b"%PDF-1.4 fictional court ruling"
