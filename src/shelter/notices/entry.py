"""Manual entry: diffusions and extradition or deportation requests are not public, so people record them;
status events (a court's refusal, a CCF deletion) and evidence attached to a review are recorded the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import Team, User
from shelter.notices.models import (
    Charge,
    Notice,
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
    for number, charge in enumerate(charges, start=1):
        text = (charge.get("text") or "").strip()
        if not text:
            raise ValidationError({"charges": f"charge {number}: the text is empty"})
        record = Charge(notice=notice, text=text, translation=(charge.get("translation") or "").strip(),
                        issuing_state=(charge.get("issuing_state") or notice.issuing_state).upper())
        record.full_clean()
        record.save()
    NoticeStatusEvent.objects.create(notice=notice, kind=StatusEventKind.PUBLISHED, date=notice.issued,
                                     recorded_by=user, detail="recorded by hand")
    return notice


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
