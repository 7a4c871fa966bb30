"""A record's history panel, as a viewer may see it (see ``shelter.access.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from shelter.access.history import history_of
from shelter.access.visibility import Viewer


@dataclass(frozen=True)
class ShownChange:
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ShownEntry:
    history_id: int
    when: datetime
    who: str
    action: str
    reason: str
    changes: tuple[ShownChange, ...]
    is_current: bool
    restricted: bool


def _label(model: type[models.Model], field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return field


def history_panel(record: models.Model, viewer: Viewer) -> list[ShownEntry]:
    """The record's history as ``viewer`` may see it, newest first, with field names as people read them."""
    entries = history_of(record, viewer)
    return [
        ShownEntry(
            history_id=entry.history_id,
            when=entry.when,
            who=entry.who,
            action=entry.action,
            reason=entry.reason,
            changes=tuple(ShownChange(_label(type(record), c.field), c.old, c.new) for c in entry.changes),
            is_current=index == 0,
            restricted=entry.restricted,
        )
        for index, entry in enumerate(entries)
    ]
