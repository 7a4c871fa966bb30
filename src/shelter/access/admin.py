"""Accounts in the admin: users with role, clearance and case teams; teams; API tokens (revoke only).

Only Shelter admins manage accounts; editors reach the admin for curation of records, not of people's access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shelter.access.models import AccessEvent, ApiToken, Team, User


class ShelterAdminsOnly:
    def _is_admin(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_shelter_admin", False) and request.user.is_active)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._is_admin(request)


@admin.register(User)
class ShelterUserAdmin(ShelterAdminsOnly, UserAdmin):
    list_display = ("username", "role", "clearance", "is_active", "last_login")
    list_filter = ("role", "clearance", "teams", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Access"), {"fields": ("role", "clearance", "teams", "is_active")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "clearance", "teams", "password1", "password2")}),)
    filter_horizontal = ("teams",)


@admin.register(Team)
class TeamAdmin(ShelterAdminsOnly, admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(ShelterAdminsOnly, admin.ModelAdmin):
    """Tokens are issued with `shelter token USERNAME` (shown once); here they can be reviewed and revoked."""

    list_display = ("user", "label", "created", "last_used")
    readonly_fields = ("user", "label", "created", "last_used")
    exclude = ("digest",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(ShelterAdminsOnly, admin.ModelAdmin):
    """The access log: read by admins, written only by Shelter itself, never changed or removed here."""

    list_display = ("when", "username", "action", "kind", "record_id")
    list_filter = ("action", "kind")
    search_fields = ("username",)
    date_hierarchy = "when"
    readonly_fields = ("when", "user", "username", "action", "kind", "record_id")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
