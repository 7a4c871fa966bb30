"""Notices and requests (Interpol Red Notices, diffusions, extradition requests, deportation orders),
their charges and status history, screening matches against the registry, alerts, and assessments."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.models import Incident, Source
from shelter.notices.intake import event_words  # noqa: F401  (registers the timeline's forms)
from shelter.notices.intake.formats.records import entity_id_problem
from shelter.registry.candidates import Candidate, CandidateAlert
from shelter.registry.models import Person
from shelter.stored_words import said
from shelter.validators import validate_countries, validate_country, validate_partial_date


class NoticeKind(models.TextChoices):
    RED_NOTICE = "red_notice", _("Interpol Red Notice")
    DIFFUSION = "diffusion", _("Interpol diffusion")
    EXTRADITION = "extradition", _("extradition request")
    DEPORTATION = "deportation", _("deportation order")


class NoticeOrigin(models.TextChoices):
    INTERPOL_API = "interpol_api", _("Interpol public API (detail record)")
    INTERPOL_LIST = "interpol_list", _("Interpol public list")
    FTM = "ftm", _("FollowTheMoney entity")
    MANUAL = "manual", _("manual entry")


class NoticeStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn or deleted")


def validate_entity_id(value: str) -> None:
    problem = entity_id_problem(value)
    if problem:
        raise ValidationError(problem)


class Notice(RestrictedRecord):
    # Not unique: a notice recorded by a case team is invisible to others, who record the same notice beside it
    # (an entity id must not confirm that a hidden notice exists). Entry keeps it unique among the notices the
    # writer may see; an import updates every notice with that id that the importer may see.
    entity_id = models.CharField(
        _("entity id"), max_length=64, db_index=True, validators=[validate_entity_id],
        help_text=_("Interpol's id (e.g. 2022/46614) or a reference of your own for diffusions and requests"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices, default=NoticeKind.RED_NOTICE,
                            db_index=True)
    origin = models.CharField(_("origin"), max_length=16, choices=NoticeOrigin.choices, default=NoticeOrigin.MANUAL)
    forename = models.CharField(_("forename"), max_length=200, blank=True)
    surname = models.CharField(_("surname"), max_length=200, blank=True)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    dob = models.CharField(_("date of birth"), max_length=10, blank=True, validators=[validate_partial_date],
                           help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=[("m", _("male")), ("f", _("female"))])
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True, validators=[validate_countries])
    country_of_birth = models.CharField(_("country of birth"), max_length=2, blank=True,
                                        validators=[validate_country])
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    issuing_state = models.CharField(_("issuing or requesting state"), max_length=2, blank=True,
                                     validators=[validate_country], db_index=True)
    issued = models.CharField(_("date issued"), max_length=10, blank=True, validators=[validate_partial_date])
    distinguishing_marks = models.TextField(_("distinguishing marks"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    # Shown as text, never fetched by the platform.
    url = models.CharField(_("public URL"), max_length=500, blank=True)
    has_details = models.BooleanField(_("detail record imported"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=NoticeStatus.choices,
                              default=NoticeStatus.ACTIVE, db_index=True)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    description = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("notice")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.full_name}".strip()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.surname) if part)

    def all_names(self) -> list[str]:
        names = [self.full_name] if self.full_name else []
        names.extend(name for name in self.other_names if name and name not in names)
        return names

    def get_absolute_url(self) -> str:
        return reverse("notices:notice", args=[self.pk])


def notice_search_text(notice: Notice) -> list[str]:
    """What full-text search finds a notice by: the subject's names, the entity id, the issuing state (code and
    name), the charges with their translations, and the notes. Plain fields only, so that a migration's
    historical model can be indexed the same way."""
    from shelter.countries import country_name

    state = notice.issuing_state
    names = " ".join(part for part in (notice.forename, notice.surname) if part)
    return [
        # The id also in words: PostgreSQL's parser keeps "2019/34876" as one token, SQLite's splits it.
        names, *notice.other_names, notice.entity_id, " ".join(re.findall(r"\w+", notice.entity_id)),
        f"{state} {country_name(state)}" if state else "",
        *(f"{charge.text} {charge.translation}" for charge in notice.charges.all()),
        notice.description,
    ]


def search_notices(queryset: models.QuerySet[Notice], query: str) -> models.QuerySet[Notice]:
    """Notices of ``queryset`` found by full-text search (names in any script, charges, issuing state, notes) or
    whose entity id contains ``query`` (ids are typed with their slash, e.g. 2019/34876)."""
    from shelter.search.index import matching_ids

    query = query.strip()
    words = matching_ids("notice", query)
    if words is None:
        return queryset if not query else queryset.filter(entity_id__icontains=query)
    return queryset.filter(models.Q(pk__in=words) | models.Q(entity_id__icontains=query))


class Charge(models.Model):
    VISIBILITY_PATHS = ("notice",)

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="charges")
    text = models.TextField(_("charge (original text)"))
    translation = models.TextField(_("translation"), blank=True)
    issuing_state = models.CharField(_("issuing state"), max_length=2, blank=True, validators=[validate_country])
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]


class StatusEventKind(models.TextChoices):
    PUBLISHED = "published", _("published")
    MODIFIED = "modified", _("modified")
    WITHDRAWN = "withdrawn", _("withdrawn or deleted")
    REPUBLISHED = "republished", _("published again")
    REFUSED_BY_COURT = "refused_by_court", _("refused by a court")
    REFUSED_BY_GOVERNMENT = "refused_by_government", _("refused by a government")
    CCF_DELETION = "ccf_deletion", _("deleted after a CCF decision")
    GRANTED = "granted", _("granted")
    EXECUTED = "executed", _("executed")


# Event kinds that record another state declining to act on the notice or request (indicator RN-04 / NR-*).
REFUSAL_KINDS = (StatusEventKind.REFUSED_BY_COURT, StatusEventKind.REFUSED_BY_GOVERNMENT,
                 StatusEventKind.CCF_DELETION)


class NoticeStatusEvent(models.Model):
    VISIBILITY_PATHS = ("notice",)

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=StatusEventKind.choices)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[validate_partial_date])
    state = models.CharField(_("state"), max_length=2, blank=True, validators=[validate_country],
                             help_text=_("The state whose court or government decided"))
    detail = models.TextField(_("detail"), blank=True)
    reference = models.CharField(_("reference"), max_length=500, blank=True,
                                 help_text=_("Judgment number, decision or source (text, never fetched)"))
    recorded = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["recorded", "pk"]

    @property
    def detail_said(self) -> str:
        """The detail in the active language when Shelter wrote it (an import, a change), else as typed."""
        return said(self.detail)


class ScreeningMatch(Candidate):
    """A candidate: a registry person whose names, birth date and nationality resemble a notice's subject."""

    VISIBILITY_PATHS = ("notice", "person")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notice_matches")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta(Candidate.Meta):
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="match_once_per_notice_person")]


