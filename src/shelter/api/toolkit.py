"""What every API module's request and response bodies share, and the guard every operation passes through.

Inputs forbid unknown fields (``StrictInput``: a misspelt field is a 422 naming it, not silently dropped). PATCH
takes a ``...In`` schema whose fields are all optional; ``for_creating`` makes its POST variant, which declares
the fields a new record needs as required. A restricted record's body carries ``Restriction`` (confidentiality,
published, teams) and its sources as ``CitationIn``/``CitationOut``. Every list answers ``Page[...Out]``.

``refuse_nul`` is added to the whole API (``api.routes``): a NUL character in a query, path or form value or in a
JSON body's string is a 422 naming where it is, before the endpoint runs. No record holds one (the database cannot
store it, and PostgreSQL cannot compare one), so no endpoint has to think of it. A JSON body that is not an object
is a 422 there too where the operation declares a body schema: one whose fields are all optional would otherwise
take ``[]`` or ``42`` as ``{}``.

This module is part of the toolkit layer: app API modules import it, and it imports no app.
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import BaseModel, ConfigDict, Field

from shelter.access.models import Confidentiality
from shelter.api.listing import COUNT_CAP

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])

NUL = "\x00"
NUL_MESSAGE = "must not contain a NUL character (\\x00)"
BODY_MESSAGE = "the body must be a JSON object"
FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def choice_field(values: Iterable[str], default: Any = None, description: str = "") -> Any:
    """A body field that takes one of ``values``, declared as an enum in the OpenAPI document (the service
    refuses any other with a 422 naming the field)."""
    return Field(default, description=description or None, json_schema_extra={"enum": list(values)})


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


def for_creating(schema: type[Schema], *required: str, prefix: str = "") -> type[Schema]:
    """``schema`` as the body of a POST: the same fields, with ``required`` declared required. Its name in the
    OpenAPI document is ``prefix`` + the name without ``In`` + ``Create`` (``VendorIn`` -> ``VendorCreate``)."""
    name = prefix + schema.__name__.removesuffix("In") + "Create"
    config = ConfigDict(extra="forbid", title=name, json_schema_extra={"required": list(required)})
    return type(name, (schema,), {"model_config": config, "__module__": schema.__module__})


class Restriction(StrictInput):
    confidentiality: str | None = choice_field(Confidentiality.values, description="default internal")
    published: bool | None = Field(None, description="public records are shown to anonymous callers once published")
    teams: list[str] | None = Field(None, description="case team names; confidential records default to yours")


class CitationIn(StrictInput):
    source: int
    locator: str = ""


class CitationOut(Schema):
    source: int
    locator: str


class Page(Schema, Generic[T]):
    """The answer of every list endpoint built on ``listing.page``."""

    items: list[T]
    count: int = Field(description=f"records matching the query and filters that the caller may see, counted up "
                                   f"to {COUNT_CAP:,}")
    count_capped: bool = Field(False, description=f"true when more than {COUNT_CAP:,} records match: ``count`` is "
                                                  "then the cap, a lower bound")


def _nul_in(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where a NUL stands in a decoded JSON value: the path to each string (or key) that holds one."""
    if isinstance(value, str):
        if NUL in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*where, key)
            yield from _nul_in(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_in(item, (*where, index))


def _nul_in_values(place: str, values: QueryDict) -> list[tuple[str | int, ...]]:
    return [(place, name) for name, items in values.lists() if NUL in name or any(NUL in v for v in items)]


def nul_locations(request: HttpRequest) -> list[tuple[str | int, ...]]:
    """Each query, path or form value and each string of a JSON body that holds a NUL, as an error ``loc``."""
    found = _nul_in_values("query", request.GET)
    if request.content_type in FORMS:
        try:
            found += _nul_in_values("form", request.POST)
        except MultiPartParserError:
            pass  # the endpoint answers that the body cannot be read
    match = getattr(request, "resolver_match", None)
    if match is not None:
        found += [("path", name) for name, value in match.kwargs.items() if isinstance(value, str) and NUL in value]
    if request.content_type == "application/json" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            return found  # the endpoint answers that the body cannot be read
        found += list(_nul_in(body, ("body",)))
    return found


def takes_a_json_object(view: Callable[..., Any]) -> bool:
    """Whether the operation declares a body schema (a parameter annotated with a schema, not a query, form or file
    marker): such a body is a JSON object. An operation reading its body as a file (a notices file is a JSON array)
    declares none."""
    try:
        hints = typing.get_type_hints(view, include_extras=True)
    except (NameError, TypeError):
        return False
    return any(isinstance(hint, type) and issubclass(hint, BaseModel) for name, hint in hints.items() if name != "return")


def not_an_object(request: HttpRequest) -> bool:
    """A JSON body that is readable but not an object (``[]``, ``42``, ``"x"``, ``null``): a body schema whose
    fields are all optional would otherwise take it as an empty object."""
    if request.content_type != "application/json" or not request.body:
        return False
    try:
        return not isinstance(json.loads(request.body), dict)
    except ValueError:
        return False  # the endpoint answers that the body cannot be read


def refuse_nul(view: View) -> View:
    """Wrap an operation (``api.add_decorator(refuse_nul)``): a 422 naming each value that holds a NUL, and a 422
    for a JSON body that is not an object where the operation declares a body schema."""
    body_schema = takes_a_json_object(view)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        found = nul_locations(request)
        if found:
            raise ValidationError([{"loc": list(loc), "msg": NUL_MESSAGE, "type": "value_error"} for loc in found])
        if body_schema and not_an_object(request):
            raise ValidationError([{"loc": ["body"], "msg": BODY_MESSAGE, "type": "type_error"}])
        return view(request, *args, **kwargs)

    return guarded  # type: ignore[return-value]
