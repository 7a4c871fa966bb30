"""The notices' background jobs (see shelter.jobs): large imports through the web and the API; the screening
that follows an import (of notices, or of people into the registry) when it is too large to wait for; fetches
from Interpol's public API (asked for, or daily when the operator switched it on); and the rebuild of the
registry's names index; and dossiers and CCF annexes laid out as PDF the first time they are asked for through the
web or the API (see shelter.jobs.documents)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from shelter.access.models import Team, User
from shelter.access.visibility import visible_to
from shelter.access.writes import require_curator
from shelter.archives import ArchiveRefused, check_archive
from shelter.flash import Sentence
from shelter.jobs import documents
from shelter.jobs.models import Job
from shelter.jobs.schedule import DAILY, scheduled
from shelter.jobs.services import Progress, job_viewer, runner, start
from shelter.notices.assessment.dossier import render_dossier_html, render_dossier_pdf
from shelter.notices.intake import connector
from shelter.notices.intake.connector import PoliteClient
from shelter.notices.intake.formats import (
    UPLOAD_SUFFIXES,
    NoticeFormatError,
    ParsedFile,
    read_notice_path,
    read_notice_upload,
)
from shelter.notices.intake.importing import import_notices
from shelter.notices.models import Alert, Notice, ScreeningMatch
from shelter.notices.screening.notices import ScreeningReport, registry_index, screen_notices
from shelter.notices.screening.people import screen_people
from shelter.registry.models import Person

NOTICE_IMPORT = "notices.import"
NOTICE_SCREENING = "notices.screen"
PEOPLE_SCREENING = "notices.screen_people"
NOTICE_FETCH = "notices.fetch"
REGISTRY_INDEX = "notices.registry_index"
READING = gettext_noop("reading the file")
IMPORTING = gettext_noop("importing notices")
FETCHING = gettext_noop("fetching notices")
SCREENING_NOTICES = gettext_noop("screening notices")
SCREENING_PEOPLE = gettext_noop("screening people")
BUILDING_INDEX = gettext_noop("building the names index of the registry")
DOSSIER_PDF = "notices.dossier_pdf"
GATHERING = gettext_noop("gathering the dossier")
LAYING_OUT = gettext_noop("laying out the PDF")
LAID_OUT = gettext_noop("laid out")
# A dossier's key is the digest of its HTML as generated at this fixed moment, so that the same facts for the same
# reader have the same key whenever they are asked for (the file says when it was laid out).
DOSSIER_KEY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
SCREEN_BATCH = 500
# The filters of the public API a fetch may be asked for.
FETCH_FILTERS = ("nationality", "arrestWarrantCountryId", "name", "forename")


def background_import_bytes() -> int:
    """Uploads larger than this are imported by a worker; smaller ones within the request."""
    return int(getattr(settings, "SHELTER_BACKGROUND_IMPORT_BYTES", 256 * 1024))


def screened_in_request() -> int:
    """At most this many notices or people are screened within a request; more are screened by a worker."""
    return int(getattr(settings, "SHELTER_SCREEN_IN_REQUEST", 200))


def screen_after_import(user: User | None, notice_ids: list[int]) -> Sentence:
    """Screen the notices an import changed: within the request when they are few, else as a job. Returns what
    the user may learn of it (the screening's summary for them, or the job that will screen), said in the
    language of the page or answer that shows it."""
    if len(notice_ids) <= screened_in_request():
        return screen_notices(notice_ids).sentence_for(user, notice_ids)
    job = start(NOTICE_SCREENING, user, {"notices": notice_ids})
    return Sentence(gettext_noop("%(count)s notices are being screened by a worker (job %(job)s)"),
                    count=len(notice_ids), job=str(job.pk))


def start_people_screening(user: User | None, person_ids: list[int]) -> Job:
    return start(PEOPLE_SCREENING, user, {"people": sorted(set(person_ids))})


def start_notice_import(user: User | None, data: bytes, suffix: str, *, full_list: bool = False,
                        confidentiality: str = "public", published: bool = True, teams: Sequence[Team] = (),
                        name: str = "") -> Job:
    """Queue the import of an uploaded file. Raises NoticeFormatError for a file no format reads by its name or
    one above the upload limit, before anything is queued."""
    suffix = suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise NoticeFormatError(f"expected a {', '.join(UPLOAD_SUFFIXES)} file, not '{suffix or 'no suffix'}'")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise NoticeFormatError(f"the file is larger than the {settings.MAX_UPLOAD_BYTES // 2**20} MiB limit "
                                "(SHELTER_MAX_UPLOAD_MB)")
    if suffix == ".xlsx":
        # A workbook that would unpack beyond the limits is refused now, as in the request, not by the worker.
        try:
            check_archive(io.BytesIO(data))
        except ArchiveRefused as error:
            raise NoticeFormatError(f"the workbook is {error}") from None
    return start(NOTICE_IMPORT, user, {"suffix": suffix, "full_list": full_list, "confidentiality": confidentiality,
                                       "published": published, "teams": [team.pk for team in teams],
                                       "name": name[:200]}, payload=data)


@runner(NOTICE_IMPORT, label=gettext_lazy("notice import"), stages=(READING, IMPORTING, SCREENING_NOTICES))
def import_notices_job(job: Job, progress: Progress) -> str:
    """Read the uploaded file, import it, then screen what changed."""
    return _import_then_screen(job, progress, lambda: read_notice_upload(iter([bytes(job.payload)]),
                                                                         job.params["suffix"]))


def _import_then_screen(job: Job, progress: Progress, read: Callable[[], ParsedFile]) -> str:
    """Import what ``read`` gives in one transaction (with its checkpoint), then screen what changed in batches.
    A retry after the import committed screens again without importing twice."""
    if "to_screen" not in job.checkpoint:
        progress.update(READING, 0, 0)
        try:
            parsed = read()
        except NoticeFormatError as error:
            raise ValueError(str(error)) from None
        progress.update(IMPORTING, 0, len(parsed.notices))
        with transaction.atomic():
            report = import_notices(parsed.notices, full_list=job.params.get("full_list", False),
                                    confidentiality=job.params.get("confidentiality", "public"),
                                    published=job.params.get("published", True),
                                    teams=list(Team.objects.filter(pk__in=job.params.get("teams", []))),
                                    user=job.asker)
            progress.checkpoint(import_summary=report.summary(), to_screen=report.to_screen,
                                skipped=parsed.skipped, format=parsed.format, notes=len(parsed.notes))
            # A cancellation asked for during the import rolls it back whole.
            progress.check_cancelled()
    to_screen: list[int] = job.checkpoint["to_screen"]
    _screen_in_batches(to_screen, progress, SCREENING_NOTICES, screen_notices)
    screened = ScreeningReport(screened=len(to_screen))
    skipped = job.checkpoint.get("skipped", 0)
    notes = job.checkpoint.get("notes", 0)
    return (f"{job.checkpoint['format']}: {job.checkpoint['import_summary']}"
            f"{f', {skipped} records skipped' if skipped else ''}"
            f"{f', {notes} value(s) naming no country left out' if notes else ''}. "
            f"{screened.summary_for(job_viewer(job), to_screen)}")


def fetch_delay() -> float:
    """Seconds between requests to Interpol's public API (a public service: be polite)."""
    return float(getattr(settings, "SHELTER_NOTICE_FETCH_DELAY", 1.5))


def start_notice_fetch(user: User | None, filters: dict[str, str], max_pages: int | None = None,
                       with_details: bool = True) -> Job:
    """Queue a fetch of notices from Interpol's public API, then their import and screening. Only when someone
    asks (or the operator switched the daily fetch on): it is the one use of the network."""
    if user is not None:
        require_curator(user)
    for field in ("nationality", "arrestWarrantCountryId"):
        code = filters.get(field, "")
        if code and (len(code) != 2 or not code.isalpha()):
            raise ValueError(f"{field} '{code}' is not a two-letter country code")
    wanted = {key: value for key, value in filters.items() if value and key in FETCH_FILTERS}
    return start(NOTICE_FETCH, user, {"filters": wanted, "max_pages": max_pages, "with_details": with_details})


@scheduled("notices.fetch_daily", DAILY,
           enabled=lambda: bool(getattr(settings, "SHELTER_SCHEDULE_NOTICE_FETCH", False)))
def start_daily_notice_fetch(slot: datetime) -> Job:
    """Off unless the operator sets ``SHELTER_SCHEDULE_NOTICE_FETCH=1``: it uses the network. Fetches the
    notices of the nationality ``SHELTER_NOTICE_FETCH_NATIONALITY`` names (all of them when empty)."""
    nationality = str(getattr(settings, "SHELTER_NOTICE_FETCH_NATIONALITY", "")).upper()
    return start_notice_fetch(None, {"nationality": nationality})


def fetch_directory(job: Job) -> Path:
    """Where a fetch job saves what it downloads: its own directory, so that the job, run again after its worker
    was lost, resumes where it stopped."""
    return Path(settings.SHELTER_HOME) / "notices" / "fetched" / str(job.pk)


@runner(NOTICE_FETCH, label=gettext_lazy("fetch of notices from Interpol"),
        stages=(FETCHING, READING, IMPORTING, SCREENING_NOTICES))
def fetch_notices_job(job: Job, progress: Progress) -> str:
    """Download the notices asked for (politely, resumable), import them, screen them; the downloaded files are
    removed once imported."""
    directory = fetch_directory(job)
    if "fetch_summary" not in job.checkpoint:
        saved = 0

        def on_saved(message: str) -> None:
            nonlocal saved
            saved += 1
            progress.update(FETCHING, saved)  # each page or notice saved

        progress.update(FETCHING, 0, 0)
        client = PoliteClient(get=connector.http_get, delay=fetch_delay())
        try:
            fetched = connector.fetch_notices(directory, client, job.params["filters"], job.params["max_pages"],
                                              job.params["with_details"], progress=on_saved)
        except connector.FetchError as error:
            shutil.rmtree(directory, ignore_errors=True)
            raise ValueError(f"{error} (nothing was imported; ask again later)") from None
        progress.checkpoint(fetch_summary=fetched.summary())
    summary = _import_then_screen(job, progress, lambda: read_notice_path(directory))
    shutil.rmtree(directory, ignore_errors=True)
    return f"fetched {job.checkpoint['fetch_summary']}. {summary}"


def _screen_in_batches(ids: list[int], progress: Progress, stage: str,
                       screen: Callable[[list[int]], ScreeningReport]) -> None:
    """Screen ``ids`` in batches, each committed with its checkpoint: a retry resumes after the last batch."""
    start_at = int(progress.job.checkpoint.get("screened", 0))
    progress.update(stage, start_at, len(ids))
    while start_at < len(ids):
        end = min(start_at + SCREEN_BATCH, len(ids))
        with transaction.atomic():
            screen(ids[start_at:end])
            progress.checkpoint(screened=end)
        start_at = end
        progress.update(stage, end)


@runner(NOTICE_SCREENING, label=gettext_lazy("screening of notices"), stages=(SCREENING_NOTICES,))
def screen_notices_job(job: Job, progress: Progress) -> str:
    """Screen the notices of an import against the registry; the asker learns only what they may see."""
    notice_ids: list[int] = job.params["notices"]
    _screen_in_batches(notice_ids, progress, SCREENING_NOTICES, screen_notices)
    return ScreeningReport(screened=len(notice_ids)).summary_for(job_viewer(job), notice_ids)


@runner(PEOPLE_SCREENING, label=gettext_lazy("screening of people"), stages=(SCREENING_PEOPLE,))
def screen_people_job(job: Job, progress: Progress) -> str:
    """Screen people added or changed in the registry (e.g. by an import) against the notices."""
    # People saved in a transaction that rolled back, or deleted since, are left out.
    person_ids = list(Person.objects.filter(pk__in=job.params["people"]).order_by("pk").values_list("pk", flat=True))
    _screen_in_batches(person_ids, progress, SCREENING_PEOPLE, screen_people)
    viewer = job_viewer(job)
    matches = visible_to(ScreeningMatch.objects.filter(person_id__in=person_ids), viewer)
    alerts = visible_to(Alert.objects.filter(match__person_id__in=person_ids), viewer)
    return (f"{len(person_ids)} people screened: {matches.count()} candidates you can see, "
            f"{alerts.count()} alerts for people at risk")


def start_registry_index_rebuild(user: User | None) -> Job:
    """Queue a rebuild of the registry's names index that notices are screened against (``user`` None: the
    operator). It is rebuilt on the machine of the worker that runs the job."""
    if user is not None and not user.is_shelter_admin:
        raise PermissionDenied("only an administrator may rebuild the names index")
    return start(REGISTRY_INDEX, user)


@runner(REGISTRY_INDEX, label=gettext_lazy("rebuild of the names index of the registry"), stages=(BUILDING_INDEX,))
def rebuild_registry_index_job(job: Job, progress: Progress) -> str:
    progress.update(BUILDING_INDEX, 0, 0)
    index = registry_index(rebuild=True)
    return f"names index rebuilt: {len(index)} people"


def dossier_key_html(notice: Notice, viewer: User | None, form: str, language: str | None) -> str:
    """The HTML a dossier's key is the digest of: what ``viewer`` may see of it, in ``form`` and ``language``."""
    return render_dossier_html(notice, viewer, form=form, language=language, generated=DOSSIER_KEY_MOMENT)


def dossier_params(notice: Notice, form: str, language: str | None) -> dict[str, object]:
    """What a dossier job is asked for; its file is named by the notice's id (the page that sends it names it by
    the notice's entity id)."""
    name = f"{'ccf-annex' if form == 'ccf' else 'dossier'}-{notice.pk}.pdf"
    return {"notice": notice.pk, "form": form, "dossier_language": language, "name": name}


@runner(DOSSIER_PDF, label=gettext_lazy("dossier as PDF"), stages=(GATHERING, LAYING_OUT, LAID_OUT))
def dossier_pdf_job(job: Job, progress: Progress) -> str:
    """Lay out a notice's dossier (or CCF annex) with what its asker may see when the job runs (a job without an
    asker: what anyone may see); a notice they may no longer see fails the job."""
    viewer = job.asker
    notice = visible_to(Notice.objects.all(), viewer).filter(pk=job.params["notice"]).first()
    if notice is None:
        raise PermissionDenied("the notice is not visible to whoever asked for its dossier (or was removed)")
    form, language = str(job.params["form"]), job.params.get("dossier_language")
    progress.update(GATHERING, 0, 2)
    key_html = dossier_key_html(notice, viewer, form, language)
    progress.update(LAYING_OUT, 1, 2)
    pdf = render_dossier_pdf(notice, viewer, form=form, language=language)
    documents.keep(progress, key_html, str(job.params["name"]), "application/pdf", pdf)
    progress.update(LAID_OUT, 2, 2)
    return gettext("Dossier of %(notice)s laid out as PDF (%(size)s KB).") % {
        "notice": notice.entity_id or notice.pk, "size": f"{len(pdf) // 1024:,}"}
