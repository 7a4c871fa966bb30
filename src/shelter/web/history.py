"""A record's history panel, as a viewer may see it (see ``shelter.access.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from shelter.access.history import history_of
from shelter.access.visibility import Viewer
from shelter.stored_words import said


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


def _in_words(model: type[models.Model], field: str, value: Any) -> Any:
    """A stored value as the pages show it: a choice by its label, yes or no for a flag."""
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return value
    if isinstance(model_field, models.BooleanField) and isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(getattr(model_field, "flatchoices", None) or ())
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    return value


def _change(model: type[models.Model], field: str, old: Any, new: Any) -> ShownChange:
    return ShownChange(_label(model, field), _in_words(model, field, old), _in_words(model, field, new))


def history_panel(record: models.Model, viewer: Viewer) -> list[ShownEntry]:
    """The record's history as ``viewer`` may see it, newest first, with field names and values as people read
    them (choices by their labels, case teams by name)."""
    entries = history_of(record, viewer)
    return [
        ShownEntry(
            history_id=entry.history_id,
            when=entry.when,
            who=entry.who,
            action=entry.action,
            reason=said(entry.reason),
            changes=tuple(_change(type(record), c.field, c.old, c.new) for c in entry.changes),
            is_current=index == 0,
            restricted=entry.restricted,
        )
        for index, entry in enumerate(entries)
    ]
