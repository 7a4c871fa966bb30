"""Manual entry: diffusions and extradition or deportation requests are not public, so people record them;
status events (a court's refusal, a CCF deletion) and evidence attached to a review are recorded the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import Team, User
from shelter.access.visibility import visible_to
from shelter.access.writes import describe as describe  # re-exported for the notice views and API
from shelter.access.writes import (
    remove_visible,
    require_editor,
    save_audited,
    save_record,
    save_restricted,
)
from shelter.incidents.evidence import store_evidence
from shelter.notices.intake.event_words import CHANGED_BY_HAND, EDITED_BY_HAND, RECORDED_BY_HAND
from shelter.notices.models import (
    Charge,
    Notice,
    NoticeDocument,
    NoticeOrigin,
    NoticeStatusEvent,
    ReviewEvidence,
    StatusEventKind,
)
from shelter.stored_words import written


@transaction.atomic
def create_notice(user: User, charges: Iterable[dict[str, str]] = (), teams: Sequence[Team] = (),
                  **fields: Any) -> Notice:
    """Create a notice or request typed in by a person; raises ValidationError naming the bad fields."""
    require_editor(user)
    fields.setdefault("origin", NoticeOrigin.MANUAL)
    notice = Notice(**fields)
    _check_entity_id_unseen(notice, user)
    notice = save_record(notice, user)
    notice.teams.set(teams)
    _add_charges(notice, charges, user)
    save_audited(NoticeStatusEvent(notice=notice, kind=StatusEventKind.PUBLISHED, date=notice.issued,
                                   recorded_by=user, detail=written(RECORDED_BY_HAND)), user)
    return notice


# Fields a person may change on a recorded notice (status changes are events, not edits).
EDITABLE_FIELDS = ("entity_id", "kind", "forename", "surname", "other_names", "dob", "sex", "nationalities",
                   "country_of_birth", "place_of_birth", "issuing_state", "issued", "distinguishing_marks",
                   "languages", "url", "description")
RESTRICTION_FIELDS = ("confidentiality", "published", "teams")


@transaction.atomic
def update_notice(notice: Notice, user: User, charges: Iterable[dict[str, str]] | None = None,
                  changes: Mapping[str, Any] | None = None) -> list[str]:
    """Save a notice changed by a person: ``changes`` (field -> value; ``teams`` by name) are applied to it, and
    fields a form already set on it are saved too. ``charges``, when given, replace the notice's charges if they
    differ. Raises ValidationError naming the bad fields; records a *modified* event naming what changed, which
    is returned (the record's history keeps the values)."""
    require_editor(user)
    changes = dict(changes or {})
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS) - set(RESTRICTION_FIELDS))
    if unknown:
        raise ValidationError({name: "cannot be changed here (status changes are recorded as events)"
                               for name in unknown})
    stored = Notice.objects.get(pk=notice.pk)
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(notice, name, changes[name])
    if notice.entity_id != stored.entity_id:
        _check_entity_id_unseen(notice, user)
    # Clearance and case teams are checked the same way as for every other restricted record.
    save_restricted(notice, {name: changes[name] for name in RESTRICTION_FIELDS if name in changes}, user,
                    reason=written(EDITED_BY_HAND))
    changed = [name for name in EDITABLE_FIELDS + ("confidentiality", "published")
               if getattr(stored, name) != getattr(notice, name)]
    if "teams" in changes:
        changed.append("teams")
    if charges is not None:
        charges = list(charges)
        wanted = [((c.get("text") or "").strip(), (c.get("translation") or "").strip(),
                   (c.get("issuing_state") or notice.issuing_state).upper()) for c in charges]
        if wanted != list(notice.charges.values_list("text", "translation", "issuing_state")):
            remove_visible(notice.charges.all(), user)
            _add_charges(notice, charges, user)
            changed.append("charges")
    if changed:
        save_audited(NoticeStatusEvent(notice=notice, kind=StatusEventKind.MODIFIED, recorded_by=user,
                                       detail=written(CHANGED_BY_HAND, fields=", ".join(changed))), user)
    return changed


def _check_entity_id_unseen(notice: Notice, user: User) -> None:
    """An entity id is unique among the notices ``user`` may see. A notice they may not see is never mentioned:
    the same id is recorded beside it."""
    same = visible_to(Notice.objects.filter(entity_id=notice.entity_id).exclude(pk=notice.pk), user).first()
    if same is not None:
        raise ValidationError({"entity_id": f"{notice.entity_id} is already recorded as notice {same.pk}"})


def _add_charges(notice: Notice, charges: Iterable[dict[str, str]], user: User) -> None:
    for number, charge in enumerate(charges, start=1):
        text = (charge.get("text") or "").strip()
        if not text:
            raise ValidationError({"charges": f"charge {number}: the text is empty"})
        record = Charge(notice=notice, text=text, translation=(charge.get("translation") or "").strip(),
                        issuing_state=(charge.get("issuing_state") or notice.issuing_state).upper())
        save_record(record, user)


def add_status_event(notice: Notice, user: User, kind: str, date: str = "", state: str = "", detail: str = "",
                     reference: str = "") -> NoticeStatusEvent:
    require_editor(user)
    event = NoticeStatusEvent(notice=notice, kind=kind, date=date.strip(), state=state.strip().upper(),
                              detail=detail.strip(), reference=reference.strip(), recorded_by=user)
    return save_record(event, user)


def attach_evidence(review: Any, user: User, note: str = "", source: Any = None, incident: Any = None,
                    stored: Any = None, file_name: str = "") -> ReviewEvidence:
    """Attach a visible source, a visible incident or an archived file (``stored`` from store_evidence)."""
    require_editor(user)
    if source is None and incident is None and stored is None and not note.strip():
        raise ValidationError("attach a source, an incident, a file or at least a note")
    evidence = ReviewEvidence(review=review, note=note.strip(), source=source, incident=incident, added_by=user)
    if stored is not None:
        evidence.file_sha256, evidence.file_type = stored.sha256, stored.media_type
        evidence.file_name = file_name[:255]
    return save_audited(evidence, user)


def add_document(notice: Notice, user: User, title: str, chunks: Iterable[bytes], file_name: str,
                 date: str = "") -> NoticeDocument:
    """Store a case document (content-addressed, never opened) and list it on the notice."""
    require_editor(user)
    stored = store_evidence(chunks)
    document = NoticeDocument(notice=notice, title=title.strip() or file_name, date=date.strip(),
                              file_sha256=stored.sha256, file_name=file_name[:255], file_size=stored.size,
                              file_type=stored.media_type, added_by=user)
    return save_record(document, user)
