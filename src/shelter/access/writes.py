"""The audited write path. Every create, update, delete, import and match decision goes through here.

Each write checks the caller's role (raising Django's ``PermissionDenied``), validates every field (errors
keyed by field name), only links records the caller may see, and lands in the record's history under the
caller's name. ``user=None`` is the operator at the command line, who may change anything.

Deletes are soft: a restricted record is marked deleted (the visibility filter then hides it, and everything
reached through it, from every caller) and kept until an admin purges it, so a delete can never remove rows
the caller cannot see through database cascades.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from shelter.access.bulk_insert import insert_rows, reserve_ids
from shelter.access.models import CONFIDENTIALITY_RANK, Confidentiality, RestrictedRecord, Team, User
from shelter.access.visibility import Viewer, visible_to
from shelter.stored_words import register, written
from shelter.validators import validate_plain_text

DELETED = register(gettext_noop("deleted"))
RESTORED = register(gettext_noop("restored"))
# Records written in bulk from a file (its name, as given) and those of the fictional demo workspace.
IMPORTED_FROM = register(gettext_noop("imported from %(source)s"))
DEMO_WORKSPACE = register(gettext_noop("demo workspace"))

R = TypeVar("R", bound=models.Model)

RESTRICTION_FIELDS = ("confidentiality", "published")


def describe(error: ValidationError) -> str:
    """One line naming each bad field, e.g. "dob: '1990-13' is not a date ..."; for API answers and messages."""
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    return "; ".join(f"{field}: {message}" if field != "__all__" else message
                     for field, messages in error.message_dict.items() for message in messages)


def require_editor(user: Viewer) -> User:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("sign in (or send an API token) to change records")
    assert isinstance(user, User)
    if not user.can_edit:
        raise PermissionDenied(f"the {user.role} role may read records but not change them")
    return user


def require_curator(user: Viewer) -> User:
    editor = require_editor(user)
    if not editor.can_curate:
        raise PermissionDenied(f"the {editor.role} role may not delete records (editors and admins may)")
    return editor


def check_writer(user: User | None) -> None:
    """``None`` is the operator at the command line, who may change anything; everyone else needs an editing role."""
    if user is not None:
        require_editor(user)


def within_reach(queryset: models.QuerySet[R], user: User | None) -> models.QuerySet[R]:
    """The rows of ``queryset`` that ``user`` may change: those they may see (the operator reaches every one)."""
    return queryset if user is None else visible_to(queryset, user)


def visible_record(model: type[R], pk: Any, user: User | None, field: str) -> R:
    """The record ``pk`` of ``model`` if ``user`` may see it; a hidden one is reported exactly like a missing one."""
    label = model._meta.verbose_name
    try:
        return within_reach(model._default_manager.all(), user).get(pk=int(pk))
    except (TypeError, ValueError):
        raise ValidationError({field: f"'{pk}' is not a record id (expected a number)"}) from None
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise ValidationError({field: f"there is no {label} with id {pk}"}) from None


def team_list(user: User | None, names: Iterable[str], field: str = "teams") -> list[Team]:
    """Case teams by name. A non-admin may only file records under teams they belong to."""
    teams = []
    for name in names:
        team = Team.objects.filter(name=name).first()
        if team is None:
            raise ValidationError({field: f"there is no case team named '{name}'"})
        if user is not None and not user.is_shelter_admin and not user.teams.filter(pk=team.pk).exists():
            raise ValidationError({field: f"you are not a member of case team '{name}'"})
        teams.append(team)
    return teams


def check_restriction(record: RestrictedRecord, user: User | None, teams: list[Team] | None) -> list[Team] | None:
    """A writer may not file a record above their own clearance, nor lose sight of a confidential one."""
    level = record.confidentiality
    if level not in Confidentiality.values:
        raise ValidationError({"confidentiality": f"'{level}' is not one of {', '.join(Confidentiality.values)}"})
    if user is None or user.is_shelter_admin:
        return teams
    if CONFIDENTIALITY_RANK[Confidentiality(level)] > CONFIDENTIALITY_RANK[Confidentiality(user.clearance)]:
        raise ValidationError({"confidentiality": f"'{level}' is above your clearance ({user.clearance})"})
    if level == Confidentiality.CONFIDENTIAL:
        current = teams if teams is not None else (list(record.teams.all()) if record.pk else [])
        if not current:
            # Without a team, a confidential record would be visible to admins only, its author included.
            current = list(user.teams.all())
            if not current:
                raise ValidationError({"teams": "a confidential record needs a case team, and you belong to none"})
            return current
    return teams


def assign(record: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data and data[field] is not None:
            setattr(record, field, data[field])


def save_record(record: R, user: User | None, *, reason: str = "", exclude: Iterable[str] = ()) -> R:
    """Validate every field (errors keyed by field name) and save with the author recorded in history."""
    check_text_fields(record)
    record.full_clean(exclude=list(exclude))
    return save_audited(record, user, reason=reason)


def check_text_fields(record: models.Model) -> None:
    """Every text of the record (text, character and JSON fields) meets the one rule for text from outside:
    no control characters, no value beyond the length limit (``shelter.intake.text_problem``)."""
    errors: dict[str, list[str]] = {}
    for field in record._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            try:
                validate_plain_text(getattr(record, field.attname))
            except ValidationError as error:
                errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def save_audited(record: R, user: User | None, *, reason: str = "", **save_options: Any) -> R:
    """Save an already validated record with its author and reason recorded in its history."""
    record._history_user = user  # type: ignore[attr-defined]
    record._change_reason = reason or None  # type: ignore[attr-defined]
    try:
        record.save(**save_options)
    finally:
        # The reason belongs to this change only: a later save of the same object must not repeat it.
        record._change_reason = None  # type: ignore[attr-defined]
    return record


def create_in_bulk(model: type[R], records: Sequence[R], user: User | None, *, reason: str = "",
                   when: datetime | None = None, columns: Sequence[str] = (), batch_size: int = 1000) -> list[R]:
    """Create many new records of one model, each with one "created" history entry by ``user`` with ``reason``,
    all dated ``when`` (now by default); the records come back with their primary keys. Every bulk import writes
    through here, inside its own transaction, and indexes the records for search itself (no save signals are sent).

    With ``columns`` (the model's attribute names to write, without ``id``), the values are taken as validated and
    prepared by the importer and written with ``executemany``, ids reserved up front: the fast path for files of
    100,000 rows, where preparing every value through the field machinery costs more than the insert itself.
    """
    check_writer(user)
    when = when or timezone.now()
    if not columns:
        return bulk_create_with_history(list(records), model, batch_size=batch_size, default_user=user,
                                        default_change_reason=reason or None, default_date=when)
    for pk, record in zip(reserve_ids(model, len(records)), records, strict=True):
        record.pk = pk
    attnames = ("id", *columns)
    values = [tuple(getattr(record, name) for name in attnames) for record in records]
    insert_rows(model, attnames, values)
    history = model.history.model  # type: ignore[attr-defined]
    audit = (when, reason, "+", user.pk if user is not None else None)
    insert_rows(history, (*attnames, "history_date", "history_change_reason", "history_type", "history_user_id"),
                [row + audit for row in values])
    return list(records)


def save_restricted(record: RestrictedRecord, data: Mapping[str, Any], user: User | None, reason: str = "") -> None:
    """Save a restricted record with its confidentiality, publication and case teams from ``data``."""
    assign(record, data, RESTRICTION_FIELDS)
    teams = team_list(user, data["teams"]) if data.get("teams") is not None else None
    teams = check_restriction(record, user, teams)
    save_record(record, user, reason=reason)
    if teams is not None:
        record.teams.set(teams)


def save_form(form: forms.ModelForm, user: Viewer) -> Any:
    """Save a validated model form of a page: the same role, clearance and team checks as the API."""
    user = require_editor(user)
    record = form.save(commit=False)
    if isinstance(record, RestrictedRecord):
        teams = form.cleaned_data.get("teams")
        checked = check_restriction(record, user, list(teams) if teams is not None else None)
        save_audited(record, user)
        form.save_m2m()
        if checked is not None and teams is not None and list(teams) != checked:
            record.teams.set(checked)
    else:
        save_audited(record, user)
        form.save_m2m()
    return record


def remove_visible(queryset: models.QuerySet[Any], user: User | None) -> None:
    """Remove the link rows of ``queryset`` that ``user`` may see; rows reaching hidden records stay."""
    for row in within_reach(queryset, user):
        row._history_user = user
        row.delete()


@transaction.atomic
def delete_record(user: User | None, record: models.Model) -> None:
    """Delete a record the caller may see. A restricted record is marked deleted (kept for admins, purged by
    ``shelter trash purge``); a link row (a name, a target, a citation) is removed. Nothing the caller cannot
    see is touched: a hidden record reports exactly like a missing one."""
    if user is not None:
        require_curator(user)
    model = type(record)
    if not within_reach(model._default_manager.filter(pk=record.pk), user).exists():
        raise model.DoesNotExist(f"there is no {model._meta.verbose_name} with id {record.pk}")  # type: ignore[attr-defined]
    if isinstance(record, RestrictedRecord):
        record.deleted = timezone.now()
        save_audited(record, user, reason=written(DELETED), update_fields=["deleted", "modified"])
    else:
        record._history_user = user  # type: ignore[attr-defined]
        record.delete()


@transaction.atomic
def restore_record(user: User | None, record: RestrictedRecord) -> None:
    """Take a record out of the trash (admins and the operator)."""
    if user is not None and not user.is_shelter_admin:
        raise PermissionDenied("only admins restore deleted records")
    record.deleted = None
    save_audited(record, user, reason=written(RESTORED), update_fields=["deleted", "modified"])


def restricted_models() -> dict[str, type[RestrictedRecord]]:
    """Every kind of restricted record by its model name (``person``, ``incident``...)."""
    from django.apps import apps

    return {model._meta.model_name: model for model in apps.get_models()  # type: ignore[misc]
            if issubclass(model, RestrictedRecord)}


def trash() -> list[RestrictedRecord]:
    """Deleted records, oldest deletion first (the operator's and admins' view)."""
    found: list[RestrictedRecord] = []
    for model in restricted_models().values():
        found.extend(model._base_manager.filter(deleted__isnull=False))
    return sorted(found, key=lambda record: record.deleted)  # type: ignore[arg-type, return-value]


def trashed(kind: str, pk: int) -> RestrictedRecord:
    model = restricted_models().get(kind)
    if model is None:
        raise ValidationError({"kind": f"'{kind}' is not a kind of record ({', '.join(sorted(restricted_models()))})"})
    record = model._base_manager.filter(pk=pk, deleted__isnull=False).first()
    if record is None:
        raise ValidationError({"id": f"there is no deleted {kind} with id {pk}"})
    return record


@transaction.atomic
def purge_trash(older_than_days: int) -> dict[str, int]:
    """Remove for good the records deleted more than ``older_than_days`` ago, with the rows that depend on them.
    Their history stays. Returns the number of rows removed per model."""
    if older_than_days < 0:
        raise ValidationError({"older_than": "the number of days cannot be negative"})
    cutoff = timezone.now() - timedelta(days=older_than_days)
    removed: dict[str, int] = {}
    for model in restricted_models().values():
        _, per_model = model._base_manager.filter(deleted__lt=cutoff).delete()
        for label, count in per_model.items():
            removed[label] = removed.get(label, 0) + count
    return {label: count for label, count in removed.items() if count}
