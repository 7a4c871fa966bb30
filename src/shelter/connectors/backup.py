"""A whole-workspace backup: every table (users, records, history, search index) and the evidence files.

The archive is a ZIP holding ``data.jsonl`` (Django's serialised rows, portable between SQLite and
PostgreSQL), ``evidence/<sha256>`` files and ``manifest.json`` with the schema version (applied migrations),
row counts per table, the last id each table has handed out, and a SHA-256 for every member. A backup is read
back and checked right after it is written.

A restore checks every digest before loading anything and unpacks the evidence files beside the store first;
then, in one transaction, it loads the rows, compares the row counts with the manifest, carries each table's
last id over (so an id handed out before, even to a record since purged, is never handed out again and a new
record cannot inherit an old one's history), and only then moves the evidence files into place. A restore that
fails at any step leaves the database empty and can be run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

from shelter.archives import ArchiveLimits, ArchiveRefused, check_archive
from shelter.connectors.files import written_whole
from shelter.progress import Progress, Ticker, no_progress

FORMAT = "shelter-backup"
VERSION = 1
DATA_MEMBER = "data.jsonl"
MANIFEST_MEMBER = "manifest.json"
# Rebuilt by Django itself on migrate (content types, permissions) or short-lived (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
# Tables whose rows mean "this database is in use": restore refuses to mix a backup into them.
IN_USE = ("access.User", "registry.Person", "registry.Organisation", "incidents.Incident", "incidents.Source")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int
    size: int


def _sha256_of(handle: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _backed_up_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models()
            if model._meta.app_label not in EXCLUDED and model._meta.label.lower() not in EXCLUDED
            and model._meta.managed and not model._meta.proxy]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in _backed_up_models()}


def _counted_ids() -> list[tuple[str, str, str]]:
    """(label, table, id column) of every backed-up table whose ids the database hands out."""
    return [(model._meta.label, model._meta.db_table, model._meta.pk.column) for model in _backed_up_models()  # type: ignore[misc]
            if isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)]


def _last_ids() -> dict[str, int]:
    """The last id each table has handed out (deleted rows included), as the database counts them."""
    last: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
            if cursor.fetchone() is None:
                return {}
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            by_table = dict(cursor.fetchall())
            return {label: int(by_table[table]) for label, table, _ in _counted_ids() if by_table.get(table)}
        for label, table, column in _counted_ids():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            value, called = cursor.fetchone()
            if called or value > 1:
                last[label] = int(value) if called else int(value) - 1
    return last


def _carry_last_ids(last: dict[str, int]) -> None:
    """Make each table go on from the backup's last id (or its largest restored id, if that is larger)."""
    with connection.cursor() as cursor:
        for label, table, column in _counted_ids():
            value = last.get(label, 0)
            if value <= 0:
                continue
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [value, table])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])
            else:
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "
                               f"(SELECT COALESCE(MAX({quoted_column}), 0) FROM {quoted_table})), true)",
                               [quoted_table, column, value])


def _evidence_files() -> list[Path]:
    root = Path(settings.EVIDENCE_DIR)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".incoming-") for part in p.relative_to(root).parts))


def create_backup(target: Path, progress: Progress = no_progress) -> BackupSummary:
    """Write the archive next to ``target`` and move it into place only once it has been verified. ``progress``
    counts the steps: the rows, each evidence file, and the check of the whole."""
    target = target.resolve()
    evidence = _evidence_files()
    with tempfile.TemporaryDirectory(prefix="shelter-backup-") as work, \
            progress("backing up", len(evidence) + 2) as ticker:
        data_path = Path(work) / DATA_MEMBER
        # One read transaction, so rows and counts describe the same moment.
        with transaction.atomic():
            call_command("dumpdata", format="jsonl", natural_foreign=True, exclude=list(EXCLUDED),
                         output=str(data_path), verbosity=0)
            counts = _row_counts()
            last_ids = _last_ids()
            migrations = _applied_migrations()
        ticker.update(1)
        members: dict[str, str] = {}
        with written_whole(target) as partial:
            _write_archive(partial, data_path, evidence, members, counts, last_ids, migrations, ticker)
    return BackupSummary(target, sum(counts.values()), len(members) - 1, target.stat().st_size)


