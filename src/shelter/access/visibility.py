"""The single visibility filter. Every output path (pages, API, search, autocomplete, exports, admin,
statistics, dossiers, briefings) narrows its querysets through :func:`visible_to`.

Rules:
- anonymous visitors see published public records only;
- admins see everything;
- a signed-in user sees records at or below their clearance, and a confidential record only when they
  belong to one of its case teams;
- a deleted record (and every row reached through it) is hidden from everyone; admins find it in the trash;
- a record kept for the one who asked for it (``VISIBLE_TO_OWNER`` names the field, e.g. a job) is seen by that
  user and by admins only.

A model states which records its own visibility depends on in ``VISIBILITY_PATHS``: ``""`` is the record
itself (it inherits :class:`~shelter.access.models.RestrictedRecord`), ``"person"`` a foreign key to a
restricted record, ``"person?"`` a nullable one that only restricts when set. A row is visible when it is
visible along every path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q

from shelter.access.models import CONFIDENTIALITY_RANK, Confidentiality, RestrictedRecord, User

M = TypeVar("M", bound=models.Model)
Viewer = User | AnonymousUser | None


def _levels_up_to(clearance: str) -> list[str]:
    limit = CONFIDENTIALITY_RANK[Confidentiality(clearance)]
    return [level for level, rank in CONFIDENTIALITY_RANK.items() if rank <= limit]


def _model_at(model: type[models.Model], path: str) -> type[models.Model]:
    for part in filter(None, path.split("__")):
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model


def _level_q(prefix: str, user: Viewer, in_team: Callable[[models.QuerySet[Any]], Q]) -> Q:
    """The rule on a record's confidentiality, publication and case teams (``in_team`` turns the user's team ids
    into the condition that the record is filed under one of them)."""
    if user is None or not user.is_authenticated:
        return Q(**{f"{prefix}confidentiality": Confidentiality.PUBLIC, f"{prefix}published": True})
    assert isinstance(user, User)
    if user.is_shelter_admin:
        return Q()
    allowed = Q(**{f"{prefix}confidentiality__in": _levels_up_to(user.clearance)})
    # Both memberships stay subqueries, so the filter adds no query of its own to a request.
    user_teams = User.teams.through.objects.filter(user_id=user.pk).values("team_id")
    return allowed & (~Q(**{f"{prefix}confidentiality": Confidentiality.CONFIDENTIAL}) | in_team(user_teams))


def _restricted_q(model: type[models.Model], path: str, user: Viewer) -> Q:
    """The condition that the restricted record reached by ``path`` is visible to ``user``."""
    target = _model_at(model, path)
    if not issubclass(target, RestrictedRecord):
        raise TypeError(f"{target.__name__} reached by '{path}' from {model.__name__} is not a restricted record")
    prefix = f"{path}__" if path else ""
    through = target._meta.get_field("teams").remote_field.through
    assert through is not None  # a many-to-many field always has its table
    owner_column = f"{target._meta.model_name}_id"

    def in_team(user_teams: models.QuerySet[Any]) -> Q:
        # A correlated EXISTS: the team rows are looked up for the rows the rest of the query keeps, by the
        # record's key, instead of hashing every team row of every record (PostgreSQL's plan for ``pk IN (…)``).
        filed = through._default_manager.filter(**{owner_column: OuterRef(f"{prefix}pk")}, team_id__in=user_teams)
        return Q(Exists(filed))

    return Q(**{f"{prefix}deleted__isnull": True}) & _level_q(prefix, user, in_team)


def _owner_q(owner_field: str, user: Viewer) -> Q:
    """A record kept for the one who asked for it (a job): its owner and admins see it, nobody else."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    assert isinstance(user, User)
    return Q() if user.is_shelter_admin else Q(**{owner_field: user.pk})


def visibility_q(model: type[models.Model], user: Viewer) -> Q:
    owner_field = getattr(model, "VISIBLE_TO_OWNER", None)
    if owner_field:
        return _owner_q(owner_field, user)
    condition = Q()
    for raw_path in getattr(model, "VISIBILITY_PATHS", ("",)):
        nullable = raw_path.endswith("?")
        path = raw_path.rstrip("?")
        restricted = _restricted_q(model, path, user)
        condition &= (Q(**{f"{path}__isnull": True}) | restricted) if nullable else restricted
    return condition


