"""The base for every model in the Django admin: the visibility filter, role-based rights, and history.

Everything the admin shows passes through :func:`~shelter.access.visibility.visible_to`: the lists, the
choosers and raw-id labels, the list filters, the delete confirmation and the history. A record the curator
may not see answers 404 on every admin page, exactly like a missing one. Saves and deletes go through the
audited write path (:mod:`shelter.access.writes`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from shelter.access.access_log import log_access
from shelter.access.history import visible_version
from shelter.access.models import RestrictedRecord, Team
from shelter.access.visibility import Viewer, is_visible, visible_to
from shelter.access.writes import delete_record, save_form
from shelter.web.history import history_panel


def is_filtered(model: Any) -> bool:
    """Whether rows of ``model`` are subject to the visibility filter."""
    return isinstance(model, type) and (issubclass(model, RestrictedRecord) or hasattr(model, "VISIBILITY_PATHS"))


def choosable(model: type[models.Model], user: Viewer) -> models.QuerySet[Any]:
    """The rows of ``model`` a curator may pick: visible records; case teams they belong to (admins: all)."""
    if model is Team:
        if getattr(user, "is_shelter_admin", False):
            return Team.objects.all()
        return Team.objects.filter(members=user) if user is not None and user.is_authenticated else Team.objects.none()
    rows = model._default_manager.all()
    return visible_to(rows, user) if is_filtered(model) else rows


class VisibleRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box whose label names the chosen record only when the curator may see it."""

    def __init__(self, rel: Any, admin_site: admin.AdminSite, user: Viewer, using: str | None = None) -> None:
        super().__init__(rel, admin_site, using=using)
        self.user = user

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            choosable(self.rel.model, self.user).using(self.db).get(**{key: value})
        except (ValueError, TypeError, self.rel.model.DoesNotExist):  # type: ignore[attr-defined]
            return "", ""
        return super().label_and_url_for_value(value)


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a linked record offering only the records the curator may see."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:  # type: ignore[override]
        rows = choosable(field.related_model, request.user)
        return [(row.pk, str(row)) for row in rows]


class VisibleToUserAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Curators (editors and admins) see and change only the records the visibility filter gives them.

    A hidden record is as absent in the admin as anywhere else: not listed, not opened, not offered in a
    chooser or a filter, not named in a raw-id label or a delete confirmation, not in its history.
    """

    object_history_template = "admin/shelter_history.html"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return visible_to(super().get_queryset(request), request.user)

    def _is_curator(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "can_curate", False) and request.user.is_active)

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        if not self._is_curator(request):
            return False
        return obj is None or getattr(request.user, "is_shelter_admin", False) or is_visible(obj, request.user)

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

    # Choosers, raw-id labels and list filters

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if is_filtered(related) or related is Team:
            kwargs["queryset"] = choosable(related, request.user)
            if db_field.name in self.raw_id_fields and "widget" not in kwargs:
                kwargs["widget"] = VisibleRawIdWidget(db_field.remote_field, self.admin_site, request.user,
                                                      using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if is_filtered(related) or related is Team:
            kwargs["queryset"] = choosable(related, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        narrowed: list[Any] = []
        for entry in super().get_list_filter(request):
            field = self.model._meta.get_field(entry) if isinstance(entry, str) and "__" not in entry else None
            if field is not None and field.is_relation:
                narrowed.append((entry, VisibleRelatedFilter))
            else:
                narrowed.append(entry)
        return narrowed

    def render_change_form(self, request: HttpRequest, context: Any, add: bool = False, change: bool = False,
                           form_url: str = "", obj: Any = None) -> HttpResponse:
        if obj is not None and request.method == "GET":
            log_access(request.user, obj, "viewed")
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saves and deletes through the audited write path

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if isinstance(obj, RestrictedRecord) and "teams" in form.cleaned_data and obj.pk:
            # A curator picks among their own teams; the record's other teams stay as they were.
            own = choosable(Team, request.user)
            kept = list(obj.teams.exclude(pk__in=own.values("pk")))
            form.cleaned_data["teams"] = [*form.cleaned_data["teams"], *kept]
        save_form(form, request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The form's own many-to-many fields were saved with the record (save_model).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[list[str], dict[str, int], set[str],
                                                                              list[str]]:
        """A delete removes only what is named here: a restricted record is marked deleted (its links stay,
        hidden with it), a link row goes alone. Nothing else is listed, so nothing hidden is named."""
        chosen = [obj for obj in objs if self.has_delete_permission(request, obj)]
        labels = [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in chosen]
        return labels, {str(self.model._meta.verbose_name_plural): len(chosen)}, set(), []

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_record(request.user, obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            delete_record(request.user, obj)  # type: ignore[arg-type]

    # History, filtered per version

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"{capfirst(opts.verbose_name)} history: {obj}",
            "object": obj, "opts": opts, "app_label": opts.app_label,
            "entries": history_panel(obj, request.user),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        log_access(request.user, obj, "viewed")
        return render(request, self.object_history_template, context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: Any = None) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not str(version_id).isdigit() or visible_version(obj, int(version_id), request.user) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