class Alert(CandidateAlert):
    """Raised when a person marked at risk appears as a candidate in a new or changed notice."""

    VISIBILITY_PATHS = ("match__notice", "match__person")

    match = models.OneToOneField(ScreeningMatch, on_delete=models.CASCADE, related_name="alert")

    objects = RecordManager()


class Answer(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    UNKNOWN = "unknown", _("unknown")


class IndicatorReview(RestrictedRecord):
    """A person's answer to one indicator of one notice, overriding the automatic answer, with a note.

    A lawyer's note is a record of its own: it has its own confidentiality and case teams (internal unless the
    reviewer chooses otherwise, never public by default) and is shown only to those who may see both it and
    the notice. An indicator may hold several reviews at different levels; a reader is given the latest one
    they may see."""

    VISIBILITY_PATHS = ("", "notice")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reviews")
    indicator_id = models.CharField(_("indicator"), max_length=16)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    note = models.TextField(_("note"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["indicator_id", "-modified", "-pk"]
        verbose_name = _("indicator review")


class ReviewEvidence(models.Model):
    """Evidence attached to a review: a source, an incident, or an archived file, with a note.

    Visible only to users who may see the review, the notice and every record it points at."""

    VISIBILITY_PATHS = ("review", "review__notice", "source?", "incident?")

    review = models.ForeignKey(IndicatorReview, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    file_sha256 = models.CharField(_("archived file SHA-256"), max_length=64, blank=True)
    file_name = models.CharField(_("archived file name"), max_length=255, blank=True)
    file_type = models.CharField(_("archived file type"), max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]


class NoticeDocument(models.Model):
    """A document of the case: the diffusion text, the extradition request, a court decision. The file is
    stored content-addressed under SHELTER_HOME/evidence and never opened by the platform."""

    VISIBILITY_PATHS = ("notice",)

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[validate_partial_date])
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"))
    file_type = models.CharField(_("type"), max_length=100)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["date", "pk"]
