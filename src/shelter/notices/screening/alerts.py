"""Alerts for people at risk, and a person's decision on a screening candidate."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shelter.access.models import User
from shelter.access.visibility import Viewer
from shelter.access.writes import require_editor, save_audited
from shelter.notices.models import Alert, ScreeningMatch
from shelter.registry.candidates import DECIDED, MatchDecision
from shelter.stored_words import written


def alerts_for(user: Viewer, include_acknowledged: bool = False) -> list[Alert]:
    return list(Alert.visible(user, include_acknowledged).select_related("match__notice", "match__person"))


def acknowledge(alert: Alert, user: User) -> Alert:
    alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
    return save_audited(alert, user, update_fields=["acknowledged_by", "acknowledged_at"])


@transaction.atomic
def decide_match(match: ScreeningMatch, decision: str, note: str, user: User) -> ScreeningMatch:
    """Confirm or reject a candidate (or put it back to review); kept in the match's history."""
    if decision not in MatchDecision.values:
        raise ValueError(f"decision '{decision}' is not one of {', '.join(MatchDecision.values)}")
    require_editor(user)
    match.decision, match.note = decision, note.strip()
    match.decided_by, match.decided_at = user, timezone.now()
    return save_audited(match, user, reason=written(DECIDED, decision=decision))
