"""Pages for notices: list, manual entry, import, candidates, assessment with reviews, dossier, alerts.
Every query passes through the visibility filter; every record shown is escaped by the templates."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from shelter import flash
from shelter.access.access_log import log_access
from shelter.access.models import User
from shelter.access.visibility import get_visible_or_404, visible_to, visible_versions
from shelter.incidents.evidence import INLINE_SAFE_TYPES, EvidenceTooLarge, path_for, store_evidence
from shelter.indicators.catalogue import translated_questions
from shelter.jobs.documents import stored_or_job
from shelter.notices.assessment.assess import assess_notice, review_indicator, visible_review
from shelter.notices.assessment.dossier import (
    DossierRequestError,
    check_request,
    dossier_context,
    dossier_disposition,
)
from shelter.notices.forms import (
    DecisionForm,
    DocumentForm,
    EvidenceForm,
    FetchForm,
    ImportForm,
    NoticeForm,
    ReviewForm,
    StatusEventForm,
)
from shelter.notices.intake import entry
from shelter.notices.intake.formats import NoticeFormatError, read_notice_upload
from shelter.notices.intake.importing import import_notices
from shelter.notices.models import (
    Alert,
    IndicatorReview,
    Notice,
    NoticeDocument,
    NoticeKind,
    NoticeStatus,
    ScreeningMatch,
    search_notices,
)
from shelter.notices.screening import alerts as alert_services
from shelter.notices.screening.notices import screen_notices
from shelter.web.country_names import localised_country_name
from shelter.web.facets import CONFIDENTIALITY_FACET, FacetSpec, apply_facets, choice_label
from shelter.web.history import history_panel
from shelter.web.permissions import curator_required, editor_required

# Notes about values left out of an import (a nationality that names no country): the first ones, as messages.
NOTES_SHOWN = 20

NOTICE_FACETS = (
    FacetSpec("kind", "kind", gettext_lazy("Kind"), choice_label(NoticeKind)),
    FacetSpec("state", "issuing_state", gettext_lazy("Issuing state"), localised_country_name),
    FacetSpec("status", "status", gettext_lazy("Status"), choice_label(NoticeStatus)),
    CONFIDENTIALITY_FACET,
)


def _visible_notice(request: HttpRequest, pk: int) -> Notice:
    return get_visible_or_404(Notice.objects.all(), request.user, pk=pk)


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    visible = visible_to(Notice.objects.all(), request.user)
    if query:
        visible = search_notices(visible, query)
    narrowed, facets = apply_facets(visible, NOTICE_FACETS, request.GET)
    page = Paginator(narrowed.order_by("-pk"), 25).get_page(request.GET.get("page"))
    pending = visible_to(ScreeningMatch.objects.filter(decision="pending"), request.user)
    return render(request, "notices/list.html", {
        "page": page, "facets": facets, "query": query, "total": page.paginator.count,
        "pending": pending.count(),
        "alerts": len(alert_services.alerts_for(request.user)) if request.user.is_authenticated else 0,
    })


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    log_access(request.user, notice, "viewed")
    matches = visible_to(notice.matches.select_related("person", "decided_by"), request.user)
    return render(request, "notices/notice.html", {
        "notice": notice,
        "issuing_state_name": localised_country_name(notice.issuing_state) if notice.issuing_state else "",
        "charges": notice.charges.all(),
        "events": visible_to(notice.events.select_related("recorded_by"), request.user),
        "matches": matches,
        "decision_form": DecisionForm(),
        "event_form": StatusEventForm(),
        "document_form": DocumentForm(),
        "documents": visible_to(notice.documents.all(), request.user),
        "history": history_panel(notice, request.user),
    })


@editor_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    initial = {"nationalities": ", ".join(notice.nationalities),
               "charges_text": "\n".join(f"{c.text} || {c.translation}" if c.translation else c.text
                                          for c in notice.charges.all())}
    form = NoticeForm(request.POST or None, instance=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry.update_notice(form.save(commit=False), request.user, form.charges())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, entry.describe(error))
        else:
            summary = screen_notices([notice.pk]).sentence_for(request.user, [notice.pk])
            flash.success(request, gettext_noop("Saved. %(summary)s"), summary=summary)
            return redirect(notice.get_absolute_url())
    return render(request, "notices/notice_form.html", {"form": form, "notice": notice})


@require_POST
@editor_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            entry.add_document(notice, request.user, form.cleaned_data["title"], upload.chunks(),  # type: ignore[arg-type]
                               upload.name, form.cleaned_data["date"])
            flash.success(request, gettext_noop("Document stored."))
        except (ValidationError, EvidenceTooLarge) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))  # type: ignore[arg-type]
    return redirect(notice.get_absolute_url())


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_visible_or_404(NoticeDocument.objects.all(), request.user, pk=pk)
    log_access(request.user, document.notice, "downloaded")
    # Offered as a download with a neutral type unless the sniffed type is safe to show.
    media_type = document.file_type if document.file_type in INLINE_SAFE_TYPES else "application/octet-stream"
    return FileResponse(path_for(document.file_sha256).open("rb"), as_attachment=True,
                        filename=document.file_name, content_type=media_type)


@editor_required
def notice_new(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in NoticeForm.Meta.fields}
        try:
            notice = entry.create_notice(request.user, charges=form.charges(), **values)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            summary = screen_notices([notice.pk]).sentence_for(request.user, [notice.pk])
            flash.success(request, gettext_noop("Recorded. %(summary)s"), summary=summary)
            return redirect(notice.get_absolute_url())
    return render(request, "notices/notice_form.html", {"form": form})


@curator_required
def notice_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        access = {"confidentiality": form.cleaned_data["confidentiality"],
                  "published": form.cleaned_data["published"], "teams": list(form.cleaned_data["teams"])}
        from shelter.notices.jobs import background_import_bytes, screen_after_import, start_notice_import

        try:
            if upload.size is not None and upload.size > background_import_bytes():
                # A large file is imported and screened by a worker; its page shows the progress.
                job = start_notice_import(request.user, b"".join(upload.chunks()),  # type: ignore[arg-type]
                                          Path(upload.name).suffix, full_list=form.cleaned_data["full_list"],
                                          name=upload.name or "", **access)
                return redirect("jobs:detail", pk=job.pk)
            parsed = read_notice_upload(upload.chunks(), Path(upload.name).suffix)
        except NoticeFormatError as error:
            form.add_error("file", str(error))
        else:
            try:
                report = import_notices(parsed.notices, full_list=form.cleaned_data["full_list"],
                                        user=request.user, **access)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
                return render(request, "notices/import.html", {"form": form})
            screening = screen_after_import(request.user, report.to_screen)  # type: ignore[arg-type]
            flash.success(request, gettext_noop("%(imported)s. %(screened)s"), imported=report.sentence(),
                          screened=screening)
            for note in parsed.notes[:NOTES_SHOWN]:
                messages.warning(request, note)
            if len(parsed.notes) > NOTES_SHOWN:
                flash.warning(request, gettext_noop("… and %(count)s more notes like these."),
                              count=len(parsed.notes) - NOTES_SHOWN)
            return redirect("notices:list")
    return render(request, "notices/import.html", {"form": form})


@curator_required
def notice_fetch(request: HttpRequest) -> HttpResponse:
    """Fetch notices from Interpol's public API, import and screen them: a job, followed on its page."""
    form = FetchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from shelter.notices.jobs import start_notice_fetch

        filters = {"nationality": form.cleaned_data["nationality"].upper(),
                   "arrestWarrantCountryId": form.cleaned_data["issuing_country"].upper()}
        try:
            job = start_notice_fetch(request.user, filters, form.cleaned_data["max_pages"],  # type: ignore[arg-type]
                                     form.cleaned_data["details"])
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "notices/fetch.html", {"form": form})


