"""The access log: who viewed, exported or downloaded confidential records, and when.

Views, API endpoints and the export command call :func:`log_access` once they have found what the caller may
see; admins read the log in the admin (*Access log*).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from shelter.access.models import AccessAction, AccessEvent, Confidentiality, RestrictedRecord, User
from shelter.access.visibility import Viewer

OPERATOR = "operator"


def log_access(user: Viewer, record: models.Model | Iterable[models.Model], action: AccessAction | str) -> int:
    """Note that ``user`` (``None``: the operator at the command line) read ``record`` (or each of several
    records) by ``action``. Only confidential records are noted; returns how many were."""
    action = AccessAction(action)
    records = [record] if isinstance(record, models.Model) else record
    if isinstance(records, models.QuerySet):
        records = records.filter(confidentiality=Confidentiality.CONFIDENTIAL).only("pk", "confidentiality")
    account = user if isinstance(user, User) and user.pk is not None else None
    username = user.get_username() if user is not None and user.is_authenticated else OPERATOR
    if user is not None and not user.is_authenticated:
        username = "anonymous"
    now = timezone.now()
    events = [
        AccessEvent(when=now, user=account, username=username, action=action, kind=item._meta.label_lower,
                    record_id=item.pk)
        for item in records
        if isinstance(item, RestrictedRecord) and item.confidentiality == Confidentiality.CONFIDENTIAL
    ]
    AccessEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
