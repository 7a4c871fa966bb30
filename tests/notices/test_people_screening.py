"""Screening in the other direction: people added or changed after the notices were recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from shelter.access.models import User
from shelter.notices.models import Alert, Notice, ScreeningMatch
from shelter.notices.screening import people as people_screening
from shelter.notices.screening.alerts import acknowledge, alerts_for, decide_match
from shelter.notices.screening.notices import screen_notices
from shelter.registry import services
from shelter.registry.models import Person, PersonName

AYUBOV = {"primary_name": "Абдукарим Аюбов", "dob": "1983-04-05", "nationalities": ["TJ"], "sex": "m",
          "confidentiality": "internal", "names": [{"full_name": "Abdukarim Ayubov", "kind": "transliteration"}]}


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Run what would run after commit (the test itself runs inside one transaction)."""

    def run(write):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    yield run


def test_a_person_added_after_the_notice_becomes_its_candidate(imported, committed) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, AYUBOV))
    match = ScreeningMatch.objects.get(person=person)
    assert match.notice.entity_id == "2019/34876"
    assert "date of birth" in match.explanation or match.explanation
    # The notice's own screening finds the same candidate, scored and explained the same way.
    before = (match.score, match.explanation)
    report = screen_notices(imported.to_screen)
    match.refresh_from_db()
    assert report.new_candidates == 0 and (match.score, match.explanation) == before
    assert ScreeningMatch.objects.count() == 1


def test_a_name_added_later_is_screened_too(imported, committed) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, {"primary_name": "Client 17", "dob": "1983-04-05"}))
    assert not ScreeningMatch.objects.filter(person=person).exists()
    committed(lambda: PersonName.objects.create(person=person, full_name="Абдукарим Аюбов", kind="native"))
    assert ScreeningMatch.objects.get(person=person).notice.entity_id == "2019/34876"


def test_marking_a_matched_person_at_risk_raises_one_alert(imported, committed, users) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, AYUBOV))
    assert ScreeningMatch.objects.filter(person=person).count() == 1 and not Alert.objects.exists()
    committed(lambda: services.update_person(None, person, {"at_risk": True}))
    alert = Alert.objects.get()
    assert alert.match.person == person and alert.match.notice.entity_id == "2019/34876"
    acknowledge(alert, users["admin"])
    committed(lambda: services.update_person(None, person, {"description": "moved to Vilnius", "at_risk": True}))
    assert Alert.objects.count() == 1  # acknowledged once, not raised again


def test_resaving_creates_no_duplicates_and_keeps_decisions(imported, committed, users) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, {**AYUBOV, "at_risk": True}))
    match = ScreeningMatch.objects.get(person=person)
    decide_match(match, "confirmed", "passport copy in the file", users["admin"])
    for description in ("first edit", "second edit"):
        committed(lambda d=description: services.update_person(None, person, {"description": d}))
    assert ScreeningMatch.objects.filter(person=person).count() == 1 and Alert.objects.count() == 1
    match.refresh_from_db()
    assert match.decision == "confirmed"


def test_a_rejected_candidate_raises_no_alert_when_marked_at_risk(imported, committed, users) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, AYUBOV))
    decide_match(ScreeningMatch.objects.get(person=person), "rejected", "different person", users["admin"])
    committed(lambda: services.update_person(None, person, {"at_risk": True}))
    assert not Alert.objects.exists()


def test_an_unrelated_field_update_is_not_screened(imported, committed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, AYUBOV))
    calls: list[list[int]] = []
    monkeypatch.setattr(people_screening, "screen_people", lambda ids: calls.append(list(ids)))
    person.description = "notes only"
    committed(lambda: person.save(update_fields=["description", "modified"]))
    assert calls == []
    person.dob = "1983"
    committed(lambda: person.save(update_fields=["dob", "modified"]))
    assert calls == [[person.pk]]


def test_a_bulk_import_of_people_is_screened_in_one_batch(imported, committed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    batches: list[list[int]] = []
    real = people_screening.screen_people

    def counting(ids):  # type: ignore[no-untyped-def]
        batches.append(sorted(ids))
        return real(ids)

    monkeypatch.setattr(people_screening, "screen_people", counting)

    def import_three() -> list[Person]:
        with transaction.atomic():
            return [services.create_person(None, AYUBOV),
                    services.create_person(None, {"primary_name": "Askadin Askadinov", "dob": "1997-08-06"}),
                    services.create_person(None, {"primary_name": "Karina Lindqvist", "dob": "1975"})]

    people = committed(import_three)
    assert batches == [sorted(p.pk for p in people)]
    found = dict(ScreeningMatch.objects.values_list("person__primary_name", "notice__entity_id"))
    assert found == {"Абдукарим Аюбов": "2019/34876", "Askadin Askadinov": "2021/69190"}


def test_alerts_never_show_hidden_people_or_notices(imported, committed, users, teams) -> None:  # type: ignore[no-untyped-def]
    # A confidential client of team alpha, matched against a public notice.
    client = committed(lambda: services.create_person(
        users["editor"], {**AYUBOV, "at_risk": True, "confidentiality": "confidential", "teams": ["alpha"]}))
    # A public person at risk, matched against a notice confidential to team beta.
    notice = Notice.objects.get(entity_id="2021/69190")
    notice.confidentiality = "confidential"
    notice.save()
    notice.teams.set([teams["beta"]])
    public = committed(lambda: services.create_person(None, {"primary_name": "Askadin Askadinov", "dob": "1997-08-06",
                                                             "at_risk": True, "confidentiality": "public"}))
    assert Alert.objects.count() == 2

    def seen(user: User | None) -> set[str]:
        return {alert.match.person.primary_name for alert in alerts_for(user)}

    assert seen(users["editor"]) == {client.primary_name}  # alpha: the client, not beta's notice
    assert seen(users["researcher"]) == {public.primary_name}  # beta: its notice, not alpha's client
    assert seen(users["outsider"]) == set() and seen(None) == set()
    assert seen(users["admin"]) == {client.primary_name, public.primary_name}


def test_without_notices_nothing_is_indexed_or_matched(db, committed) -> None:  # type: ignore[no-untyped-def]
    person = committed(lambda: services.create_person(None, AYUBOV))
    report = people_screening.screen_people([person.pk])
    assert report.screened == 1 and report.candidates == 0 and not ScreeningMatch.objects.exists()


def test_a_person_entered_through_the_api_is_screened(imported, committed, users) -> None:  # type: ignore[no-untyped-def]
    import json

    from django.test import Client

    from shelter.access.models import ApiToken

    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(users['editor'])}")
    body = {"primary_name": "Askadin Askadinov", "dob": "1997-08-06", "nationalities": ["RU"], "at_risk": True,
            "confidentiality": "internal"}
    response = committed(lambda: api.post("/api/v1/people/", json.dumps(body), content_type="application/json"))
    assert response.status_code == 201, response.content
    alert = Alert.objects.get()
    assert alert.match.person_id == response.json()["id"] and alert.match.notice.entity_id == "2021/69190"
    assert [a.pk for a in alerts_for(users["editor"])] == [alert.pk]