def visible_to(queryset: models.QuerySet[M], user: Viewer) -> models.QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may see."""
    return queryset.filter(visibility_q(queryset.model, user))


def is_visible(obj: models.Model, user: Viewer) -> bool:
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def get_visible_or_404(queryset: models.QuerySet[M], user: Viewer, **lookup: Any) -> M:
    """A record the caller may not see answers 404, exactly like one that does not exist."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible_to(queryset, user), **lookup)


def visible_versions(versions: models.QuerySet[M], user: Viewer) -> models.QuerySet[M]:
    """Narrow a record's history (its django-simple-history versions) to the versions ``user`` could have seen.

    A restricted record's version is judged by its own confidentiality, publication and case teams (the teams
    as recorded with that version); a version that links records (a target, a name, a relationship's ends) is
    shown only when the records it linked are visible to ``user`` now.
    """
    history_model = versions.model
    record_model = history_model.instance_type  # type: ignore[attr-defined]
    condition = Q()
    for raw_path in getattr(record_model, "VISIBILITY_PATHS", ("",)):
        path = raw_path.rstrip("?")
        if not path:
            condition &= _version_level_q(history_model, record_model, user)
            continue
        link = path.split("__")[0]
        related = history_model._meta.get_field(link).related_model
        linked = Q(**{f"{link}__in": visible_to(related._default_manager.all(), user).values("pk")})  # type: ignore[union-attr]
        condition &= (Q(**{f"{link}__isnull": True}) | linked) if raw_path.endswith("?") else linked
    return versions.filter(condition)


def _version_level_q(history_model: type[models.Model], record_model: type[models.Model], user: Viewer) -> Q:
    if not issubclass(record_model, RestrictedRecord):
        raise TypeError(f"{record_model.__name__} is not a restricted record")
    team_rows = _team_versions(history_model)
    if team_rows is not None:
        def in_team(user_teams: models.QuerySet[Any]) -> Q:
            return Q(history_id__in=team_rows._default_manager.filter(team_id__in=user_teams).values("history_id"))
    else:  # teams not tracked: a version is judged by the record's present teams
        through = record_model._meta.get_field("teams").remote_field.through
        assert through is not None
        owner_column = f"{record_model._meta.model_name}_id"

        def in_team(user_teams: models.QuerySet[Any]) -> Q:
            return Q(id__in=through._default_manager.filter(team_id__in=user_teams).values(owner_column))

    return _level_q("", user, in_team)


def _team_versions(history_model: type[models.Model]) -> type[models.Model] | None:
    """The model of the case-team rows kept with each version, when the teams' history is kept."""
    if "teams" not in {field.name for field in getattr(history_model, "_history_m2m_fields", ())}:
        return None
    return history_model.__dict__["teams"].model


def members_only(model: type[models.Model], user: Viewer) -> frozenset[str]:
    """The fields of ``model`` withheld from ``user``: a model's ``MEMBERS_ONLY_FIELDS`` (e.g. a person's at-risk
    flag) are shown to signed-in users only, on every path (pages, API, exports, history)."""
    if user is not None and user.is_authenticated:
        return frozenset()
    return frozenset(getattr(model, "MEMBERS_ONLY_FIELDS", ()))


class VisibleQuerySet(models.QuerySet[M]):
    def visible_to(self, user: Viewer) -> VisibleQuerySet[M]:
        return visible_to(self, user)  # type: ignore[return-value]


def present_q(model: type[models.Model]) -> Q:
    """The condition that no record along ``model``'s visibility paths is deleted."""
    condition = Q()
    for raw_path in getattr(model, "VISIBILITY_PATHS", ("",)):
        path = raw_path.rstrip("?")
        present = Q(**{f"{path}__deleted__isnull" if path else "deleted__isnull": True})
        condition &= (Q(**{f"{path}__isnull": True}) | present) if raw_path.endswith("?") else present
    return condition


class RecordManager(models.Manager.from_queryset(VisibleQuerySet)):  # type: ignore[misc]
    """The default manager of restricted records and rows reached through them: deleted ones are left out for
    every caller, the operator's commands included. The trash (``Model._base_manager``) still holds them."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(present_q(self.model))
