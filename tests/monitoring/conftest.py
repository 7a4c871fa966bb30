from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def returnee(db, teams):  # type: ignore[no-untyped-def]
    from shelter.registry.models import Person

    person = Person.objects.create(primary_name="Rustam Karimov", confidentiality="confidential")
    person.teams.add(teams["alpha"])
    return person


@pytest.fixture
def request_notice(db, teams):  # type: ignore[no-untyped-def]
    from shelter.notices.models import Notice

    notice = Notice.objects.create(kind="deportation", forename="Rustam", surname="Karimov", issuing_state="UZ",
                                   confidentiality="confidential")
    notice.teams.add(teams["alpha"])
    return notice


def plan_data(person: Any, **extra: Any) -> dict[str, Any]:
    return {"person": person.pk, "host_country": "DE", "destination": "UZ", "return_date": "2026-03-01",
            "route": "Frankfurt - Tashkent", "contacts": "sister by Signal", "interval_days": 7,
            "teams": ["alpha"], **extra}
