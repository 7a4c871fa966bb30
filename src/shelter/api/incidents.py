"""Incidents (with targets, perpetrators and citations) and sources."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import File, Router, UploadedFile

from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404
from shelter.access.writes import require_editor, save_record
from shelter.api import records
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS
from shelter.api.listing import (
    FullText,
    LevelFilter,
    Limit,
    Offset,
    RecordIdFilter,
    choice,
    choice_filter,
    country_filter,
    level_filter,
    page,
    query_error,
)
from shelter.api.records import add_record_endpoints
from shelter.api.representations import incident_queryset, incident_record, source_queryset, source_record
from shelter.api.schemas import (
    IncidentCreate,
    IncidentIn,
    IncidentOut,
    SourceCreate,
    SourceIn,
    SourceOut,
)
from shelter.api.toolkit import Page
from shelter.incidents import services
from shelter.incidents.evidence import EvidenceTooLarge, attach_file, download
from shelter.incidents.models import (
    FILE_ARCHIVED,
    IncidentPerpetrator,
    IncidentTarget,
    Outcome,
    Reliability,
    Source,
    SourceKind,
    Verification,
)
from shelter.incidents.taxonomy import taxonomy
from shelter.stored_words import written

incidents = Router(tags=["incidents"])
sources = Router(tags=["sources"])


VerificationFilter = Annotated[str | None, choice(Verification.values)]
OutcomeFilter = Annotated[str | None, choice(Outcome.values)]
SourceKindFilter = Annotated[str | None, choice(SourceKind.values)]
ReliabilityFilter = Annotated[str | None, choice(Reliability.values)]


@incidents.get("", response=Page[IncidentOut], auth=TOKEN_OR_ANONYMOUS)
def list_incidents(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                   tactic: str | None = None, origin_state: str | None = None, host_country: str | None = None,
                   year: int | None = None, verification: VerificationFilter = None,
                   outcome: OutcomeFilter = None, confidentiality: LevelFilter = None,
                   person: int | None = RecordIdFilter,
                   organisation: int | None = RecordIdFilter) -> dict[str, Any]:
    """Filters combine with AND; ``tactic`` takes a code or a label, countries a code or an English name;
    ``person`` / ``organisation`` keep incidents that target or implicate that record."""
    viewer = records.caller(request)
    queryset = incident_queryset(viewer)
    if tactic:
        found = taxonomy().resolve(tactic)
        if found is None:
            raise query_error("tactic", f"'{tactic}' is not a tactic code or label")
        queryset = queryset.filter(tactic=found.code)
    if origin_state:
        queryset = queryset.filter(origin_state=country_filter(origin_state, "origin_state"))
    if host_country:
        queryset = queryset.filter(host_country=country_filter(host_country, "host_country"))
    if year is not None:
        queryset = queryset.filter(year=year)
    if verification:
        queryset = queryset.filter(verification=choice_filter(verification, "verification", Verification.values))
    if outcome:
        queryset = queryset.filter(outcome=choice_filter(outcome, "outcome", Outcome.values))
    queryset = level_filter(queryset, confidentiality)
    # Link filters go through the visible link rows only, so they cannot be used to probe hidden links.
    if person is not None:
        visible_links = IncidentTarget.objects.visible_to(viewer)
        queryset = queryset.filter(pk__in=visible_links.filter(person=person).values("incident"))
    if organisation is not None:
        visible_roles = IncidentPerpetrator.objects.visible_to(viewer)
        queryset = queryset.filter(pk__in=visible_roles.filter(organisation=organisation).values("incident"))
    return page(queryset, q, limit, offset, incident_record, viewer)






@sources.get("", response=Page[SourceOut], auth=TOKEN_OR_ANONYMOUS)
def list_sources(request: HttpRequest, limit: int = Limit, offset: int = Offset, q: str = FullText,
                 kind: SourceKindFilter = None,
                 reliability: ReliabilityFilter = None,
                 confidentiality: LevelFilter = None) -> dict[str, Any]:
    viewer = records.caller(request)
    queryset = source_queryset(viewer)
    if kind:
        queryset = queryset.filter(kind=choice_filter(kind, "kind", SourceKind.values))
    if reliability:
        queryset = queryset.filter(reliability=choice_filter(reliability, "reliability", Reliability.values))
    queryset = level_filter(queryset, confidentiality)
    return page(queryset, q, limit, offset, source_record, viewer)


@sources.post("/{record_id}/file", response=SourceOut, auth=TOKEN)
def upload_source_file(request: HttpRequest, record_id: int, file: UploadedFile = File(...)) -> dict[str, Any]:  # noqa: B008
    """Archive a file (multipart field ``file``) as the source's evidence, replacing any earlier one. Shelter
    computes its SHA-256 and type from the bytes; the file is stored, never opened or run."""
    user = require_editor(records.caller(request))
    source: Source = get_visible_or_404(source_queryset(user), user, pk=record_id)
    try:
        with transaction.atomic():
            attach_file(source, file.chunks(), file.name or "")
            save_record(source, user, reason=written(FILE_ARCHIVED))
    except EvidenceTooLarge as error:
        raise ValidationError({"file": str(error)}) from None
    return source_record(source_queryset(user).get(pk=record_id), user)


@sources.get("/{record_id}/file", auth=TOKEN_OR_ANONYMOUS, response={200: None})
def download_source_file(request: HttpRequest, record_id: int) -> FileResponse:
    """The source's archived file, always as an attachment; 404 when the source is hidden, missing or has none."""
    viewer = records.caller(request)
    source = get_visible_or_404(source_queryset(viewer), viewer, pk=record_id)
    response = download(source)
    log_access(viewer, source, "downloaded")
    return response


add_record_endpoints(incidents, "incident", incident_queryset, incident_record, IncidentIn, IncidentCreate, IncidentOut,
                     services.create_incident, services.update_incident)
add_record_endpoints(sources, "source", source_queryset, source_record, SourceIn, SourceCreate, SourceOut,
                     services.create_source, services.update_source)
