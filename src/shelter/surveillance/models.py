"""Surveillance technology records: vendors, their products, deployments and transfers, licence decisions.

Every record is restricted (confidentiality, publication, case teams), keeps its history and is written only
through ``shelter.access.writes`` (see ``services``). A product is hidden with its vendor, a deployment with its
product; a link to a registry organisation or an incident restricts the row only when set. Citations point to
``incidents.Source`` records, as everywhere else.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.models import Incident, Source
from shelter.registry.models import Organisation
from shelter.stored_words import register
from shelter.surveillance.taxonomy import capability_codes, control_entry
from shelter.validators import validate_country, validate_partial_date


def validate_capabilities(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("expected a list of capability codes"))
    unknown = [v for v in value if v not in capability_codes()]
    if unknown:
        raise ValidationError(_("unknown capability %(code)s; expected one of %(codes)s")
                              % {"code": unknown[0], "codes": ", ".join(capability_codes())})


def validate_control_entries(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("expected a list of control-list entries"))
    for code in value:
        validate_control_entry(code)


def validate_control_entry(code: str) -> None:
    if code and control_entry(code) is None:
        raise ValidationError(_("unknown control-list entry %(code)s (e.g. 4.A.5, 5.A.1.j, 4A005)") % {"code": code})


def validate_names(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("expected a list of names"))

# The reason a surveillance import gives its history entries (said in the reader's language, shelter.stored_words).
IMPORTED = register(gettext_noop("surveillance import"))


class Vendor(RestrictedRecord):
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True, validators=[validate_names])
    brands = models.JSONField(_("brands"), default=list, blank=True, validators=[validate_names])
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country], db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries",
                               verbose_name=_("parent company"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("registry organisation"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("surveillance vendor")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveillance:vendor", args=[self.pk])


class Product(RestrictedRecord):
    VISIBILITY_PATHS = ("", "vendor")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products", verbose_name=_("vendor"))
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True, validators=[validate_names])
    family = models.CharField(_("spyware family"), max_length=100, blank=True, db_index=True,
                              help_text=_("The family name threat reports and triage verdicts use, e.g. Pegasus"))
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True, validators=[validate_capabilities])
    control_entries = models.JSONField(_("control-list entries"), default=list, blank=True,
                                       validators=[validate_control_entries])
    no_control_entry = models.BooleanField(_("stated to carry no control-list entry"), default=False)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("surveillance product")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveillance:product", args=[self.pk])


class DeploymentKind(models.TextChoices):
    CONFIRMED_USE = "confirmed_use", _("confirmed use")
    SUSPECTED_USE = "suspected_use", _("suspected use")
    SALE = "sale", _("sale")
    LICENCE_GRANTED = "licence_granted", _("licence granted")
    LICENCE_DENIED = "licence_denied", _("licence denied")


class Deployment(RestrictedRecord):
    """A product in the hands of a state: a documented use, a sale or a licensed or refused transfer."""

    VISIBILITY_PATHS = ("", "product", "product__vendor", "agency?")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="deployments",
                                verbose_name=_("product"))
    kind = models.CharField(_("kind"), max_length=16, choices=DeploymentKind.choices, db_index=True)
    customer_state = models.CharField(_("customer state"), max_length=2, validators=[validate_country],
                                      db_index=True)
    agency = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("agency (registry organisation)"))
    agency_name = models.CharField(_("agency as reported"), max_length=300, blank=True)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[validate_partial_date],
                            help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    end_date = models.CharField(_("until"), max_length=10, blank=True, validators=[validate_partial_date])
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["customer_state", "-date", "pk"]
        verbose_name = _("deployment or transfer")

    def __str__(self) -> str:
        return f"{self.product} → {self.customer_state}"

    def get_absolute_url(self) -> str:
        return reverse("surveillance:deployment", args=[self.pk])

    @property
    def agency_label(self) -> str:
        return self.agency_name or (self.agency.name if self.agency_id and self.agency else "")


class Decision(models.TextChoices):
    GRANTED = "granted", _("granted")
    DENIED = "denied", _("denied")
    REVOKED = "revoked", _("revoked")
    SUSPENDED = "suspended", _("suspended")


class LicenceDecision(RestrictedRecord):
    VISIBILITY_PATHS = ("", "product?", "product__vendor?", "exporter?", "end_user?")

    exporting_state = models.CharField(_("exporting state"), max_length=2, validators=[validate_country],
                                       db_index=True)
    exporter = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.SET_NULL, related_name="licences",
                                 verbose_name=_("exporter"))
    exporter_name = models.CharField(_("exporter as reported"), max_length=300, blank=True)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="licences",
                                verbose_name=_("product"))
    control_entry = models.CharField(_("control-list entry"), max_length=16, blank=True,
                                     validators=[validate_control_entry])
    destination = models.CharField(_("destination state"), max_length=2, validators=[validate_country],
                                   db_index=True)
    end_user = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("end user (registry organisation)"))
    end_user_name = models.CharField(_("end user as reported"), max_length=300, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, db_index=True)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[validate_partial_date],
                            help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["destination", "-date", "pk"]
        verbose_name = _("licence decision")

    def __str__(self) -> str:
        what = str(self.product) if self.product_id else (self.control_entry or "?")
        return f"{self.exporting_state}: {what} → {self.destination} ({self.decision})"

    def get_absolute_url(self) -> str:
        return reverse("surveillance:licence", args=[self.pk])

    @property
    def exporter_label(self) -> str:
        return self.exporter_name or (self.exporter.name if self.exporter_id and self.exporter else "")

    @property
    def end_user_label(self) -> str:
        return self.end_user_name or (self.end_user.name if self.end_user_id and self.end_user else "")


class SurveillanceCitation(models.Model):
    """A surveillance record's pointer to a source, visible only with both."""

    VISIBILITY_PATHS = ("source", "vendor?", "product?", "product__vendor?", "deployment?", "deployment__product?",
                        "deployment__product__vendor?", "licence?")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="surveillance_citations")
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    deployment = models.ForeignKey(Deployment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="citations")
    licence = models.ForeignKey(LicenceDecision, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="citations")
    locator = models.CharField(_("page, paragraph or quote"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("citation")


class IncidentProduct(models.Model):
    """An incident names the product used, whatever its tactic: a phone infected with Pegasus, a location traced
    with an IMSI catcher before an abduction, a face matched at a border before a detention."""

    VISIBILITY_PATHS = ("incident", "product", "product__vendor")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="surveillance_products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="incident_links")
    note = models.CharField(_("how the product was identified"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = RecordManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("product named in an incident")
        constraints = [models.UniqueConstraint(fields=["incident", "product"], name="incident_product_once")]
