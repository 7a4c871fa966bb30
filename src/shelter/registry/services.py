"""Write services for people, names, organisations and relationships.

The API, the importers and the web forms call these; each goes through the audited write path
(:mod:`shelter.access.writes`), so every write is checked the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import User
from shelter.access.writes import (
    assign,
    check_writer,
    remove_visible,
    save_record,
    save_restricted,
    visible_record,
)
from shelter.registry.models import Organisation, Person, PersonName, Relationship

PERSON_FIELDS = ("primary_name", "dob", "sex", "nationalities", "country_of_residence", "status_abroad", "profile",
                 "at_risk", "description")
ORGANISATION_FIELDS = ("name", "aliases", "kind", "country", "description")
RELATIONSHIP_FIELDS = ("kind", "detail", "start", "end", "description")
NAME_FIELDS = ("full_name", "given_name", "surname", "patronymic", "script", "language", "kind")


def _replace_names(person: Person, names: Iterable[Mapping[str, Any]], user: User | None) -> None:
    remove_visible(person.names.all(), user)
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
