"""The base for every model in the Django admin: the visibility filter, role-based rights, and history."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from shelter.access.visibility import is_visible, visible_to


class VisibleToUserAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Curators (editors and admins) see and change only the records the visibility filter gives them.

    A hidden record is as absent in the admin as anywhere else: not listed, not opened, not in its history.
    """

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:  # type: ignore[type-arg]
        return visible_to(super().get_queryset(request), request.user)  # type: ignore[arg-type]

    def _is_curator(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "can_curate", False) and request.user.is_active)

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        if not self._is_curator(request):
            return False
        return obj is None or getattr(request.user, "is_shelter_admin", False) or is_visible(obj, request.user)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_curator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._is_curator(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Choosers list only what the curator may see.
        related = db_field.related_model
        if hasattr(related, "VISIBILITY_PATHS") or _is_restricted(related):
            kwargs["queryset"] = visible_to(related._default_manager.all(), request.user)  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _is_restricted(model: Any) -> bool:
    from shelter.access.models import RestrictedRecord

    return isinstance(model, type) and issubclass(model, RestrictedRecord)
