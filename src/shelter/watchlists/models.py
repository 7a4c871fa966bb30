"""Watchlists: lists of people published by states and others (terrorist and extremist lists, sanctions lists),
imported from FollowTheMoney files, their entries, and the registry people who resemble an entry.

A watchlist is a restricted record (internal by default): its entries, candidates and alerts are reached through
it, so the one visibility filter governs them all. The entries themselves are published data, but which lists an
organisation holds, and above all which of its people resemble an entry, are not: a candidate is visible only
with both its watchlist and its person.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from shelter.access.models import RestrictedRecord
from shelter.access.visibility import RecordManager
from shelter.registry.candidates import Candidate, CandidateAlert
from shelter.registry.models import Person
from shelter.stored_words import register
from shelter.validators import validate_country

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

# The reason a watchlist import gives its history entries (said in the reader's language, shelter.stored_words).
IMPORTED = register(gettext_noop("watchlist import"))


class Watchlist(RestrictedRecord):
    name = models.CharField(_("name"), max_length=64, unique=True,
                            validators=[RegexValidator(NAME_PATTERN, _("lower-case letters, digits, '-' and '_' only"))],
                            help_text=_("Lower-case letters, digits, '-' and '_': used in the match API's path"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    state = models.CharField(_("listing state"), max_length=2, blank=True, validators=[validate_country],
                             help_text=_("The state that publishes the list (e.g. RU for Rosfinmonitoring's list); "
                                         "an at-risk person newly listed by their own state raises an alert"))
    source = models.CharField(_("source file"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=["teams"])

    objects = RecordManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("watchlist")

    def __str__(self) -> str:
        return self.name


class WatchlistEntry(models.Model):
    """One entity of a watchlist, as its last import gave it; ``removed`` once a later import no longer has it."""

    VISIBILITY_PATHS = ("watchlist",)

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    entity_id = models.CharField(_("entity id"), max_length=200)
    schema = models.CharField(_("schema"), max_length=40)
    caption = models.CharField(_("caption"), max_length=500)
    names = models.JSONField(_("names"), default=list)
    dob = models.CharField(_("date of birth"), max_length=10, blank=True)
    nationalities = models.JSONField(_("nationalities"), default=list)
    properties = models.JSONField(_("FollowTheMoney properties"), default=dict)
    first_seen = models.DateTimeField(_("first listed"))
    changed = models.DateTimeField(_("last changed"))
    removed = models.DateTimeField(_("removed from the list"), null=True, blank=True, db_index=True)

    objects = RecordManager()

    class Meta:
        ordering = ["watchlist", "caption", "pk"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        constraints = [models.UniqueConstraint(fields=["watchlist", "entity_id"], name="entry_once_per_watchlist")]

    def __str__(self) -> str:
        return self.caption


class WatchlistImport(models.Model):
    """One import of a watchlist file: what it added, changed and removed (entity ids)."""

    VISIBILITY_PATHS = ("watchlist",)

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="imports")
    source = models.CharField(_("source file"), max_length=300)
    imported = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    added = models.JSONField(default=list)
    changed = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    unchanged = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list)

    objects = RecordManager()

    class Meta:
        ordering = ["-imported", "-pk"]


class WatchlistMatch(Candidate):
    """A candidate: a registry person who resembles a watchlist entry."""

    VISIBILITY_PATHS = ("entry__watchlist", "person")

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="watchlist_matches")

    objects = RecordManager()

    class Meta(Candidate.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="watchlist_match_once")]


class WatchlistAlert(CandidateAlert):
    """Raised when a person marked at risk resembles a new entry of a list published by their own state."""

    VISIBILITY_PATHS = ("match__entry__watchlist", "match__person")

    match = models.OneToOneField(WatchlistMatch, on_delete=models.CASCADE, related_name="alert")

    objects = RecordManager()
