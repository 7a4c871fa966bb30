"""The records import page (administrators) and export page (anyone signed in). A large import and every export
run as jobs: the page answers at once with the job's page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shelter.access.models import User
from shelter.connectors import jobs
from shelter.connectors.base import ImportRefused, no_progress
from shelter.connectors.forms import RecordsExportForm, RecordsImportForm
from shelter.notices.screening.registry_changes import screening_for

SHOWN_PROBLEMS = 10


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_shelter_admin:
        raise PermissionDenied
    return user


@login_required
def records_import(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = RecordsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        name = Path(upload.name or "").name
        try:
            if upload.size is not None and upload.size > int(settings.SHELTER_BACKGROUND_IMPORT_BYTES):
                job = jobs.start_records_import(user, b"".join(upload.chunks()), name, dry_run=dry_run)
                return redirect("jobs:detail", pk=job.pk)
            chosen = jobs.importer_for(name, None)
            with screening_for(user):  # the people added are screened after commit, as a job when many
                report = jobs.read_upload(chosen, b"".join(upload.chunks()), name, dry_run, no_progress)
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                messages.success(request, report.summary())
                return redirect("records:import")
            form.add_error("file", report.summary())
            for problem in report.problems[:SHOWN_PROBLEMS]:
                form.add_error("file", str(problem))
    return render(request, "connectors/import.html", {"form": form})


@login_required
def records_export(request: HttpRequest) -> HttpResponse:
    form = RecordsExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_records_export(request.user, form.cleaned_data["format"])  # type: ignore[arg-type]
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "connectors/export.html", {"form": form})


@login_required
@require_POST
def rebuild_indexes(request: HttpRequest) -> HttpResponse:
    """Administrators: rebuild the search index and the registry's names index, as two jobs."""
    from shelter.notices.jobs import start_registry_index_rebuild
    from shelter.search.jobs import start_search_rebuild

    user = _admin(request)
    start_search_rebuild(user)
    start_registry_index_rebuild(user)
    return redirect("jobs:list")
