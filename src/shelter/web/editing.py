"""The shape every simple edit page shares: the visible record (or a new one), its form, save, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop

from shelter import flash
from shelter.access.visibility import get_visible_or_404
from shelter.access.writes import save_form


def record_to_edit(request: HttpRequest, model: type[models.Model], pk: int | None) -> Any:
    """The record ``pk`` if the user may see it (404 otherwise), or a new, unsaved one."""
    if pk is None:
        return model()
    return get_visible_or_404(model._default_manager.all(), request.user, pk=pk)


def form_page(request: HttpRequest, form: forms.ModelForm, template: str,
              context: dict[str, Any], shown_at: Callable[[Any], Any] = lambda saved: saved) -> HttpResponse:
    """Save a valid POST and go to the saved record's page; otherwise show the form with its errors."""
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, request.user)
        flash.success(request, gettext_noop("Saved “%(name)s”."), name=saved)
        return redirect(shown_at(saved))
    return render(request, template, {"form": form, **context})
