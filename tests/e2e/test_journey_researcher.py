"""The researcher's journey: record an incident against a person named in Cyrillic, then find it by the Latin
spelling of the name and by the name in another Russian case; open the incident's network and add a person's links
to it; follow the returns being monitored (deadlines, overdue check-ins, a plan)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_researcher_records_and_finds_an_incident(journey: Any, users: Any, language: str, width: int) -> None:
    from django.utils import timezone

    from shelter.incidents.models import Incident, IncidentTarget
    from shelter.monitoring.models import CheckIn, Deadline, MonitoringPlan
    from shelter.registry.models import Organisation, Person, Relationship

    # A returnee followed by the researcher's team, and the agency that summoned the family.
    today = timezone.localdate()
    returnee = Person.objects.create(primary_name="Rustam Karimov", confidentiality="confidential")
    returnee.teams.add(*users["researcher"].teams.all())
    plan = MonitoringPlan.objects.create(person=returnee, host_country="DE", destination="TJ",
                                         return_date=today - timedelta(days=30), route="Frankfurt – Dushanbe",
                                         contacts="sister by Signal", interval_days=7, confidentiality="internal")
    CheckIn.objects.create(plan=plan, date=today - timedelta(days=20), status="detained", channel="a call from the lawyer",
                           confidentiality="internal")
    Deadline.objects.create(person=returnee, kind="interim_measure", body="ecthr_rule39", title="Rule 39 request",
                            due=today + timedelta(days=5), host_country="DE", confidentiality="internal")
    agency = Organisation.objects.create(name="State Committee for National Security", kind="security_service",
                                         country="TJ", confidentiality="internal")

    walk = journey(language, width)
    page = walk.page
    walk.sign_in("researcher")
    walk.open_menu()
    page.click("header a[href='/incidents/new/']")
    page.wait_for_selector("#id_title")
    title = "Threats against a blogger's family in Dushanbe"
    for selector, value in {
        "#id_title": title,
        "#id_date": "2024-02",
        "#id_place": "Dushanbe",
        "#id_description": "Relatives were summoned and told to make her stop writing.",
        "#id_targets-0-new_name": "Мадина Тестова",
        "#id_sources-0-title": "Interview with the family",
        "#id_sources-0-publisher": "Exile media",
    }.items():
        page.fill(selector, value)
    for selector, value in {"#id_tactic": "threats_to_relatives", "#id_origin_state": "TJ",
                            "#id_host_country": "DE"}.items():
        page.select_option(selector, value)
    walk.visit("incident-form")
    page.click("form.record-form button[type=submit].primary")
    page.wait_for_selector(f"h1:has-text(\"{title}\")")
    walk.visit("incident")
    assert page.locator("main").get_by_text("Мадина Тестова").count() >= 1

    # The target's Latin spelling added on the person form; its kind, left empty, is read from the scripts.
    target = IncidentTarget.objects.get(incident__title=title).person
    row = f"#id_names-{target.names.count()}-"  # the first empty row, after the names she has
    walk.go(f"/registry/people/{target.pk}/edit/")
    page.wait_for_selector(f"{row}full_name")
    walk.visit("person-form")
    page.fill(f"{row}full_name", "Madina Testova")
    page.fill(f"{row}given_name", "Madina")
    page.fill(f"{row}surname", "Testova")
    page.click("#person-form button[type=submit].primary")
    page.wait_for_url(f"{walk.base}/registry/people/{target.pk}/")
    walk.visit("person")
    assert target.names.get(full_name="Madina Testova").kind == "transliteration"

    # The Latin spelling and the genitive («Тестовой») both find the incident through its target's name.
    for query in ("Testova", "Тестовой"):
        walk.go(f"/search/?q={query}")
        page.wait_for_selector("#results-incident")
        assert page.locator("#results-incident").get_by_text(title).count() == 1, query
        walk.visit(f"search-{'latin' if query.isascii() else 'genitive'}")
    walk.go("/incidents/?q=Тестовой")
    assert page.locator("main").get_by_text(title).count() == 1
    walk.visit("incident-list")

    # The incident's network: its target, and the agency once linked to her.
    incident = Incident.objects.get(title=title)
    Relationship.objects.create(kind="employed_by", subject_person=returnee, object_organisation=agency,
                                confidentiality="internal")
    Relationship.objects.create(kind="family", detail="cousin", subject_person=returnee, object_person=target,
                                confidentiality="internal")
    walk.go(f"/incidents/{incident.pk}/")
    page.click(f"main a[href='/network/incident/{incident.pk}/']")
    page.wait_for_selector("#network-graph[data-ready='2']")  # the incident and its target
    walk.visit("network")
    assert page.locator("#network-links tbody tr").count() == 1
    assert page.locator("#network-links tbody td").nth(1).inner_text() == walk.text("target of (target)",
                                                                                    "цель в (цель)")
    assert page.locator("#network-status").inner_text() == walk.text("1 / 1 links shown", "Показано связей: 1 из 1")
    page.click(f"button.network-expand[data-node='person:{target.pk}']")
    page.wait_for_selector("#network-graph[data-ready='3']")  # her cousin the returnee joins
    assert page.locator("#network-links tbody tr").count() == 2
    assert page.locator("#network-links tbody tr").last.locator("td").nth(1).inner_text() == \
        walk.text("family (cousin)", "семья (cousin)")
    assert page.locator("#network-status").inner_text().startswith(
        walk.text("1 records and 1 links added.", "Добавлено записей: 1, связей: 1."))
    walk.visit("network-expanded")

    # The returns being monitored: a deadline due, an overdue check-in, and the plan itself.
    walk.open_menu()
    page.click("header a[href='/monitoring/']")
    page.wait_for_selector("#deadlines-due")
    walk.visit("monitoring")
    assert page.locator("#deadlines-due tbody tr").first.inner_text().count("Rule 39 request") == 1
    assert walk.text("Germany → Tajikistan", "Германия → Таджикистан") in page.locator("#check-ins-overdue").inner_text()
    page.click(f"#plans a[href='/monitoring/plans/{plan.pk}/']")
    page.wait_for_selector("main dl")
    walk.visit("monitoring-plan")
    assert walk.text("7 days", "7 дней") in page.locator("main dl").inner_text()
    assert page.locator("main table tbody tr").count() == 1
