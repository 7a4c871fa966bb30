"""Agreements between a state and its partners (trade, partnership, cooperation), shown beside the state's
conduct in the dashboard and the briefing."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.models import Source
from shelter.validators import validate_country, validate_partial_date


class AgreementKind(models.TextChoices):
    TRADE = "trade", _("trade")
    PARTNERSHIP = "partnership", _("partnership and cooperation")
    INVESTMENT = "investment", _("investment")
    SECURITY = "security", _("security or law-enforcement cooperation")
    MIGRATION = "migration", _("migration or readmission")
    EXTRADITION = "extradition", _("extradition or mutual legal assistance")
    OTHER = "other", _("other")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    NEGOTIATING = "negotiating", _("under negotiation")
    INITIALLED = "initialled", _("initialled")
    SIGNED = "signed", _("signed")
    RATIFICATION = "ratification", _("in ratification")
    IN_FORCE = "in_force", _("in force")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")


# Statuses at which conditioning the agreement on the state's conduct is still possible.
OPEN_STATUSES = (AgreementStatus.PROPOSED, AgreementStatus.NEGOTIATING, AgreementStatus.INITIALLED,
                 AgreementStatus.SIGNED, AgreementStatus.RATIFICATION)


class Agreement(RestrictedRecord):
    state = models.CharField(
        _("state"), max_length=2, validators=[validate_country], db_index=True,
        help_text=_("The state whose conduct the agreement is weighed against (ISO 3166-1 alpha-2)"),
    )
    partner = models.CharField(_("partner"), max_length=200, help_text=_("e.g. European Union, Germany"))
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices, default=AgreementKind.TRADE)
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.NEGOTIATING)
    next_milestone = models.CharField(_("next milestone"), max_length=300, blank=True)
    next_milestone_date = models.CharField(
        _("date of next milestone"), max_length=10, blank=True, validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="agreements", verbose_name=_("sources"))
    history = HistoricalRecords(m2m_fields=["teams", "sources"])

    objects = RecordManager()

    class Meta:
        ordering = ["state", "partner", "name", "pk"]
        verbose_name = _("agreement")

    def __str__(self) -> str:
        return f"{self.partner}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("analytics:state", args=[self.state])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
