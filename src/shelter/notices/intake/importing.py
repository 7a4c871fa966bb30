"""Store notices read from a file: create new ones, update changed ones, and record disappearance from a
full list as a status change (a deletion after a challenge is a fact a lawyer needs).

An import sees what the importer sees: it matches existing notices, withdraws absent ones and counts them
only through the visibility filter. A notice the importer may not see is never touched and never counted:
the same entity id is recorded as a new notice beside it, visible to the importer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from shelter.access.models import Confidentiality, Team, User
from shelter.access.writes import (
    check_restriction,
    create_in_bulk,
    remove_visible,
    require_curator,
    save_audited,
    within_reach,
)
from shelter.flash import Sentence
from shelter.notices.intake.event_words import (
    ABSENT,
    ABSENT_SINCE,
    CHANGED,
    FIRST_IMPORTED,
    LISTED_AGAIN,
)
from shelter.notices.intake.formats import NoticeData
from shelter.notices.models import (
    Charge,
    Notice,
    NoticeOrigin,
    NoticeStatus,
    NoticeStatusEvent,
    StatusEventKind,
)
from shelter.search.index import index_records
from shelter.stored_words import written

# Fields every format carries; list-level rows carry nothing else.
_LIST_FIELDS = ("forename", "surname", "dob", "nationalities", "url")
_DETAIL_FIELDS = ("sex", "country_of_birth", "place_of_birth", "issuing_state", "distinguishing_marks",
                  "languages", "other_names")
# A change to these makes a notice worth screening again.
# New notices are written this many at a time, so that a long import reports its progress as it goes.
CREATE_BATCH = 1000
SCREENED_FIELDS = frozenset({"forename", "surname", "other_names", "dob", "nationalities", "sex"})


@dataclass
class NoticeImportReport:
    """What one import of notices did, counted (a records import reports with ``connectors.base.ImportReport``)."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    withdrawn: int = 0
    republished: int = 0
    # Notices new or changed in a way that matters for screening.
    to_screen: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """In the active language (English outside a request)."""
        return str(self.sentence())

    def sentence(self) -> Sentence:
        """The summary, said in the language of the page that shows it."""
        return Sentence(gettext_noop(
            "%(read)s read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, %(duplicates)s repeated "
            "in the file, %(withdrawn)s withdrawn (absent from the full list), %(republished)s published again"
        ), read=self.read, created=self.created, updated=self.updated, unchanged=self.unchanged,
            duplicates=self.duplicates, withdrawn=self.withdrawn, republished=self.republished)


