"""The record kinds the web interface shows, and their history panels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from shelter.access.history import history_of
from shelter.access.visibility import Viewer
from shelter.incidents.models import Incident, Source
from shelter.registry.models import Organisation, Person, Relationship

RECORD_KINDS: dict[str, type[models.Model]] = {
    "incident": Incident,
    "person": Person,
    "organisation": Organisation,
    "source": Source,
    "relationship": Relationship,
}


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
        return str(model._meta.get_field(field).verbose_name)
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


def kind_of_record(record: models.Model) -> str:
    return next(kind for kind, model in RECORD_KINDS.items() if isinstance(record, model))


def url_of(record: models.Model) -> str:
    """Where a record is shown; a relationship is shown on its subject's page."""
    if isinstance(record, Relationship):
        return record.subject.get_absolute_url()
    return record.get_absolute_url()  # type: ignore[attr-defined,no-any-return]
