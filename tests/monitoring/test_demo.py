from __future__ import annotations

from datetime import date

import pytest

from shelter.monitoring.demo import RETURNEES, add_demo_returnees
from shelter.monitoring.evidence import host_briefing
from shelter.monitoring.services import deadlines_due, overdue_plans

pytestmark = pytest.mark.django_db


def test_demo_returnees_fill_the_lists_and_the_public_host_briefing(users) -> None:
    today = date(2026, 6, 1)
    assert add_demo_returnees(lambda _: None, today) == len(RETURNEES)
    admin = users["admin"]
    assert len(deadlines_due(admin, today, 14)) == 3
    assert overdue_plans(admin, today)
    public = host_briefing("DE", None, public=True)
    assert public["returns_total"] == 5 and public["interim_measures_ignored"] == 5
    assert "Demo Returnee" not in str(public)
