"""Fictional returnees for the demo workspace: monitoring plans with check-ins, deadlines and interim measures,
dated from today so that the due-soon and overdue lists have something to show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from shelter.monitoring.services import create_deadline, create_plan, record_check_in

# (fictional name, host, destination, days since return, interval, check-ins as (days after return, status),
#  public record)
RETURNEES: tuple[tuple[str, str, str, int, int, tuple[tuple[int, str], ...], bool], ...] = (
    ("Demo Returnee Alisher Tursunov", "DE", "UZ", 400, 30, ((3, "detained"), (40, "charged"), (200, "convicted")),
     True),
    ("Demo Returnee Bobur Yusupov", "DE", "UZ", 300, 30, ((5, "detained"), (60, "tortured")), True),
    ("Demo Returnee Dilshod Rakhimov", "DE", "UZ", 250, 30, ((2, "safe"), (35, "detained")), True),
    ("Demo Returnee Farrukh Nazarov", "DE", "TJ", 120, 14, ((4, "safe"), (18, "no_contact")), True),
    ("Demo Returnee Jamshid Saidov", "DE", "TJ", 60, 14, ((1, "disappeared"),), True),
    ("Demo Returnee Komil Ergashev", "TR", "TJ", 30, 7, ((2, "safe"), (9, "safe")), False),
    ("Demo Returnee Nodir Umarov", "RU", "UZ", 12, 7, (), False),
)


def add_demo_returnees(progress: Callable[[str], None], today: date | None = None) -> int:
    """Record the fictional returnees with their check-ins and deadlines (as the operator); returns the number
    of monitoring plans."""
    from shelter.registry.models import Person

    progress("Adding fictional returnees and their monitoring...")
    today = today or timezone.localdate()
    restriction_public = {"confidentiality": "public", "published": True}
    restriction_internal = {"confidentiality": "internal"}
    for name, host, destination, days, interval, check_ins, public in RETURNEES:
        restriction = restriction_public if public else restriction_internal
        person = Person.objects.create(primary_name=name, nationalities=[destination], **restriction)
        returned = today - timedelta(days=days)
        plan = create_plan(None, {"person": person.pk, "host_country": host, "destination": destination,
                                  "return_date": returned, "interval_days": interval,
                                  "route": f"charter flight {host} - {destination}",
                                  "contacts": "a sibling (messenger app); the family's lawyer (phone)",
                                  **restriction})
        for offset, status in check_ins:
            record_check_in(None, plan, {"date": returned + timedelta(days=offset), "status": status,
                                         "channel": "a relative by phone", "sources": "relative's call (fictional)"})
        create_deadline(None, {"person": person.pk, "kind": "interim_measure", "body": "ecthr_rule39",
                               "due": returned - timedelta(days=5), "title": "Rule 39 indication before removal",
                               "host_country": host, "status": "ignored" if public else "withdrawn",
                               **restriction})
    pending = Person.objects.create(primary_name="Demo Applicant Sardor Qodirov", nationalities=["UZ"],
                                    confidentiality="internal")
    for offset, kind, body, title in ((2, "hearing", "", "Hearing on the removal order"),
                                      (9, "appeal", "", "Appeal deadline"),
                                      (5, "interim_measure", "un_cat", "UN CAT interim measure: reply due")):
        create_deadline(None, {"person": pending.pk, "kind": kind, "body": body, "due": today + timedelta(days=offset),
                               "title": title, "host_country": "DE", "confidentiality": "internal"})
    return len(RETURNEES)
