"""Who may do what in the web interface.

Viewers read; researchers, editors and admins create and change the records they can see; only
editors and admins (curators) delete records and revert them to an earlier version. Reading goes
through the visibility filter in every view; these decorators only decide whether a write is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shelter.access.models import User

View = Callable[..., HttpResponse]


def signed_in(request: HttpRequest) -> User:
    """The account of a request that ``login_required`` let through."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _requires(attribute: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not getattr(request.user, attribute, False):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = _requires("can_edit")
"""Researchers, editors and admins: create and change records."""

curator_required = _requires("can_curate")
"""Editors and admins: delete, revert, review possible duplicates."""


def user_can_edit(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "can_edit", False))


def user_can_curate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "can_curate", False))
