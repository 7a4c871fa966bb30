"""Sections that an app adds to the record pages of an app below it.

A record page belongs to its record's app, but part of what it shows belongs to apps above: a person's page lists
the incidents that targeted the person and the sources that cite them, and those are ``incidents``' records. The
app above registers a section builder for a record kind in its ``AppConfig.ready``; the page adds what the builders
return to its template context. Imports then point from the app above to the app below, never back.

Every builder filters what it returns through the visibility filter for the viewer it is given. A builder may
name a ``template`` of its own app: the page includes every such template (``section_templates``), so a page shows
an app's panel without naming that app.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models

from shelter.access.visibility import Viewer

Section = Callable[[Any, Viewer], dict[str, Any]]
_SECTIONS: dict[str, list[Section]] = defaultdict(list)
_TEMPLATES: dict[str, list[str]] = defaultdict(list)


def add_section(kind: str, build: Section, template: str = "") -> None:
    """Show what ``build(record, viewer)`` returns on the pages of records of ``kind`` ("person", ...); with
    ``template``, the page also includes that template, which renders what ``build`` returned."""
    if build not in _SECTIONS[kind]:
        _SECTIONS[kind].append(build)
    if template and template not in _TEMPLATES[kind]:
        _TEMPLATES[kind].append(template)


def sections_for(kind: str, record: models.Model, viewer: Viewer) -> dict[str, Any]:
    """The template context every registered section adds to the page of ``record``."""
    context: dict[str, Any] = {"section_templates": list(_TEMPLATES[kind])}
    for build in _SECTIONS[kind]:
        context.update(build(record, viewer))
    return context
