"""Change history of records (django-simple-history): readable entries and revert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_noop

from shelter.access.models import Team
from shelter.access.visibility import Viewer, members_only, visible_versions
from shelter.access.writes import save_audited
from shelter.stored_words import register, written

REVERTED = register(gettext_noop("reverted to the version of %(when)s UTC"))

_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
RESTRICTED = "restricted change"


class Withheld:
    """A value from a version the viewer could not see: shown as withheld, never as the value."""

    def __str__(self) -> str:
        return "(restricted)"


WITHHELD = Withheld()


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

    @property
    def restricted(self) -> bool:
        return self.action == RESTRICTED


def history_of(record: models.Model, viewer: Viewer) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields it changed against the version before it.

    A version is shown only to a viewer who could have seen the record as it was then (its confidentiality,
    publication and case teams at that version); any other version is a "restricted change" without values,
    author or reason, and a change that follows one does not show the values from before it. Anonymous
    visitors never see who made a change, nor the case teams.
    """
    history = record.history.all()  # type: ignore[attr-defined]
    versions = list(history.select_related("history_user"))
    seen = _seen(versions, set(visible_versions(history, viewer).values_list("history_id", flat=True)))
    signed_in = viewer is not None and viewer.is_authenticated
    withheld = members_only(type(record), viewer) | ({"teams"} if not signed_in else set())
    team_names = dict(Team.objects.values_list("pk", "name"))
    entries = []
    for index, version in enumerate(versions):
        if version.history_id not in seen:
            entries.append(HistoryEntry(version.history_id, version.history_date, "", RESTRICTED, (), ""))
            continue
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes: tuple[FieldChange, ...] = ()
        if previous is not None:
            old_shown = previous.history_id in seen
            changes = tuple(
                FieldChange(c.field, _shown(c.field, c.old, team_names) if old_shown else WITHHELD,
                            _shown(c.field, c.new, team_names))
                for c in version.diff_against(previous).changes
                if c.field not in withheld
            )
        who = (version.history_user.username if version.history_user else "system") if signed_in else ""
        entries.append(HistoryEntry(
            history_id=version.history_id,
            when=version.history_date,
            who=who,
            action=_ACTIONS.get(version.history_type, version.history_type),
            changes=changes,
            reason=version.history_change_reason or "",
        ))
    return entries


def _seen(versions: list[Any], visible: set[int]) -> set[int]:
    """Versions (newest first) the viewer may read: those they could have seen, and a version that differs from
    the one after it only in its case teams (a record is saved before its teams are set, so its first version
    has none: its values are those of the next version)."""
    seen = set(visible)
    for newer, older in zip(versions, versions[1:]):
        if newer.history_id in seen and older.history_id not in seen:
            if {change.field for change in newer.diff_against(older).changes} <= {"teams"}:
                seen.add(older.history_id)
    return seen


def visible_version(record: models.Model, history_id: int, viewer: Viewer) -> Any | None:
    """The version ``history_id`` of ``record`` if ``viewer`` could have seen it, else ``None``."""
    return visible_versions(record.history.filter(history_id=history_id), viewer).first()  # type: ignore[attr-defined]


def _shown(field: str, value: Any, team_names: dict[int, str]) -> Any:
    """Case teams arrive as rows of team ids: shown by name."""
    if field == "teams" and isinstance(value, list):
        return [team_names.get(row.get("team"), "?") if isinstance(row, dict) else row for row in value]  # type: ignore[arg-type]
    return value


@transaction.atomic
def revert_to(record: models.Model, history_id: int, user: Any) -> models.Model:
    """Restore ``record``'s fields (and case teams) to the version ``history_id``; recorded as a new change.
    A version the user could not have seen is reported like a missing one (``DoesNotExist``)."""
    version = visible_versions(record.history.filter(history_id=history_id), user).get()  # type: ignore[attr-defined]
    restored = version.instance
    save_audited(restored, user, reason=written(REVERTED, when=f"{version.history_date:%Y-%m-%d %H:%M}"))
    for field in getattr(version, "_history_m2m_fields", ()):
        related_ids = [getattr(row, f"{field.m2m_reverse_field_name()}_id") for row in getattr(version, field.name).all()]
        getattr(restored, field.name).set(related_ids)
    return restored