def _write_archive(partial: Path, data_path: Path, evidence: list[Path], members: dict[str, str],
                   counts: dict[str, int], last_ids: dict[str, int], migrations: list[str], ticker: Ticker) -> None:
    """Write the archive to ``partial`` (recording each member's SHA-256 in ``members``), then read it back."""
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with data_path.open("rb") as handle:
            members[DATA_MEMBER] = _sha256_of(handle)
        archive.write(data_path, DATA_MEMBER)
        evidence_root = Path(settings.EVIDENCE_DIR)
        for path in evidence:
            name = "evidence/" + path.relative_to(evidence_root).as_posix()
            with path.open("rb") as handle:
                members[name] = _sha256_of(handle)
            archive.write(path, name)
            ticker.update(1)
        manifest = {
            "format": FORMAT, "version": VERSION, "created": datetime.now(UTC).isoformat(),
            "database": connection.vendor, "migrations": migrations, "rows": counts, "last_ids": last_ids,
            "members": members,
        }
        archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=1, sort_keys=True))
    verify_backup(partial)
    ticker.update(1)


def _manifest_shape_ok(manifest: Any) -> bool:
    """The manifest is an object whose migrations are names, rows are counts and members are digests."""
    if not isinstance(manifest, dict):
        return False
    migrations, rows, members = manifest.get("migrations"), manifest.get("rows"), manifest.get("members")
    last_ids = manifest.get("last_ids", {})  # absent from backups made before ids were carried

    def counts(value: Any) -> bool:
        return isinstance(value, dict) and all(isinstance(n, int) and not isinstance(n, bool) for n in value.values())

    return (isinstance(migrations, list) and all(isinstance(name, str) for name in migrations)
            and counts(rows) and counts(last_ids)
            and isinstance(members, dict) and all(isinstance(digest, str) for digest in members.values()))