def _field_values(data: NoticeData, names: Iterable[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in names:
        value = getattr(data, name)
        values[name] = list(value) if isinstance(value, tuple) else value
    return values


def _charges_of(data: NoticeData) -> list[tuple[str, str, str]]:
    return [(charge.text, charge.translation, charge.issuing_state) for charge in data.charges]


def _last_per_entity(records: Sequence[NoticeData]) -> tuple[dict[str, NoticeData], int]:
    latest: dict[str, NoticeData] = {}
    for record in records:
        # A detail record is never replaced by a list row for the same notice within one file.
        if record.entity_id in latest and latest[record.entity_id].has_details and not record.has_details:
            continue
        latest[record.entity_id] = record
    return latest, len(records) - len(latest)


def _no_tick(steps: int) -> None:
    pass


@transaction.atomic
def import_notices(
    records: Sequence[NoticeData],
    *,
    full_list: bool = False,
    confidentiality: str = Confidentiality.PUBLIC,
    published: bool = True,
    teams: Sequence[Team] = (),
    user: User | None = None,
    now: datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> NoticeImportReport:
    """Create or update ``records`` as ``user`` (``None``: the operator, who sees every notice). With
    ``full_list``, every active Red Notice the user may see (from Interpol or OpenSanctions, not manual
    entries) absent from ``records`` is marked withdrawn. Raises PermissionDenied for a user who may not
    import (editors and admins may), ValidationError for a confidentiality above the user's clearance.
    ``on_progress(n)`` is told of each ``n`` records done, ``len(records)`` in all."""
    tick = on_progress or _no_tick
    if user is not None:
        require_curator(user)
    # The new notices are filed where the importer sees them (a confidential one under their case teams).
    teams = check_restriction(Notice(confidentiality=confidentiality), user, list(teams)) or []
    now = now or timezone.now()
    report = NoticeImportReport(read=len(records))
    latest, report.duplicates = _last_per_entity(records)
    tick(report.duplicates)
    existing: dict[str, list[Notice]] = {}
    for notice in within_reach(Notice.objects.filter(entity_id__in=list(latest)), user).order_by("pk"):
        existing.setdefault(notice.entity_id, []).append(notice)

    new_notices: list[Notice] = []
    for entity_id, data in latest.items():
        if entity_id not in existing:
            new_notices.append(_new_notice(data, confidentiality, published, now))
        else:
            for notice in existing[entity_id]:
                _update(notice, data, report, user, now)
            tick(1)
    for start in range(0, len(new_notices), CREATE_BATCH):
        batch = new_notices[start:start + CREATE_BATCH]
        _create(batch, latest, teams, report, user, now)
        tick(len(batch))
    if full_list:
        _withdraw_absent(set(latest), report, user, now)
    return report


def _new_notice(data: NoticeData, confidentiality: str, published: bool, now: datetime) -> Notice:
    return Notice(
        entity_id=data.entity_id, kind=data.kind, origin=data.origin, has_details=data.has_details,
        confidentiality=confidentiality, published=published, first_seen=now, last_seen=now,
        **_field_values(data, _LIST_FIELDS + _DETAIL_FIELDS),
    )


def _create(new_notices: list[Notice], latest: dict[str, NoticeData], teams: Sequence[Team],
            report: NoticeImportReport, user: User | None, now: datetime) -> None:
    if not new_notices:
        return
    created = create_in_bulk(Notice, new_notices, user, when=now)
    if teams:
        through = Notice.teams.through
        through.objects.bulk_create(
            [through(notice_id=notice.pk, team_id=team.pk) for notice in created for team in teams]
        )
    charges = [
        Charge(notice_id=notice.pk, text=text, translation=translation, issuing_state=state)
        for notice in created
        for text, translation, state in _charges_of(latest[notice.entity_id])
    ]
    create_in_bulk(Charge, charges, user, when=now)
    NoticeStatusEvent.objects.bulk_create(
        [NoticeStatusEvent(notice_id=notice.pk, kind=StatusEventKind.PUBLISHED, recorded_by=user,
                           detail=written(FIRST_IMPORTED, origin=NoticeOrigin(notice.origin).label)) for notice in created],
        batch_size=1000,
    )
    # bulk_create sends no save signals, so the new notices are added to full-text search here.
    index_records("notice", [notice.pk for notice in created])
    report.created += len(created)
    report.to_screen.extend(notice.pk for notice in created)


def _update(notice: Notice, data: NoticeData, report: NoticeImportReport, user: User | None, now: datetime) -> None:
    names = _LIST_FIELDS + _DETAIL_FIELDS if data.has_details else _LIST_FIELDS
    incoming = _field_values(data, names)
    changed = [name for name, value in incoming.items() if getattr(notice, name) != value]
    charges_changed = data.has_details and (
        list(notice.charges.values_list("text", "translation", "issuing_state")) != _charges_of(data)
    )
    republished = notice.status == NoticeStatus.WITHDRAWN
    notice.last_seen = now
    if not changed and not charges_changed and not republished and (notice.has_details or not data.has_details):
        Notice.objects.filter(pk=notice.pk).update(last_seen=now)
        report.unchanged += 1
        return
    for name in changed:
        setattr(notice, name, incoming[name])
    if data.has_details:
        notice.has_details = True
        if notice.origin != NoticeOrigin.MANUAL:
            notice.origin = data.origin
    if republished:
        notice.status = NoticeStatus.ACTIVE
    save_audited(notice, user)
    if charges_changed:
        remove_visible(notice.charges.all(), user)
        for text, translation, state in _charges_of(data):
            save_audited(Charge(notice=notice, text=text, translation=translation, issuing_state=state), user)
    details = ", ".join(changed + (["charges"] if charges_changed else []))
    if republished:
        save_audited(NoticeStatusEvent(notice=notice, kind=StatusEventKind.REPUBLISHED, recorded_by=user,
                                       detail=written(LISTED_AGAIN)), user)
        report.republished += 1
    if details:
        save_audited(NoticeStatusEvent(notice=notice, kind=StatusEventKind.MODIFIED, recorded_by=user,
                                       detail=written(CHANGED, fields=details)), user)
        report.updated += 1
    elif not republished:
        report.updated += 1
    if SCREENED_FIELDS.intersection(changed) or republished:
        report.to_screen.append(notice.pk)


def _withdraw_absent(seen: set[str], report: NoticeImportReport, user: User | None, now: datetime) -> None:
    active = within_reach(Notice.objects.filter(kind="red_notice", status=NoticeStatus.ACTIVE)
                          .exclude(origin=NoticeOrigin.MANUAL), user).values_list("pk", "entity_id")
    gone = [pk for pk, entity_id in active if entity_id not in seen]
    when = now.date().isoformat()
    for notice in Notice.objects.filter(pk__in=gone):
        notice.status = NoticeStatus.WITHDRAWN
        save_audited(notice, user, update_fields=["status", "modified"])
        save_audited(NoticeStatusEvent(
            notice=notice, kind=StatusEventKind.WITHDRAWN, date=when, recorded_by=user,
            detail=written(ABSENT_SINCE, date=when, last_seen=f"{notice.last_seen:%Y-%m-%d}")
            if notice.last_seen else written(ABSENT, date=when),
        ), user)
    report.withdrawn = len(gone)
