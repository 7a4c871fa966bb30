"""Incidents ("who did what to whom"), their targets and perpetrators, sources and citations."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.validators import validate_tactic
from shelter.partial_dates import parse_partial_date
from shelter.registry.models import Organisation, Person, Relationship
from shelter.stored_words import register
from shelter.validators import validate_country, validate_partial_date

# The reason a source's history gives when its file is archived (said in the reader's language).
FILE_ARCHIVED = register(gettext_noop("archived file"))


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("unverified")
    PARTIAL = "partially_verified", _("partially verified")
    VERIFIED = "verified", _("verified")
    DISPUTED = "disputed", _("disputed")


class Outcome(models.TextChoices):
    UNKNOWN = "unknown", _("unknown")
    ONGOING = "ongoing", _("ongoing")
    DETAINED = "detained", _("detained")
    SENTENCED = "sentenced", _("sentenced")
    TORTURED = "tortured", _("tortured")
    DISAPPEARED = "disappeared", _("disappeared")
    KILLED = "killed", _("killed")
    INJURED = "injured", _("injured")
    RETURNED = "returned", _("returned to origin state")
    RELEASED = "released", _("released")
    PREVENTED = "prevented", _("prevented or refused")
    NO_HARM = "no_harm", _("no physical harm")


class Incident(RestrictedRecord):
    title = models.CharField(_("title"), max_length=300)
    tactic = models.CharField(_("tactic"), max_length=40, validators=[validate_tactic], db_index=True)
    date = models.CharField(
        _("date"), max_length=10, validators=[validate_partial_date], help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    end_date = models.CharField(_("end date"), max_length=10, blank=True, validators=[validate_partial_date])
    # Derived from `date` on save, for sorting and year facets.
    date_from = models.DateField(editable=False, null=True, db_index=True)
    year = models.PositiveSmallIntegerField(editable=False, null=True, db_index=True)
    origin_state = models.CharField(
        _("origin state"), max_length=2, validators=[validate_country], db_index=True,
        help_text=_("The state that reached across the border (ISO 3166-1 alpha-2)"),
    )
    host_country = models.CharField(
        _("host country"), max_length=2, blank=True, validators=[validate_country], db_index=True
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.UNKNOWN)
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED,
        db_index=True,
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["-date_from", "-pk"]
        verbose_name = _("incident")
        # The dashboard's "recently recorded" reads the newest visible incidents along this index.
        indexes = [models.Index(fields=["created", "id"], name="incident_created")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.set_derived_dates()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def set_derived_dates(self) -> None:
        parsed = parse_partial_date(self.date)
        self.date_from = parsed.first_day
        self.year = parsed.year

    @property
    def tactic_obj(self):  # type: ignore[no-untyped-def]
        from shelter.incidents.taxonomy import taxonomy

        return taxonomy().get(self.tactic)


class TargetRole(models.TextChoices):
    TARGET = "target", _("target")
    RELATIVE = "relative", _("relative of target")
    ASSOCIATE = "associate", _("associate of target")


class IncidentTarget(models.Model):
    VISIBILITY_PATHS = ("incident", "person")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="targeted_in")
    role = models.CharField(_("role"), max_length=12, choices=TargetRole.choices, default=TargetRole.TARGET)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="target_once_per_incident")]


class PerpetratorDegree(models.TextChoices):
    DIRECT = "direct", _("direct")
    SUSPECTED = "suspected", _("suspected")
    PROXY = "proxy", _("proxy")


class IncidentPerpetrator(models.Model):
    VISIBILITY_PATHS = ("incident", "person?", "organisation?")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="perpetrators")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="perpetrated")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="perpetrated"
    )
    degree = models.CharField(_("degree"), max_length=12, choices=PerpetratorDegree.choices,
                              default=PerpetratorDegree.SUSPECTED)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) ^ models.Q(organisation__isnull=False)),
                name="perpetrator_person_or_organisation",
            )
        ]

    @property
    def actor(self) -> Person | Organisation:
        return self.person or self.organisation  # type: ignore[return-value]


class SourceKind(models.TextChoices):
    URL = "url", _("web page")
    DOCUMENT = "document", _("document")
    COURT_RECORD = "court_record", _("court record")
    REPORT = "report", _("NGO or UN report")
    MEDIA = "media", _("news report")
    TESTIMONY = "testimony", _("testimony")
    OTHER = "other", _("other")


class Reliability(models.TextChoices):
    UNKNOWN = "unknown", _("unknown")
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Source(RestrictedRecord):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.URL)
    # Stored as text and shown as text: Shelter never fetches it on its own.
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.CharField(_("publication date"), max_length=10, blank=True,
                                    validators=[validate_partial_date])
    reliability = models.CharField(_("reliability"), max_length=8, choices=Reliability.choices,
                                   default=Reliability.UNKNOWN)
    notes = models.TextField(_("notes"), blank=True)
    file_sha256 = models.CharField(_("archived file SHA-256"), max_length=64, blank=True, db_index=True)
    file_name = models.CharField(_("archived file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("archived file size"), null=True, blank=True)
    file_type = models.CharField(_("archived file type"), max_length=100, blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:source", args=[self.pk])


class Citation(models.Model):
    """An assertion's pointer to a source: on an incident, a person, an organisation or a relationship."""

    VISIBILITY_PATHS = ("source", "incident?", "person?", "organisation?", "relationship?")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="citations")
    relationship = models.ForeignKey(Relationship, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="citations")
    locator = models.CharField(_("page, paragraph or quote"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]
