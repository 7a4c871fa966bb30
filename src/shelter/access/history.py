"""Change history of records (django-simple-history): readable entries and revert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction

_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    when: datetime
    who: str
    action: str
    changes: tuple[FieldChange, ...]
    reason: str


def history_of(record: models.Model) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields it changed against the version before it."""
    versions = list(record.history.all().select_related("history_user"))  # type: ignore[attr-defined]
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes: tuple[FieldChange, ...] = ()
        if previous is not None:
            delta = version.diff_against(previous)
            changes = tuple(FieldChange(c.field, c.old, c.new) for c in delta.changes)
        entries.append(HistoryEntry(
            history_id=version.history_id,
            when=version.history_date,
            who=version.history_user.username if version.history_user else "system",
            action=_ACTIONS.get(version.history_type, version.history_type),
            changes=changes,
            reason=version.history_change_reason or "",
        ))
    return entries


@transaction.atomic
def revert_to(record: models.Model, history_id: int, user: Any) -> models.Model:
    """Restore ``record``'s fields (and case teams) to the version ``history_id``; recorded as a new change."""
    version = record.history.get(history_id=history_id)  # type: ignore[attr-defined]
    restored = version.instance
    restored._history_user = user
    restored._change_reason = f"reverted to version {history_id}"
    restored.save()
    for field in getattr(version, "_history_m2m_fields", ()):
        related_ids = [getattr(row, f"{field.m2m_reverse_field_name()}_id") for row in getattr(version, field.name).all()]
        getattr(restored, field.name).set(related_ids)
    return restored
