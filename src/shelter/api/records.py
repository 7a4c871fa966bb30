"""Detail, create, change and delete endpoints for one record type, shared by the module routers.

(No ``from __future__ import annotations`` here: the endpoint signatures below take their schema classes
from the factory's arguments, and django-ninja reads those annotations at definition time.)
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from ninja import Router, Schema

from shelter.access.access_log import log_access
from shelter.access.models import User
from shelter.access.visibility import Viewer, get_visible_or_404
from shelter.access.writes import delete_record, require_curator, require_editor
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS

Build = Callable[[Any, Viewer], dict[str, Any]]
QuerysetFor = Callable[[Viewer], "models.QuerySet[Any]"]
Create = Callable[[User, Mapping[str, Any]], models.Model]
Update = Callable[[User, Any, Mapping[str, Any]], models.Model]
Cite = Callable[[User, models.Model, list[Mapping[str, Any]]], Any]


def caller(request: HttpRequest) -> Viewer:
    return request.auth  # type: ignore[attr-defined]


def add_record_endpoints(router: Router, name: str, queryset_for: QuerysetFor, build: Build,
                         schema_in: type[Schema], schema_create: type[Schema], schema_out: type[Schema],
                         create: Create, update: Update, cite: Cite | None = None) -> None:
    """``GET/PATCH/DELETE /{id}`` and ``POST /`` for one record type, named ``name`` in the OpenAPI document;
    POST takes ``schema_create``, PATCH ``schema_in``.

    ``cite(user, record, citations)``: writes the record's ``citations`` when a body sends them (incidents write
    their own in their service).
    """

    def reload(user: User, record_id: int) -> dict[str, Any]:
        return build(queryset_for(user).get(pk=record_id), user)

    def write_citations(user: User, record: models.Model, values: Mapping[str, Any]) -> None:
        if cite is not None and values.get("citations") is not None:
            cite(user, record, values["citations"])

    @router.get("/{record_id}", response=schema_out, auth=TOKEN_OR_ANONYMOUS, operation_id=f"read_{name}",
                summary=f"Read one {name}")
    def read_one(request: HttpRequest, record_id: int) -> dict[str, Any]:
        viewer = caller(request)
        record = get_visible_or_404(queryset_for(viewer), viewer, pk=record_id)
        log_access(viewer, record, "viewed")
        return build(record, viewer)

    @router.post("", response={201: schema_out}, auth=TOKEN, operation_id=f"create_{name}",
                 summary=f"Create a {name}")
    def create_one(request: HttpRequest, payload: schema_create) -> tuple[int, dict[str, Any]]:  # type: ignore[valid-type]
        user = require_editor(caller(request))
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        with transaction.atomic():
            record = create(user, values)
            write_citations(user, record, values)
        return 201, reload(user, record.pk)

    @router.patch("/{record_id}", response=schema_out, auth=TOKEN, operation_id=f"change_{name}",
                  summary=f"Change a {name} (only the fields sent)")
    def change_one(request: HttpRequest, record_id: int,
                   payload: schema_in) -> dict[str, Any]:  # type: ignore[valid-type]
        user = require_editor(caller(request))
        record = get_visible_or_404(queryset_for(user), user, pk=record_id)
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        with transaction.atomic():
            update(user, record, values)
            write_citations(user, record, values)
        return reload(user, record_id)

    @router.delete("/{record_id}", response={204: None}, auth=TOKEN, operation_id=f"delete_{name}",
                   summary=f"Delete a {name}")
    def delete_one(request: HttpRequest, record_id: int) -> tuple[int, None]:
        user = require_curator(caller(request))
        delete_record(user, get_visible_or_404(queryset_for(user), user, pk=record_id))
        return 204, None