def verify_backup(path: Path) -> dict[str, Any]:
    """Check that ``path`` is a Shelter backup whose every member matches its recorded SHA-256."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path.name} is not a Shelter backup ({error})") from None
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST_MEMBER))
        except (KeyError, json.JSONDecodeError):
            raise BackupError(f"{path.name} has no readable {MANIFEST_MEMBER}: not a Shelter backup") from None
        if not _manifest_shape_ok(manifest):
            raise BackupError(f"{path.name}: {MANIFEST_MEMBER} is damaged (expected format, version, migrations, "
                              "rows and members as a Shelter backup writes them)")
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{path.name}: unsupported backup format {manifest.get('format')!r} "
                              f"version {manifest.get('version')!r}")
        names = set(archive.namelist()) - {MANIFEST_MEMBER}
        if names != set(manifest["members"]):
            raise BackupError(f"{path.name}: the archive's files differ from its manifest "
                              f"(missing: {sorted(set(manifest['members']) - names)[:5]}, "
                              f"unexpected: {sorted(names - set(manifest['members']))[:5]})")
        for name, expected in manifest["members"].items():
            try:
                with archive.open(name) as handle:
                    digest = _sha256_of(handle)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise BackupError(f"{path.name}: {name} is damaged ({error})") from None
            if digest != expected:
                raise BackupError(f"{path.name}: {name} is damaged (its SHA-256 differs from the manifest)")
    return manifest


def _check_database_can_take(manifest: dict[str, Any]) -> None:
    in_use = [label for label in IN_USE if apps.get_model(label)._base_manager.exists()]
    if in_use:
        raise BackupError("the database already holds data (" + ", ".join(in_use) + "); restore only into an "
                          "empty database: point SHELTER_HOME or SHELTER_DATABASE_URL at a new one")
    applied = set(_applied_migrations())
    unknown = sorted(set(manifest["migrations"]) - applied)
    if unknown:
        raise BackupError("the backup was made by a newer Shelter (its schema has migrations this version does "
                          f"not know: {', '.join(unknown[:5])}); upgrade Shelter first")


def _check_room(path: Path) -> None:
    """A restore unpacks the data into a temporary directory and the evidence into the store: an archive that
    would unpack to more than the free space of either is refused before anything is unpacked."""
    if not zipfile.is_zipfile(path):
        return  # verify_backup says what it is not
    places = [Path(tempfile.gettempdir()), Path(settings.EVIDENCE_DIR)]
    room = min(shutil.disk_usage(next(p for p in (place, *place.parents) if p.exists())).free for place in places)
    try:
        check_archive(path, ArchiveLimits(unpacked_bytes=room, unpacked_limit="the free disk space to restore it"))
    except ArchiveRefused as error:
        raise BackupError(f"{path.name}: {error}") from None


def _evidence_destinations(path: Path, manifest: dict[str, Any]) -> dict[str, Path]:
    """Where each evidence member goes in the store; a name reaching outside it refuses the whole backup."""
    root = Path(settings.EVIDENCE_DIR).resolve()
    destinations = {}
    for name in manifest["members"]:
        if not name.startswith("evidence/"):
            continue
        destination = (root / name.removeprefix("evidence/")).resolve()
        if not destination.is_relative_to(root) or destination == root:
            raise BackupError(f"{path.name}: refusing the member name {name!r} (outside the evidence store)")
        destinations[name] = destination
    return destinations


def _stage_evidence(archive: zipfile.ZipFile, destinations: dict[str, Path], staging: Path,
                    ticker: Ticker) -> dict[Path, Path]:
    """Unpack the evidence files into ``staging`` (beside the store, so moving them in cannot run out of room)."""
    staged = {}
    for number, (name, destination) in enumerate(sorted(destinations.items())):
        unpacked = staging / str(number)
        with archive.open(name) as source, unpacked.open("wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)
        staged[unpacked] = destination
        ticker.update(1)
    return staged


def restore_backup(path: Path, progress: Progress = no_progress) -> dict[str, int]:
    """Restore ``path`` into an empty, migrated database; returns the row counts restored. ``progress`` counts
    the steps after the archive was checked: each evidence file unpacked, then the rows."""
    _check_room(path)
    manifest = verify_backup(path)
    destinations = _evidence_destinations(path, manifest)
    call_command("migrate", interactive=False, verbosity=0)
    _check_database_can_take(manifest)
    evidence_root = Path(settings.EVIDENCE_DIR)
    evidence_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shelter-restore-") as work, zipfile.ZipFile(path) as archive, \
            tempfile.TemporaryDirectory(prefix=".incoming-restore-", dir=evidence_root) as staging, \
            progress("restoring", len(destinations) + 1) as ticker:
        data_path = Path(archive.extract(DATA_MEMBER, work))
        staged = _stage_evidence(archive, destinations, Path(staging), ticker)
        with transaction.atomic():
            # Tables that migrate fills on its own (e.g. a default site) are emptied so the backup's rows fit.
            for label in manifest["rows"]:
                model = apps.get_model(label)
                if model._base_manager.exists() and label not in IN_USE:
                    model._base_manager.all().delete()
            # The backup carries its own history rows; loading must not add "changed" entries of its own
            # (loaddata marks saves as raw, but many-to-many additions would still be recorded).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(data_path), verbosity=0)
            counts = _row_counts()
            differing = {label: (n, counts.get(label)) for label, n in manifest["rows"].items()
                         if counts.get(label) != n}
            if differing:
                raise BackupError("restored row counts differ from the backup's manifest: "
                                  + ", ".join(f"{k} {v[1]} instead of {v[0]}" for k, v in sorted(differing.items())))
            _carry_last_ids(manifest.get("last_ids", {}))
            ticker.update(1)
            # Content-addressed files: one already in the store is the same file, and one moved in before a
            # failed commit is harmless to a later restore.
            for unpacked, destination in staged.items():
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(unpacked, destination)
    return counts
