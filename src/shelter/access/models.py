"""Users, roles, clearance and case teams, and the fields every restricted record carries."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    RESEARCHER = "researcher", _("Researcher")
    VIEWER = "viewer", _("Viewer")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


CONFIDENTIALITY_RANK = {
    Confidentiality.PUBLIC: 0,
    Confidentiality.INTERNAL: 1,
    Confidentiality.CONFIDENTIAL: 2,
}


class Team(models.Model):
    """A case team: confidential records are visible only to its members (and admins)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    clearance = models.CharField(
        _("clearance"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
        help_text=_("The most sensitive confidentiality level this user may see."),
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("case teams"))

    @property
    def is_shelter_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def can_edit(self) -> bool:
        """Editors and admins change records; researchers add and change their drafts; viewers only read."""
        return self.is_shelter_admin or self.role in (Role.EDITOR, Role.RESEARCHER)

    @property
    def can_curate(self) -> bool:
        return self.is_shelter_admin or self.role == Role.EDITOR

    def save(self, *args: object, **kwargs: object) -> None:
        # The Django admin site is the curation tool: editors and admins reach it, others do not.
        if self.role in (Role.ADMIN, Role.EDITOR):
            self.is_staff = True
        elif not self.is_superuser:
            self.is_staff = False
        if self.role == Role.ADMIN and self.clearance != Confidentiality.CONFIDENTIAL:
            self.clearance = Confidentiality.CONFIDENTIAL
        super().save(*args, **kwargs)  # type: ignore[arg-type]


logger = logging.getLogger(__name__)

# A token's use is written down at most this often: reads through the API then almost never write.
TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)
# How long noting a token's use may wait for SQLite's write lock (an import may hold it) before it is left to a
# later request; the request itself never waits longer than this for it.
TOKEN_USE_LOCK_WAIT_MS = 100


@contextmanager
def _short_lock_wait(milliseconds: int) -> Iterator[None]:
    """On SQLite, wait at most ``milliseconds`` for the write lock instead of the connection's busy timeout.
    Other databases lock rows, not the database, so they need nothing here."""
    if connection.vendor != "sqlite":
        yield
        return
    usual = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {usual}")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, label: str = "") -> str:
        token = "shl_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(token), label=label)
        return token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        found = cls.objects.select_related("user").filter(digest=cls.digest_of(token)).first()
        if found is None or not found.user.is_active:
            return None
        found.note_use(timezone.now())
        return found.user

    def note_use(self, now: datetime) -> None:
        """Set ``last_used`` unless it was set less than a minute ago, in a short transaction of its own.

        A busy database (SQLite's write lock held for longer than ``TOKEN_USE_LOCK_WAIT_MS``) skips it: the
        request goes on, and a later one notes the use.
        """
        if self.last_used is not None and now - self.last_used < TOKEN_USE_RECORDED_EVERY:
            return
        # Another process may have noted it since this one read the token: then nothing is written.
        stale = models.Q(last_used__isnull=True) | models.Q(last_used__lt=now - TOKEN_USE_RECORDED_EVERY)
        try:
            with _short_lock_wait(TOKEN_USE_LOCK_WAIT_MS), transaction.atomic():
                ApiToken.objects.filter(stale, pk=self.pk).update(last_used=now)
        except OperationalError as error:
            logger.info("API token %s: use not noted (%s); a later request notes it", self.pk, error)
            return
        self.last_used = now


class RestrictedRecord(models.Model):
    """Fields that every record subject to the visibility filter carries."""

    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.INTERNAL,
        db_index=True,
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Public records are shown to anonymous visitors only once published.")
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("case teams"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    deleted = models.DateTimeField(
        _("deleted"), null=True, blank=True, editable=False,
        help_text=_("Set when the record was deleted: hidden from everyone until an admin restores or purges it."),
    )

    class Meta:
        abstract = True


class AccessAction(models.TextChoices):
    VIEWED = "viewed", _("viewed")
    EXPORTED = "exported", _("exported")
    DOWNLOADED = "downloaded", _("downloaded")


class AccessEvent(models.Model):
    """One reading of a confidential record: who viewed, exported or downloaded which record, and when.

    Written only by :func:`shelter.access.access_log.log_access`; read by admins in the admin, never changed.
    The record is named by kind and id, so the log itself holds none of the record's text.
    """

    when = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150,
                                help_text=_("Kept when the account is removed; 'operator' at the command line."))
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    kind = models.CharField(_("kind of record"), max_length=100)
    record_id = models.PositiveBigIntegerField(_("record id"))

    class Meta:
        ordering = ["-when", "-pk"]
        indexes = [models.Index(fields=["kind", "record_id"])]
        verbose_name = _("access to a confidential record")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.username} {self.action} {self.kind} {self.record_id}"
