"""API under /api/v1/notices/: notices, candidates, assessments, reviews, status events, dossiers and alerts.

Reads are open to anonymous callers (published public notices only); every list and record passes
through the visibility filter of the token's user. Writes need a token of a user who may edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from shelter.access.access_log import log_access
from shelter.access.models import Confidentiality, User
from shelter.access.visibility import Viewer, get_visible_or_404, visible_to
from shelter.access.writes import require_curator, require_editor, team_list
from shelter.api.auth import TOKEN, TOKEN_OR_ANONYMOUS
from shelter.api.listing import Limit, Offset, page_of
from shelter.jobs.documents import stored_or_job_json
from shelter.notices.assessment.assess import assess_notice, review_indicator
from shelter.notices.assessment.dossier import dossier_disposition, render_dossier_html
from shelter.notices.intake import entry
from shelter.notices.intake.formats import NoticeFormatError, read_notice_upload
from shelter.notices.intake.importing import SCREENED_FIELDS, import_notices
from shelter.notices.models import Alert, Notice, ScreeningMatch, search_notices
from shelter.notices.screening import alerts as alert_services
from shelter.notices.screening.notices import screen_notices

router = Router(tags=["notices"])


class ChargeIO(Schema):
    text: str
    translation: str = ""
    issuing_state: str = ""


class StatusEventOut(Schema):
    kind: str
    date: str
    state: str
    detail: str
    reference: str


class NoticeOut(Schema):
    id: int
    entity_id: str
    kind: str
    origin: str
    forename: str
    surname: str
    other_names: list[str]
    dob: str
    sex: str
    nationalities: list[str]
    issuing_state: str
    status: str
    url: str
    confidentiality: str
    charges: list[ChargeIO]
    events: list[StatusEventOut]


class NoticeIn(Schema):
    entity_id: str
    kind: str
    forename: str = ""
    surname: str = ""
    other_names: list[str] = []
    dob: str = ""
    sex: str = ""
    nationalities: list[str] = []
    issuing_state: str = ""
    issued: str = ""
    description: str = ""
    confidentiality: str = "internal"
    charges: list[ChargeIO] = []


class EventIn(Schema):
    kind: str
    date: str = ""
    state: str = ""
    detail: str = ""
    reference: str = ""


class NoticeChanges(Schema):
    """Fields to change; those not sent are kept."""

    entity_id: str | None = None
    kind: str | None = None
    forename: str | None = None
    surname: str | None = None
    other_names: list[str] | None = None
    dob: str | None = None
    sex: str | None = None
    nationalities: list[str] | None = None
    country_of_birth: str | None = None
    place_of_birth: str | None = None
    issuing_state: str | None = None
    issued: str | None = None
    distinguishing_marks: str | None = None
    languages: list[str] | None = None
    url: str | None = None
    description: str | None = None
    confidentiality: str | None = None
    published: bool | None = None
    teams: list[str] | None = None
    charges: list[ChargeIO] | None = None
    events: list[EventIn] | None = None


class NoticePage(Schema):
    count: int
    results: list[NoticeOut]


class MatchOut(Schema):
    id: int
    notice_id: int
    person_id: int
    person_name: str
    score: float
    explanation: str
    decision: str
    note: str


class DecisionIn(Schema):
    decision: str
    note: str = ""


class ReviewIn(Schema):
    answer: str
    note: str
    confidentiality: str | None = Field(None, description="who may read the note: public, internal or "
                                                          "confidential (a new review is internal)")
    published: bool | None = Field(None, description="a public note reaches anonymous callers once published")
    teams: list[str] | None = Field(None, description="case team names; a confidential note defaults to yours")


class AlertOut(Schema):
    id: int
    created: str
    acknowledged: bool
    match: MatchOut
    entity_id: str


def _editor(request: HttpRequest) -> User:
    return require_editor(request.auth)  # type: ignore[attr-defined]


def _notice(request: HttpRequest, notice_id: int) -> Notice:
    return get_visible_or_404(Notice.objects.all(), request.auth, pk=notice_id)  # type: ignore[attr-defined]


def notice_record(notice: Notice, viewer: Viewer) -> dict[str, Any]:
    return {
        **{name: getattr(notice, name) for name in (
            "id", "entity_id", "kind", "origin", "forename", "surname", "other_names", "dob", "sex",
            "nationalities", "issuing_state", "status", "url", "confidentiality")},
        "charges": [{"text": c.text, "translation": c.translation, "issuing_state": c.issuing_state}
                    for c in notice.charges.all()],
        "events": [{"kind": e.kind, "date": e.date, "state": e.state, "detail": e.detail, "reference": e.reference}
                   for e in visible_to(notice.events.all(), viewer)],
    }


def match_record(match: ScreeningMatch) -> dict[str, Any]:
    return {"id": match.pk, "notice_id": match.notice_id, "person_id": match.person_id,
            "person_name": match.person.primary_name, "score": match.score, "explanation": match.explanation,
            "decision": match.decision, "note": match.note}


@router.get("", response=NoticePage, auth=TOKEN_OR_ANONYMOUS)
def list_notices(request: HttpRequest, q: str = "", kind: str = "", issuing_state: str = "", status: str = "",
                 entity_id: str = "", limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    """``q`` is a full-text search: subject names in any script, charges, issuing state, notes, entity id.
    Other filters match exactly."""
    viewer = request.auth  # type: ignore[attr-defined]
    queryset = visible_to(Notice.objects.all(), viewer).prefetch_related("charges", "events")
    for field, value in (("kind", kind), ("issuing_state", issuing_state.upper()), ("status", status),
                         ("entity_id", entity_id)):
        if value:
            queryset = queryset.filter(**{field: value})
    if q:
        queryset = search_notices(queryset, q[:200])
    return {"count": queryset.count(),
            "results": [notice_record(n, viewer) for n in page_of(queryset, limit, offset)]}


@router.get("/alerts", response=list[AlertOut], auth=TOKEN)
def list_alerts(request: HttpRequest, all: bool = False) -> list[dict[str, Any]]:
    return [{"id": a.pk, "created": a.created.isoformat(), "acknowledged": a.acknowledged_at is not None,
             "match": match_record(a.match), "entity_id": a.match.notice.entity_id}
            for a in alert_services.alerts_for(request.auth, include_acknowledged=all)]  # type: ignore[attr-defined]


@router.post("/alerts/{alert_id}/acknowledge", response={204: None}, auth=TOKEN)
def acknowledge_alert(request: HttpRequest, alert_id: int) -> tuple[int, None]:
    user = _editor(request)
    alert_services.acknowledge(get_visible_or_404(Alert.objects.all(), user, pk=alert_id), user)
    return 204, None


# Content types of an import body sent as is (a multipart upload is read by its file name instead).
IMPORT_CONTENT_TYPES = {
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


@router.post("/import", auth=TOKEN)
def import_document(request: HttpRequest, full_list: bool = False, confidentiality: str = "public",
                    published: bool = True, teams: list[str] = Query([])) -> dict[str, Any]:  # noqa: B008
    """Body: an Interpol API response (list page, detail record or an array of either) as JSON, FollowTheMoney
    entities as JSON lines, or the list-level CSV or XLSX, each with its Content-Type; or any of them uploaded as
    the multipart form field ``file`` (recognised by its name: .json, .jsonl, .csv, .xlsx). New notices get
    ``confidentiality``, ``published`` and the case ``teams`` named (``?teams=alpha&teams=beta``; a confidential
    import without teams is filed under the importer's); a team the importer is not in is refused whole."""
    user = require_curator(request.auth)  # type: ignore[attr-defined]
    if confidentiality not in Confidentiality.values:
        raise HttpError(422, f"confidentiality '{confidentiality}' is not one of {', '.join(Confidentiality.values)}")
    case_teams = team_list(user, teams)
    upload = request.FILES.get("file")
    if upload is not None:
        chunks, suffix = upload.chunks(), Path(upload.name or "").suffix
    else:
        suffix = IMPORT_CONTENT_TYPES.get(request.content_type or "", "")
        if not suffix:
            raise HttpError(415, f"Content-Type '{request.content_type}' is not an import format: send one of "
                                 f"{', '.join(IMPORT_CONTENT_TYPES)}, or upload the file as the form field 'file'")
        chunks = iter([request.body])
    from shelter.notices.jobs import background_import_bytes, screen_after_import, start_notice_import

    size = upload.size if upload is not None else len(request.body)
    try:
        if size is not None and size > background_import_bytes():
            # A large body is imported and screened by a worker: follow it at /api/v1/jobs/{job}.
            job = start_notice_import(user, b"".join(chunks), suffix, full_list=full_list,
                                      confidentiality=confidentiality, published=published, teams=case_teams,
                                      name=upload.name or "" if upload else "")
            return {"job": str(job.pk), "status": job.status, "progress": f"/api/v1/jobs/{job.pk}"}
        parsed = read_notice_upload(chunks, suffix)
    except NoticeFormatError as error:
        raise HttpError(400, str(error)) from None
    report = import_notices(parsed.notices, full_list=full_list, confidentiality=confidentiality,
                            published=published, teams=case_teams, user=user)
    return {"format": parsed.format, "import": report.summary(),
            "screening": str(screen_after_import(user, report.to_screen)),
            "created": report.created, "updated": report.updated, "withdrawn": report.withdrawn,
            "skipped": parsed.skipped, "notes": list(parsed.notes)}


class FetchIn(Schema):
    nationality: str = Field("", max_length=2, description="ISO-2 code, e.g. TJ")
    issuing_country: str = Field("", max_length=2, description="ISO-2 code of the state that issued the warrant")
    name: str = Field("", max_length=100, description="surname to search for")
    forename: str = Field("", max_length=100)
    max_pages: int | None = Field(None, ge=1, le=1000, description="stop after this many list pages")
    details: bool = Field(True, description="also fetch each notice's detail record (its charges)")


@router.post("/fetch", auth=TOKEN)
def fetch(request: HttpRequest, payload: FetchIn) -> dict[str, Any]:
    """Editors and admins: download notices from Interpol's public API (the one use of the network, made only
    when asked), import and screen them, as a job: follow it at /api/v1/jobs/{job}."""
    from shelter.notices.jobs import start_notice_fetch

    user = require_curator(request.auth)  # type: ignore[attr-defined]
    filters = {"nationality": payload.nationality.upper(), "arrestWarrantCountryId": payload.issuing_country.upper(),
               "name": payload.name, "forename": payload.forename}
    try:
        job = start_notice_fetch(user, filters, payload.max_pages, payload.details)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return {"job": str(job.pk), "status": job.status, "progress": f"/api/v1/jobs/{job.pk}"}


@router.post("", response={201: NoticeOut}, auth=TOKEN)
def create_notice(request: HttpRequest, payload: NoticeIn) -> tuple[int, dict[str, Any]]:
    """Record a diffusion, extradition request or deportation order (or a notice) by hand."""
    user = _editor(request)
    values = payload.model_dump()
    charges = values.pop("charges")
    try:
        notice = entry.create_notice(user, charges=charges, **values)
    except ValidationError as error:
        raise HttpError(422, entry.describe(error)) from None
    screen_notices([notice.pk])
    return 201, notice_record(notice, user)


def _edit(request: HttpRequest, notice_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    user = _editor(request)
    notice = _notice(request, notice_id)
    charges = changes.pop("charges", None)
    events = changes.pop("events", None) or []
    try:
        with transaction.atomic():
            changed = entry.update_notice(notice, user, charges=charges, changes=changes)
            for number, event in enumerate(events, start=1):
                try:
                    entry.add_status_event(notice, user, **event)
                except ValidationError as error:
                    raise ValidationError(f"events[{number}]: {entry.describe(error)}") from None
    except ValidationError as error:
        raise HttpError(422, entry.describe(error)) from None
    if SCREENED_FIELDS.intersection(changed):
        screen_notices([notice.pk])
    return notice_record(notice, user)


@router.patch("/{notice_id}", response=NoticeOut, auth=TOKEN)
def patch_notice(request: HttpRequest, notice_id: int, payload: NoticeChanges) -> dict[str, Any]:
    """Change the fields sent (``charges``, when sent, replaces the charges; ``events`` are added to the status
    history). Every change is kept in the record's history and noted as a *modified* event."""
    # null is read as "not sent": a field is emptied with "" or [].
    changes = {name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None}
    return _edit(request, notice_id, changes)


@router.put("/{notice_id}", response=NoticeOut, auth=TOKEN)
def put_notice(request: HttpRequest, notice_id: int, payload: NoticeIn) -> dict[str, Any]:
    """Replace the notice's fields and charges with those sent (fields not sent are emptied; the confidentiality
    is kept unless sent, so that leaving it out never widens who may see the notice)."""
    values = payload.model_dump()
    if "confidentiality" not in payload.model_fields_set:
        del values["confidentiality"]
    return _edit(request, notice_id, values)


@router.get("/{notice_id}", response=NoticeOut, auth=TOKEN_OR_ANONYMOUS)
def get_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    notice = _notice(request, notice_id)
    log_access(request.auth, notice, "viewed")  # type: ignore[attr-defined]
    return notice_record(notice, request.auth)  # type: ignore[attr-defined]


@router.post("/{notice_id}/events", response={201: StatusEventOut}, auth=TOKEN)
def add_event(request: HttpRequest, notice_id: int, payload: EventIn) -> tuple[int, dict[str, Any]]:
    user = _editor(request)
    try:
        event = entry.add_status_event(_notice(request, notice_id), user, **payload.model_dump())
    except ValidationError as error:
        raise HttpError(422, entry.describe(error)) from None
    return 201, {"kind": event.kind, "date": event.date, "state": event.state, "detail": event.detail,
                 "reference": event.reference}


@router.get("/{notice_id}/matches", response=list[MatchOut], auth=TOKEN_OR_ANONYMOUS)
def list_matches(request: HttpRequest, notice_id: int) -> list[dict[str, Any]]:
    notice = _notice(request, notice_id)
    matches = visible_to(notice.matches.all(), request.auth).select_related("person")  # type: ignore[attr-defined]
    return [match_record(match) for match in matches]


@router.post("/matches/{match_id}/decision", response=MatchOut, auth=TOKEN)
def decide(request: HttpRequest, match_id: int, payload: DecisionIn) -> dict[str, Any]:
    user = _editor(request)
    match = get_visible_or_404(ScreeningMatch.objects.select_related("person"), user, pk=match_id)
    try:
        alert_services.decide_match(match, payload.decision, payload.note, user)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return match_record(match)


@router.get("/{notice_id}/assessment", auth=TOKEN_OR_ANONYMOUS)
def get_assessment(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    """Indicators answered present / absent / unknown with evidence; ``verified: false`` marks [K] items."""
    return assess_notice(_notice(request, notice_id), request.auth).to_dict()  # type: ignore[attr-defined]


@router.put("/{notice_id}/reviews/{indicator_id}", auth=TOKEN)
def put_review(request: HttpRequest, notice_id: int, indicator_id: str, payload: ReviewIn) -> dict[str, Any]:
    user = _editor(request)
    notice = _notice(request, notice_id)
    try:
        review_indicator(notice, indicator_id, payload.answer, payload.note, user,
                         payload.model_dump(include={"confidentiality", "published", "teams"}, exclude_none=True))
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return assess_notice(notice, user).to_dict()


@router.get("/{notice_id}/dossier.pdf", auth=TOKEN_OR_ANONYMOUS,
            openapi_extra={"responses": {200: {"description": "The dossier as PDF."}, 202: {
                "description": "Not laid out yet for the caller: a job lays it out; ask the same URL again "
                               "(`job`, `status`, `progress` for the caller's own job, `result`)."}}})
def dossier_pdf(request: HttpRequest, notice_id: int) -> HttpResponseBase:
    """The dossier as PDF, laid out by a worker the first time it is asked for (the answer is then 202 with the
    job), and the stored file while the dossier is unchanged for the caller."""
    from shelter.notices.jobs import DOSSIER_PDF, dossier_key_html, dossier_params

    notice = _notice(request, notice_id)
    caller = request.auth  # type: ignore[attr-defined]
    reader = caller if isinstance(caller, User) and caller.is_authenticated else None

    def deliver(response: HttpResponseBase) -> None:
        response["Content-Disposition"] = dossier_disposition(notice, "pdf")
        log_access(caller, notice, "downloaded")

    return stored_or_job_json(request, caller, DOSSIER_PDF, dossier_key_html(notice, reader, "dossier", None),
                              dossier_params(notice, "dossier", None), deliver)


@router.get("/{notice_id}/dossier.html", auth=TOKEN_OR_ANONYMOUS)
def dossier_html(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    response = HttpResponse(render_dossier_html(notice, request.auth), content_type="text/html; charset=utf-8")  # type: ignore[attr-defined]
    log_access(request.auth, notice, "downloaded")  # type: ignore[attr-defined]
    response["Content-Disposition"] = dossier_disposition(notice, "html")
    return response
