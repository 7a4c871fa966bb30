"""Deadlines before a return (hearings, appeals, interim measures) and monitoring after it (plans, check-ins).

Every record is restricted (confidential by default), keeps its history and is deleted softly through
``shelter.access.writes``; check-ins and deadlines are also hidden with the plan, person or notice they belong to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from shelter.access.models import Confidentiality, RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.incidents.models import Incident
from shelter.notices.models import Notice, NoticeKind
from shelter.registry.models import Person
from shelter.stored_words import register
from shelter.validators import validate_country

RETURN_NOTICE_KINDS = (NoticeKind.EXTRADITION, NoticeKind.DEPORTATION)


def _confidential() -> models.CharField:
    return models.CharField(_("confidentiality"), max_length=16, choices=Confidentiality.choices,
                            default=Confidentiality.CONFIDENTIAL, db_index=True)

# The reason a check-in's history gives when it records an incident (said in the reader's language).
INCIDENT_RECORDED = register(gettext_noop("incident recorded"))


class DeadlineKind(models.TextChoices):
    HEARING = "hearing", _("hearing")
    APPEAL = "appeal", _("appeal deadline")
    INTERIM_MEASURE = "interim_measure", _("interim measure")
    DECISION = "decision", _("decision expected")
    REMOVAL = "removal", _("scheduled removal")


class Body(models.TextChoices):
    NONE = "", _("national authority or court")
    ECTHR_RULE_39 = "ecthr_rule39", _("ECtHR Rule 39")
    UN_CAT = "un_cat", _("UN Committee against Torture")
    UN_HRC = "un_hrc", _("UN Human Rights Committee")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    COMPLIED = "complied", _("interim measure complied with")
    IGNORED = "ignored", _("interim measure ignored")
    WITHDRAWN = "withdrawn", _("withdrawn or moot")


class Deadline(RestrictedRecord):
    VISIBILITY_PATHS = ("", "notice?", "person?")

    confidentiality = _confidential()
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines",
                               verbose_name=_("extradition or deportation request"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineKind.choices)
    body = models.CharField(_("body"), max_length=16, choices=Body.choices, blank=True, default="")
    due = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    host_country = models.CharField(_("host country"), max_length=2, blank=True, validators=[validate_country])
    status = models.CharField(_("status"), max_length=12, choices=DeadlineStatus.choices,
                              default=DeadlineStatus.OPEN, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("responsible"))
    reminded = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("deadline")

    def __str__(self) -> str:
        return f"{self.due} {self.title}"


class MonitoringPlan(RestrictedRecord):
    VISIBILITY_PATHS = ("", "person")

    confidentiality = _confidential()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="monitoring_plans",
                               verbose_name=_("returned person"))
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("extradition or deportation request"))
    host_country = models.CharField(_("host country (sent from)"), max_length=2, validators=[validate_country],
                                    db_index=True)
    destination = models.CharField(_("destination state"), max_length=2, validators=[validate_country],
                                   db_index=True)
    return_date = models.DateField(_("return date"), db_index=True)
    route = models.CharField(_("route"), max_length=500, blank=True)
    place = models.CharField(_("destination place"), max_length=200, blank=True)
    contacts = models.TextField(_("contacts and channels"), blank=True,
                                help_text=_("Relatives, lawyers, NGOs to reach and how (plain text)"))
    interval_days = models.PositiveSmallIntegerField(_("check-in every (days)"), default=7)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("responsible"))
    active = models.BooleanField(_("monitoring active"), default=True)
    reminded = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["-return_date", "pk"]
        verbose_name = _("monitoring plan")

    def __str__(self) -> str:
        return f"{self.host_country}→{self.destination} {self.return_date}"


class CheckInStatus(models.TextChoices):
    SAFE = "safe", _("safe")
    NO_CONTACT = "no_contact", _("no contact")
    DETAINED = "detained", _("detained")
    CHARGED = "charged", _("charged")
    CONVICTED = "convicted", _("convicted")
    TORTURED = "tortured", _("tortured or ill-treated")
    DISAPPEARED = "disappeared", _("disappeared")
    DIED = "died", _("died")
    LEFT_AGAIN = "left_again", _("left again")


class CheckIn(RestrictedRecord):
    VISIBILITY_PATHS = ("", "plan", "plan__person")

    confidentiality = _confidential()
    plan = models.ForeignKey(MonitoringPlan, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField(_("date"), db_index=True)
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CheckInStatus.choices)
    sources = models.TextField(_("sources"), blank=True, help_text=_("Who reported it and how (plain text)"))
    notes = models.TextField(_("notes"), blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("check-in")

    def __str__(self) -> str:
        return f"{self.date} {self.status}"
