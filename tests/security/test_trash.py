"""The trash: deleted records are listed, restored and purged by the operator at the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from shelter.access.writes import delete_record
from shelter.cli import main
from shelter.registry.models import Person, PersonName, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted_person(users):  # type: ignore[no-untyped-def]
    person = Person.objects.create(primary_name="Trashed Person", confidentiality="internal")
    PersonName.objects.create(person=person, full_name="Trashed Person")
    other = Person.objects.create(primary_name="Other Person", confidentiality="internal")
    Relationship.objects.create(subject_person=person, object_person=other, kind="family",
                                confidentiality="internal")
    delete_record(users["editor"], person)
    return person


def test_list_and_restore(deleted_person):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    listed = runner.invoke(main, ["trash", "list"])
    assert listed.exit_code == 0 and f"person\t{deleted_person.pk}\t" in listed.output
    restored = runner.invoke(main, ["trash", "restore", "person", str(deleted_person.pk)])
    assert restored.exit_code == 0, restored.output
    assert Person.objects.filter(pk=deleted_person.pk).exists()
    assert Relationship.objects.filter(subject_person_id=deleted_person.pk).exists()
    again = runner.invoke(main, ["trash", "restore", "person", str(deleted_person.pk)])
    assert again.exit_code == 2 and "there is no deleted person" in again.output
    unknown = runner.invoke(main, ["trash", "restore", "dragon", "1"])
    assert unknown.exit_code == 2 and "'dragon' is not a kind of record" in unknown.output
    assert "Traceback" not in unknown.output


def test_purge_removes_only_old_deletions(deleted_person):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    assert "nothing to purge" in runner.invoke(main, ["trash", "purge", "--yes"]).output
    Person._base_manager.filter(pk=deleted_person.pk).update(deleted=timezone.now() - timedelta(days=31))
    result = runner.invoke(main, ["trash", "purge", "--yes"])
    assert result.exit_code == 0 and "removed 1 registry.Person" in result.output, result.output
    assert not Person._base_manager.filter(pk=deleted_person.pk).exists()
    assert not Relationship._base_manager.filter(subject_person_id=deleted_person.pk).exists()
    assert Person.history.filter(id=deleted_person.pk).exists()
