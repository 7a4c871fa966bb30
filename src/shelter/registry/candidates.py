"""Candidates: a registry person who resembles someone named outside the registry (the subject of a notice, an
entry of a watchlist), the decision taken on the resemblance, and the alert raised when the person is at risk.

The apps that screen (``notices``, ``watchlists``) give their candidate and alert models these fields and this
behaviour, and add the record the person resembles and the visibility paths through it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from shelter.access.visibility import Viewer, visible_to
from shelter.names.index import DATE_AGREEMENT_WORDS
from shelter.stored_words import register


class MatchDecision(models.TextChoices):
    PENDING = "pending", _("to review")
    CONFIRMED = "confirmed", _("confirmed: same person")
    REJECTED = "rejected", _("rejected: different person")


def _decision(code: str) -> str:
    return str(MatchDecision(code).label) if code in MatchDecision.values else code


# The reason a candidate's history gives for a person's decision (said in the reader's language).
DECIDED = register(gettext_noop("decision: %(decision)s"), decision=_decision)


def mark_date_agreement(apps: Any, schema_editor: Any, app_label: str, model_name: str) -> None:
    """For a migration: set ``date_agrees`` on candidates stored before the field, from their explanation."""
    model = apps.get_model(app_label, model_name)
    agreeing = [
        pk
        for pk, text in model.objects.filter(explanation__contains=" agrees").values_list("pk", "explanation")
        if DATE_AGREEMENT_WORDS & set(text.split("; "))
    ]
    for start in range(0, len(agreeing), 1000):
        model.objects.filter(pk__in=agreeing[start:start + 1000]).update(date_agrees=True)


class Candidate(models.Model):
    """How much a registry person resembles the screened record, why, and what a person decided about it."""

    score = models.FloatField(_("score"))
    # Candidates whose date of birth agrees come first, as the screening ranks them (names.ScreeningIndex.search).
    date_agrees = models.BooleanField(_("date of birth agrees"), default=False, db_default=False)
    explanation = models.TextField(_("why"))
    decision = models.CharField(_("decision"), max_length=10, choices=MatchDecision.choices,
                                default=MatchDecision.PENDING, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-date_agrees", "-score", "pk"]


class CandidateAlert(models.Model):
    """Raised for a candidate who is a person at risk, until someone acknowledges it."""

    created = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-pk"]

    @classmethod
    def visible(cls, viewer: Viewer, include_acknowledged: bool = False) -> models.QuerySet[Any]:
        """The alerts ``viewer`` may see, the open ones only unless ``include_acknowledged``."""
        queryset = visible_to(cls._default_manager.all(), viewer)
        if not include_acknowledged:
            queryset = queryset.filter(acknowledged_at__isnull=True)
        return queryset
