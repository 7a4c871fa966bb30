"""Manual entry: diffusions and extradition or deportation requests are not public, so people record them;
status events (a court's refusal, a CCF deletion) and evidence attached to a review are recorded the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import Team, User
from shelter.incidents.evidence import store_evidence
from shelter.notices.models import (
    Charge,
    Notice,
    NoticeDocument,
    NoticeOrigin,
    NoticeStatusEvent,
    ReviewEvidence,
    StatusEventKind,
)


def _require_editor(user: User) -> None:
    if not user.can_edit:
        raise PermissionError(f"{user.username} is a viewer and cannot record notices")


@transaction.atomic
def create_notice(user: User, charges: Iterable[dict[str, str]] = (), teams: Sequence[Team] = (),
                  **fields: Any) -> Notice:
    """Create a notice or request typed in by a person; raises ValidationError naming the bad fields."""
    _require_editor(user)
    fields.setdefault("origin", NoticeOrigin.MANUAL)
    notice = Notice(**fields)
    notice.full_clean()
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    notice.teams.set(teams)
    _add_charges(notice, charges)
    NoticeStatusEvent.objects.create(notice=notice, kind=StatusEventKind.PUBLISHED, date=notice.issued,
                                     recorded_by=user, detail="recorded by hand")
    return notice


@transaction.atomic
def update_notice(notice: Notice, user: User, charges: Iterable[dict[str, str]]) -> Notice:
    """Save a notice changed by a person; its charges are replaced when they differ."""
    _require_editor(user)
    notice.full_clean()
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    wanted = [((c.get("text") or "").strip(), (c.get("translation") or "").strip()) for c in charges]
    current = list(notice.charges.values_list("text", "translation"))
    if wanted != current:
        notice.charges.all().delete()
        _add_charges(notice, charges)
        NoticeStatusEvent.objects.create(notice=notice, kind=StatusEventKind.MODIFIED, recorded_by=user,
                                         detail="changed by hand: charges")
    return notice


def _add_charges(notice: Notice, charges: Iterable[dict[str, str]]) -> None:
    for number, charge in enumerate(charges, start=1):
        text = (charge.get("text") or "").strip()
        if not text:
            raise ValidationError({"charges": f"charge {number}: the text is empty"})
        record = Charge(notice=notice, text=text, translation=(charge.get("translation") or "").strip(),
                        issuing_state=(charge.get("issuing_state") or notice.issuing_state).upper())
        record.full_clean()
        record.save()


def add_status_event(notice: Notice, user: User, kind: str, date: str = "", state: str = "", detail: str = "",
                     reference: str = "") -> NoticeStatusEvent:
    _require_editor(user)
    event = NoticeStatusEvent(notice=notice, kind=kind, date=date.strip(), state=state.strip().upper(),
                              detail=detail.strip(), reference=reference.strip(), recorded_by=user)
    event.full_clean()
    event._history_user = user  # type: ignore[attr-defined]
    event.save()
    return event


def attach_evidence(review: Any, user: User, note: str = "", source: Any = None, incident: Any = None,
                    stored: Any = None, file_name: str = "") -> ReviewEvidence:
    """Attach a visible source, a visible incident or an archived file (``stored`` from store_evidence)."""
    _require_editor(user)
    if source is None and incident is None and stored is None and not note.strip():
        raise ValidationError("attach a source, an incident, a file or at least a note")
    evidence = ReviewEvidence(review=review, note=note.strip(), source=source, incident=incident, added_by=user)
    if stored is not None:
        evidence.file_sha256, evidence.file_type = stored.sha256, stored.media_type
        evidence.file_name = file_name[:255]
    evidence._history_user = user  # type: ignore[attr-defined]
    evidence.save()
    return evidence


def add_document(notice: Notice, user: User, title: str, chunks: Iterable[bytes], file_name: str,
                 date: str = "") -> NoticeDocument:
    """Store a case document (content-addressed, never opened) and list it on the notice."""
    _require_editor(user)
    stored = store_evidence(chunks)
    document = NoticeDocument(notice=notice, title=title.strip() or file_name, date=date.strip(),
                              file_sha256=stored.sha256, file_name=file_name[:255], file_size=stored.size,
                              file_type=stored.media_type, added_by=user)
    document.full_clean()
    document._history_user = user  # type: ignore[attr-defined]
    document.save()
    return document
