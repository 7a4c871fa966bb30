"""People, their names in every script, organisations and the relationships between them."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.validators import validate_countries, validate_country, validate_partial_date


class Sex(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")
    UNKNOWN = "", _("unknown")


class StatusAbroad(models.TextChoices):
    UNKNOWN = "", _("unknown")
    REFUGEE = "refugee", _("recognised refugee")
    ASYLUM_SEEKER = "asylum_seeker", _("asylum seeker")
    CITIZEN_OF_HOST = "citizen_of_host", _("citizen of host country")
    RESIDENT = "resident", _("lawful resident")
    UNDOCUMENTED = "undocumented", _("undocumented")
    RETURNED = "returned", _("returned to origin state")


class Person(RestrictedRecord):
    # Shown to signed-in users only, even on a published public person: who is at risk tells a hunter where to
    # look first.
    MEMBERS_ONLY_FIELDS = ("at_risk",)

    primary_name = models.CharField(_("primary name"), max_length=300)
    dob = models.CharField(
        _("date of birth"), max_length=10, blank=True, validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True, validators=[validate_countries])
    country_of_residence = models.CharField(
        _("country of residence"), max_length=2, blank=True, validators=[validate_country]
    )
    status_abroad = models.CharField(_("status abroad"), max_length=20, choices=StatusAbroad.choices, blank=True)
    profile = models.JSONField(
        _("profile"), default=list, blank=True,
        help_text=_("Tags such as opposition, journalist, religious_figure, former_insider, relative, activist"),
    )
    at_risk = models.BooleanField(
        _("at risk"), default=False, help_text=_("Alert when this person appears in a new notice or request.")
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["primary_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Exact names are looked up by the publishing guard (shelter.incidents.publishing).
        indexes = [models.Index(fields=["primary_name"], name="person_primary_name")]

    def __str__(self) -> str:
        return self.primary_name

    def get_absolute_url(self) -> str:
        return reverse("registry:person", args=[self.pk])

    def all_names(self) -> list[str]:
        names = [self.primary_name]
        names.extend(n.full_name for n in self.names.all() if n.full_name not in names)
        return names


class NameKind(models.TextChoices):
    PRIMARY = "primary", _("primary")
    ALIAS = "alias", _("alias")
    FORMER = "former", _("former name")
    TRANSLITERATION = "transliteration", _("transliteration")
    NATIVE = "native", _("native script")


class PersonName(models.Model):
    VISIBILITY_PATHS = ("person",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("full name"), max_length=300)
    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    surname = models.CharField(_("surname"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    script = models.CharField(_("script"), max_length=4, blank=True, help_text=_("ISO 15924, e.g. Latn, Cyrl, Arab"))
    language = models.CharField(_("language"), max_length=8, blank=True, help_text=_("ISO 639-1, e.g. ru, uz, tg"))
    kind = models.CharField(_("kind"), max_length=20, choices=NameKind.choices, default=NameKind.ALIAS)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["person", "pk"]
        indexes = [models.Index(fields=["full_name"], name="personname_full_name")]

    def __str__(self) -> str:
        return self.full_name

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        self._derive_script_and_kind()
        super().clean_fields(exclude)

    def save(self, *args: object, **kwargs: object) -> None:
        self._derive_script_and_kind()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def _derive_script_and_kind(self) -> None:
        """The script, and a kind left empty, read from the name (and the person's primary name)."""
        if not self.script:
            self.script = detect_script(self.full_name)
        if not self.kind and self.person_id is not None:
            self.kind = kind_by_script(self.full_name, self.person.primary_name)


def profile_tag_labels() -> dict[str, str]:
    """The profile tags Shelter knows, said in the current language; any other tag is shown as typed."""
    return {str(tag): str(label) for tag, label in (
        ("opposition", _("opposition")), ("journalist", _("journalist")), ("activist", _("activist")),
        ("religious_figure", _("religious figure")), ("former_insider", _("former insider")),
        ("relative", _("relative")), ("blogger", _("blogger")), ("lawyer", _("lawyer")),
        ("human_rights_defender", _("human rights defender")))}


def kind_by_script(full_name: str, primary_name: str) -> str:
    """The kind of a name whose writer left it to Shelter: a name in another script than the Latin alphabet is
    the native form; a Latin name of a person filed under a name in another script is its transliteration;
    any other name an alias."""
    if detect_script(full_name) not in ("Latn", ""):
        return NameKind.NATIVE
    if detect_script(primary_name) not in ("Latn", ""):
        return NameKind.TRANSLITERATION
    return NameKind.ALIAS


def detect_script(text: str) -> str:
    """The ISO 15924 code of the first script found among the letters of ``text``."""
    import unicodedata

    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            for prefix, code in (("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARABIC", "Arab"), ("CJK", "Hani"),
                                 ("GEORGIAN", "Geor"), ("ARMENIAN", "Armn"), ("HEBREW", "Hebr"), ("GREEK", "Grek")):
                if name.startswith(prefix):
                    return code
    return ""


class OrganisationKind(models.TextChoices):
    SECURITY_SERVICE = "security_service", _("security service")
    PROSECUTOR = "prosecutor", _("prosecutor or court")
    POLICE = "police", _("police")
    EMBASSY = "embassy", _("embassy or consulate")
    MINISTRY = "ministry", _("ministry or state body")
    PARTY = "party", _("party or movement")
    RELIGIOUS = "religious", _("religious organisation")
    DIASPORA = "diaspora", _("diaspora association")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("media outlet")
    COMPANY = "company", _("company")
    SURVEILLANCE_VENDOR = "surveillance_vendor", _("surveillance vendor")
    OTHER = "other", _("other")


class Organisation(RestrictedRecord):
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.pk])


