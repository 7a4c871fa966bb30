"""Detail, create, change and delete for one record type, shared by the module routers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from ninja import Schema

from shelter.access.models import User
from shelter.access.visibility import Viewer, get_visible_or_404
from shelter.incidents.services import set_citations
from shelter.registry.services import delete_record, require_curator, require_editor

Build = Callable[[Any, Viewer], dict[str, Any]]
QuerysetFor = Callable[[Viewer], models.QuerySet[Any]]


def caller(request: HttpRequest) -> Viewer:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def read_one(request: HttpRequest, queryset_for: QuerysetFor, build: Build, record_id: int) -> dict[str, Any]:
    viewer = caller(request)
    return build(get_visible_or_404(queryset_for(viewer), viewer, pk=record_id), viewer)


def _values(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


def _reload(queryset_for: QuerysetFor, build: Build, user: User, record_id: int) -> dict[str, Any]:
    return build(queryset_for(user).get(pk=record_id), user)


def create(request: HttpRequest, payload: Schema, service: Callable[[User, Mapping[str, Any]], models.Model],
           queryset_for: QuerysetFor, build: Build, cited: bool = False) -> tuple[int, dict[str, Any]]:
    user = require_editor(caller(request))
    values = _values(payload)
    with transaction.atomic():
        record = service(user, values)
        if cited and values.get("citations") is not None:
            set_citations(user, record, values["citations"])
    return 201, _reload(queryset_for, build, user, record.pk)


def change(request: HttpRequest, payload: Schema, record_id: int,
           service: Callable[[User, Any, Mapping[str, Any]], models.Model],
           queryset_for: QuerysetFor, build: Build, cited: bool = False) -> dict[str, Any]:
    user = require_editor(caller(request))
    record = get_visible_or_404(queryset_for(user), user, pk=record_id)
    values = _values(payload)
    with transaction.atomic():
        service(user, record, values)
        if cited and values.get("citations") is not None:
            set_citations(user, record, values["citations"])
    return _reload(queryset_for, build, user, record_id)


def remove(request: HttpRequest, queryset_for: QuerysetFor, record_id: int) -> tuple[int, None]:
    user = require_curator(caller(request))
    delete_record(user, get_visible_or_404(queryset_for(user), user, pk=record_id))
    return 204, None
