"""The main dashboard counts the deadlines due soon and the check-ins overdue that the user may see."""

from __future__ import annotations

import pytest
from django.test import Client

from shelter.monitoring.services import create_plan
from tests.monitoring.conftest import plan_data

pytestmark = pytest.mark.django_db


def counts_on_dashboard(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    return page[page.index('class="stat-cards"'):page.index("</ul>", page.index('class="stat-cards"'))]


def test_overdue_check_ins_are_counted_for_those_who_may_see_the_plan(users, returnee) -> None:  # type: ignore[no-untyped-def]
    create_plan(users["editor"], plan_data(returnee, return_date="2020-01-01"))  # team alpha; long overdue
    assert "<strong>1</strong> Check-ins overdue" in counts_on_dashboard(users["editor"])
    assert "<strong>0</strong> Check-ins overdue" in counts_on_dashboard(users["researcher"])  # team beta