class RelationshipKind(models.TextChoices):
    FAMILY = "family", _("family")
    MEMBER_OF = "member_of", _("member of")
    EMPLOYED_BY = "employed_by", _("employed by")
    INFORMANT_FOR = "informant_for", _("informant for")
    ASSOCIATE = "associate", _("associate")
    LEADS = "leads", _("leads")
    SUBSIDIARY = "subsidiary", _("part of")


class Relationship(RestrictedRecord):
    """A typed, dated link from a person or organisation to a person or organisation."""

    VISIBILITY_PATHS = ("", "subject_person?", "subject_organisation?", "object_person?", "object_organisation?")

    kind = models.CharField(_("kind"), max_length=20, choices=RelationshipKind.choices)
    detail = models.CharField(_("detail"), max_length=100, blank=True, help_text=_("e.g. brother, handler"))
    subject_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.CharField(_("from"), max_length=10, blank=True, validators=[validate_partial_date])
    end = models.CharField(_("until"), max_length=10, blank=True, validators=[validate_partial_date])
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(subject_person__isnull=False) ^ models.Q(subject_organisation__isnull=False)),
                name="relationship_one_subject",
            ),
            models.CheckConstraint(
                condition=(models.Q(object_person__isnull=False) ^ models.Q(object_organisation__isnull=False)),
                name="relationship_one_object",
            ),
        ]

    @property
    def subject(self) -> Person | Organisation:
        return self.subject_person or self.subject_organisation  # type: ignore[return-value]

    @property
    def object(self) -> Person | Organisation:
        return self.object_person or self.object_organisation  # type: ignore[return-value]

    def __str__(self) -> str:
        return f"{self.subject} — {self.get_kind_display()} — {self.object}"


class DuplicatePair(models.Model):
    """Two people of the registry who may be one person, as the background comparison of the whole registry found
    them (``registry.jobs``): shown to a curator only when both people are visible to them."""

    VISIBILITY_PATHS = ("first", "second")

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    explanation = models.TextField(_("why"))
    fingerprint = models.CharField(max_length=64, help_text="The registry's state the pair was computed from.")
    computed = models.DateTimeField()

    objects = RecordManager()

    class Meta:
        # by the ids, not "first"/"second" (which would sort by the people's names and defeat the score index)
        ordering = ["-score", "first_id", "second_id"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="registry_one_duplicate_pair")]
        indexes = [models.Index(fields=["-score", "first", "second"], name="duplicatepair_score")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"
