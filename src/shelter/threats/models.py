"""Threat reports: the stored result of triaging a suspicious e-mail or value, linkable to a person and an incident."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shelter.access.models import Confidentiality, RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.models import Incident
from shelter.registry.models import Person


class ReportKind(models.TextChoices):
    EMAIL = "email", _("e-mail message")
    VALUE = "value", _("link, address or hash")


class ThreatReport(RestrictedRecord):
    VISIBILITY_PATHS = ("", "person?", "incident?")

    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    subject = models.CharField(_("subject or value"), max_length=500, blank=True)
    sender = models.CharField(_("sender"), max_length=500, blank=True)
    verdict = models.CharField(_("verdict"), max_length=24, db_index=True)
    score = models.PositiveSmallIntegerField(_("score"))
    # The analysis as plain data (EmailReport.to_dict / Verdict.to_dict); shown as text, never as HTML.
    report = models.JSONField(_("report"))
    message_sha256 = models.CharField(_("message SHA-256"), max_length=64, blank=True, db_index=True)
    message_size = models.PositiveIntegerField(_("message size"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="threat_reports",
                               verbose_name=_("targeted person"))
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="threat_reports")
    history = HistoricalRecords(m2m_fields=["teams"], excluded_fields=["report"])

    objects = RecordManager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("threat report")

    def __str__(self) -> str:
        return self.subject or self.message_sha256[:12]

    def get_absolute_url(self) -> str:
        return reverse("threats:report", args=[self.pk])


DEFAULT_REPORT_CONFIDENTIALITY = Confidentiality.CONFIDENTIAL