@require_POST
@editor_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    form = StatusEventForm(request.POST)
    if form.is_valid():
        try:
            entry.add_status_event(notice, request.user, **form.cleaned_data)  # type: ignore[arg-type]
            flash.success(request, gettext_noop("Status event recorded."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))  # type: ignore[arg-type]
    return redirect(notice.get_absolute_url())


@require_POST
@editor_required
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_visible_or_404(ScreeningMatch.objects.all(), request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        alert_services.decide_match(match, form.cleaned_data["decision"], form.cleaned_data["note"],
                                    request.user)  # type: ignore[arg-type]
        flash.success(request, gettext_noop("Decision recorded."))
    return redirect(match.notice.get_absolute_url())


@require_GET
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    result = assess_notice(notice, request.user)
    questions = translated_questions((translation.get_language() or "en")[:2])
    # Each row's evidence form names its inputs apart (id_RN-01_source), so each picker fills its own.
    rows = [{"result": r, "review": result.reviews.get(r.id), "attached": result.attached.get(r.id, []),
             "question": questions.get(r.id) or r.question,
             "evidence_form": EvidenceForm(user=request.user, auto_id=f"id_{r.id}_%s")} for r in result.results]
    # Each earlier answer and note is shown only when its version was visible to this reader.
    past_answers = visible_versions(IndicatorReview.history.filter(notice_id=notice.pk),
                                    request.user).select_related("history_user")
    return render(request, "notices/assessment.html", {
        "notice": notice, "assessment": result, "rows": rows, "past_answers": past_answers.order_by("-history_date"),
        "review_form": ReviewForm(),
    })


@require_POST
@editor_required
def review(request: HttpRequest, pk: int, indicator_id: str) -> HttpResponse:
    notice = _visible_notice(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review_indicator(notice, indicator_id, form.cleaned_data["answer"], form.cleaned_data["note"],
                             request.user, form.restriction())  # type: ignore[arg-type]
            flash.success(request, gettext_noop("Answer recorded for %(id)s."), id=indicator_id)
        except ValueError as error:
            messages.error(request, str(error))
    else:
        flash.error(request, gettext_noop("An answer and a note are required."))
    return redirect("notices:assessment", pk=notice.pk)


@require_POST
@editor_required
def evidence_add(request: HttpRequest, pk: int, indicator_id: str) -> HttpResponse:
    notice = _visible_notice(request, pk)
    review_record = visible_review(notice, indicator_id, request.user)
    form = EvidenceForm(request.POST, request.FILES, user=request.user)
    if review_record is None:
        flash.error(request, gettext_noop("Answer the indicator first, then attach evidence to your answer."))
    elif not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    else:
        data = form.cleaned_data
        user = request.user
        source, incident = data["source"], data["incident"]  # among the records the user may see
        upload = data["file"]
        try:
            stored = store_evidence(upload.chunks()) if upload else None
            entry.attach_evidence(review_record, user, note=data["note"], source=source, incident=incident,  # type: ignore[arg-type]
                                  stored=stored, file_name=upload.name if upload else "")
            flash.success(request, gettext_noop("Evidence attached."))
        except (ValidationError, EvidenceTooLarge) as error:
            messages.error(request, str(error))
    return redirect("notices:assessment", pk=notice.pk)


@require_GET
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    log_access(request.user, notice, "viewed")
    return render(request, "notices/dossier_page.html", dossier_context(notice, request.user))


def _dossier_download(request: HttpRequest, pk: int, form: str) -> HttpResponseBase:
    """The PDF laid out by a worker the first time; the stored file while the dossier is unchanged for this reader
    (shelter.jobs.documents). Its download is noted in the access log when the file is sent."""
    from shelter.notices.jobs import DOSSIER_PDF, dossier_key_html, dossier_params

    notice = _visible_notice(request, pk)
    language = request.GET.get("lang") or None
    try:
        check_request(form, language)
    except DossierRequestError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    disposition = dossier_disposition(notice, "pdf", form)

    def deliver(response: HttpResponseBase) -> None:
        response["Content-Disposition"] = disposition
        log_access(request.user, notice, "downloaded")

    title = (_("Annex to a request to the CCF: %(notice)s (PDF)") if form == "ccf"
             else _("Dossier of %(notice)s (PDF)")) % {"notice": notice.entity_id or notice.pk}
    return stored_or_job(request, DOSSIER_PDF, dossier_key_html(notice, _reader(request), form, language),
                         dossier_params(notice, form, language), title, deliver)


def _reader(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_GET
def dossier_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The dossier as PDF; ``?lang=ru`` for Russian."""
    return _dossier_download(request, pk, "dossier")


@require_GET
def ccf_annex_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The annex to a request to the CCF as PDF; ``?lang=ru`` for Russian."""
    return _dossier_download(request, pk, "ccf")


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    return render(request, "notices/alerts.html", {
        "alerts": alert_services.alerts_for(request.user, include_acknowledged=show_all),
        "show_all": show_all,
    })


@require_POST
@editor_required
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_visible_or_404(Alert.objects.all(), request.user, pk=pk)
    alert_services.acknowledge(alert, request.user)  # type: ignore[arg-type]
    return redirect("notices:alerts")
