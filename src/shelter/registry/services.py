"""Write services for people, names, organisations and relationships.

The API, the importers and the web forms call these, so every write is checked the same way: the caller's
role may edit, the values are valid (errors name the field), linked records are ones the caller may see,
the write is atomic and it lands in the record's history under the caller's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from shelter.access.models import CONFIDENTIALITY_RANK, Confidentiality, RestrictedRecord, Team, User
from shelter.access.visibility import Viewer, visible_to
from shelter.registry.models import Organisation, Person, PersonName, Relationship

R = TypeVar("R", bound=models.Model)

PERSON_FIELDS = ("primary_name", "dob", "sex", "nationalities", "country_of_residence", "status_abroad", "profile",
                 "at_risk", "description")
ORGANISATION_FIELDS = ("name", "aliases", "kind", "country", "description")
RELATIONSHIP_FIELDS = ("kind", "detail", "start", "end", "description")
NAME_FIELDS = ("full_name", "given_name", "surname", "patronymic", "script", "language", "kind")
RESTRICTION_FIELDS = ("confidentiality", "published")


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


def visible_record(model: type[R], pk: Any, user: Viewer, field: str) -> R:
    """The record ``pk`` of ``model`` if ``user`` may see it; a hidden one is reported exactly like a missing one."""
    label = model._meta.verbose_name
    # ``None`` is the operator (see check_writer), who may link any record.
    queryset = model._default_manager.all() if user is None else visible_to(model._default_manager.all(), user)
    try:
        return queryset.get(pk=int(pk))
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


def _check_restriction(record: RestrictedRecord, user: User | None, teams: list[Team] | None) -> list[Team] | None:
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
    record.full_clean(exclude=list(exclude))
    record._history_user = user  # type: ignore[attr-defined]
    if reason:
        record._change_reason = reason  # type: ignore[attr-defined]
    record.save()
    return record


def save_restricted(record: RestrictedRecord, data: Mapping[str, Any], user: User | None, reason: str = "") -> None:
    assign(record, data, RESTRICTION_FIELDS)
    teams = team_list(user, data["teams"]) if data.get("teams") is not None else None
    teams = _check_restriction(record, user, teams)
    save_record(record, user, reason=reason)
    if teams is not None:
        record.teams.set(teams)


def _replace_names(person: Person, names: Iterable[Mapping[str, Any]], user: User | None) -> None:
    person.names.all().delete()
    for index, entry in enumerate(names):
        name = PersonName(person=person)
        assign(name, entry, NAME_FIELDS)
        try:
            save_record(name, user, exclude=("person",))
        except ValidationError as error:
            raise ValidationError({f"names[{index}].{field}": messages
                                   for field, messages in error.message_dict.items()}) from None


def _save_person(user: User | None, person: Person, data: Mapping[str, Any]) -> Person:
    check_writer(user)
    assign(person, data, PERSON_FIELDS)
    save_restricted(person, data, user)
    if data.get("names") is not None:
        _replace_names(person, data["names"], user)
    return person


@transaction.atomic
def create_person(user: User | None, data: Mapping[str, Any]) -> Person:
    """A person with their ``names`` (a list of dicts with ``full_name``, ``kind``, ``language``...)."""
    return _save_person(user, Person(), data)


@transaction.atomic
def update_person(user: User | None, person: Person, data: Mapping[str, Any]) -> Person:
    """Change the fields present in ``data``; ``names``, when present, replaces the person's names."""
    return _save_person(user, person, data)


def _save_organisation(user: User | None, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    check_writer(user)
    assign(organisation, data, ORGANISATION_FIELDS)
    save_restricted(organisation, data, user)
    return organisation


@transaction.atomic
def create_organisation(user: User | None, data: Mapping[str, Any]) -> Organisation:
    return _save_organisation(user, Organisation(), data)


@transaction.atomic
def update_organisation(user: User | None, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    return _save_organisation(user, organisation, data)


def _set_relationship_ends(relationship: Relationship, data: Mapping[str, Any], user: User | None) -> None:
    for end in ("subject", "object"):
        person_id, organisation_id = data.get(f"{end}_person"), data.get(f"{end}_organisation")
        if person_id is None and organisation_id is None:
            continue
        if person_id is not None and organisation_id is not None:
            raise ValidationError({end: f"give {end}_person or {end}_organisation, not both"})
        if person_id is not None:
            setattr(relationship, f"{end}_person", visible_record(Person, person_id, user, f"{end}_person"))
            setattr(relationship, f"{end}_organisation", None)
        else:
            setattr(relationship, f"{end}_organisation",
                    visible_record(Organisation, organisation_id, user, f"{end}_organisation"))
            setattr(relationship, f"{end}_person", None)
    for end in ("subject", "object"):
        if getattr(relationship, f"{end}_person_id") is None and getattr(relationship, f"{end}_organisation_id") is None:
            raise ValidationError({end: f"a relationship needs a {end}: {end}_person or {end}_organisation"})


def _save_relationship(user: User | None, relationship: Relationship, data: Mapping[str, Any]) -> Relationship:
    check_writer(user)
    assign(relationship, data, RELATIONSHIP_FIELDS)
    _set_relationship_ends(relationship, data, user)
    save_restricted(relationship, data, user)
    return relationship


@transaction.atomic
def create_relationship(user: User | None, data: Mapping[str, Any]) -> Relationship:
    """Ends are ids: one of ``subject_person``/``subject_organisation``, one of ``object_person``/``object_organisation``."""
    return _save_relationship(user, Relationship(), data)


@transaction.atomic
def update_relationship(user: User | None, relationship: Relationship, data: Mapping[str, Any]) -> Relationship:
    return _save_relationship(user, relationship, data)


@transaction.atomic
def delete_record(user: User | None, record: models.Model) -> None:
    """Delete a record (its dependent rows go with it); the deletion is kept in its history."""
    if user is not None:
        require_curator(user)
    record._history_user = user  # type: ignore[attr-defined]
    record.delete()
