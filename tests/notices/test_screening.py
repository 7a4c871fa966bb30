"""Screening notices against the registry, alerts for people at risk, and who sees the candidates."""

from __future__ import annotations

from shelter.access.visibility import visible_to
from shelter.names import DEFAULT_THRESHOLD
from shelter.notices.models import Alert, Notice, ScreeningMatch
from shelter.notices.screening.alerts import alerts_for, decide_match
from shelter.notices.screening.notices import registry_index, screen_notices


def test_a_cyrillic_registry_entry_is_found_in_a_latin_notice(imported, ayubov, bystander) -> None:  # type: ignore[no-untyped-def]
    report = screen_notices(imported.to_screen)
    assert report.screened == 9
    match = ScreeningMatch.objects.get(person=ayubov)
    assert match.notice.entity_id == "2019/34876"
    assert match.explanation and 0 < match.score <= 1
    assert not ScreeningMatch.objects.filter(person=bystander).exists()


def test_people_at_risk_raise_one_alert(imported, ayubov) -> None:  # type: ignore[no-untyped-def]
    first = screen_notices(imported.to_screen)
    again = screen_notices(imported.to_screen)
    assert first.alerts == 1 and again.alerts == 0 and again.new_candidates == 0
    assert Alert.objects.get().match.person == ayubov


def test_candidates_and_alerts_are_seen_only_by_those_who_may_see_the_person(imported, ayubov, users) -> None:  # type: ignore[no-untyped-def]
    screen_notices(imported.to_screen)
    assert visible_to(ScreeningMatch.objects.all(), users["editor"]).count() == 1  # team alpha
    assert visible_to(ScreeningMatch.objects.all(), users["researcher"]).count() == 0  # team beta
    assert visible_to(ScreeningMatch.objects.all(), None).count() == 0
    assert len(alerts_for(users["editor"])) == 1
    assert alerts_for(users["outsider"]) == []


def test_a_decision_survives_rescreening(imported, ayubov, users) -> None:  # type: ignore[no-untyped-def]
    screen_notices(imported.to_screen)
    match = ScreeningMatch.objects.get()
    decide_match(match, "confirmed", "same person: passport copy in the case file", users["editor"])
    screen_notices(imported.to_screen)
    match.refresh_from_db()
    assert match.decision == "confirmed" and match.decided_by == users["editor"]
    assert match.history.count() >= 2


def test_the_registry_index_is_persisted_and_rebuilt_when_people_change(imported, ayubov, bystander) -> None:  # type: ignore[no-untyped-def]
    assert len(registry_index()) == 2
    from shelter.registry.models import Person

    newcomer = Person.objects.create(primary_name="Muhiddin Kabiri", dob="1965", nationalities=["TJ"])
    assert len(registry_index()) == 3
    newcomer.delete()
    assert len(registry_index()) == 2


def test_an_empty_registry_yields_no_candidates(imported) -> None:  # type: ignore[no-untyped-def]
    report = screen_notices(imported.to_screen)
    assert report.screened == 9 and report.candidates == 0
    assert Notice.objects.count() == 9


def test_parallel_screening_finds_the_same_candidates(imported, ayubov, bystander, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.screening import notices as screening

    monkeypatch.setattr(screening, "PARALLEL_FROM", 1)
    index = registry_index()
    queries = [(notice.pk, screening.notice_record(notice)) for notice in Notice.objects.all()]
    serial = screening._search_all(index, queries, DEFAULT_THRESHOLD, processes=1)
    parallel = screening._search_all(index, queries, DEFAULT_THRESHOLD, processes=2)
    assert sorted(parallel) == sorted(serial) and serial
    report = screen_notices(imported.to_screen, processes=2)
    assert report.candidates == report.new_candidates == len(serial)


def test_screening_many_notices_at_once_finds_what_screening_each_alone_finds(imported, ayubov, bystander,  # type: ignore[no-untyped-def]
                                                                              monkeypatch) -> None:
    """The batch (queries shared out between two workers, one index, candidates written in bulk) stores exactly
    the candidates, scores, explanations and alerts that screening each notice on its own stores."""
    from shelter.notices.screening import notices as screening
    from shelter.registry.models import Person

    # A small registry of the notices' subjects as a caseworker would write them, and of namesakes.
    for number, notice in enumerate(Notice.objects.order_by("pk")):
        name = f"{notice.forename.title()} {notice.surname.title()}"
        Person.objects.create(primary_name=name, dob=notice.dob or "", nationalities=list(notice.nationalities),
                              at_risk=number % 2 == 0)
        Person.objects.create(primary_name=f"{notice.surname} {notice.forename}", dob="1950")
    monkeypatch.setattr(screening, "PARALLEL_FROM", 1)
    notice_ids = sorted(imported.to_screen)

    def stored() -> list[tuple[int, int, float, str, bool]]:
        rows = ScreeningMatch.objects.values_list("notice_id", "person_id", "score", "explanation", "alert")
        return sorted((notice, person, score, text, alert is not None) for notice, person, score, text, alert in rows)

    alone = [screen_notices([notice_id]).candidates for notice_id in notice_ids]
    one_by_one = stored()
    assert sum(alone) == len(one_by_one) >= len(notice_ids) and any(row[4] for row in one_by_one)
    ScreeningMatch.objects.all().delete()
    screening._in_memory.clear()  # a new process: the index is loaded from its file
    progress: list[int] = []
    report = screen_notices(notice_ids, processes=2, on_progress=progress.append)
    assert stored() == one_by_one
    assert report.candidates == report.new_candidates == len(one_by_one) and sum(progress) == len(notice_ids)
    assert report.alerts == Alert.objects.count() == sum(row[4] for row in one_by_one)


def test_a_notice_lists_first_the_candidate_whose_date_of_birth_agrees(imported, ayubov) -> None:  # type: ignore[no-untyped-def]
    from shelter.registry.models import Person

    namesake = Person.objects.create(primary_name="Abdukarim Ayubov", confidentiality="internal")
    variant = Person.objects.create(primary_name="Abdoukarim Ayoubov", dob=ayubov.dob, confidentiality="internal")
    screen_notices(imported.to_screen)
    notice = Notice.objects.get(entity_id="2019/34876")
    matches = list(notice.matches.all())
    assert [match.person for match in matches] == [ayubov, variant, namesake]
    assert [match.date_agrees for match in matches] == [True, True, False]
    assert matches[1].score < matches[2].score == 1.0


def test_candidates_stored_before_the_date_field_get_it_from_their_explanation(imported, ayubov) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    from shelter.registry.candidates import mark_date_agreement

    notice = Notice.objects.get(entity_id="2019/34876")
    names = "surname AYUBOV = Аюбов (Tajik Cyrillic)"
    for number, evidence in enumerate(["date of birth agrees", "date of birth agrees with day and month swapped",
                                       "birth year agrees; nationality agrees", "nationality agrees", ""]):
        person = ayubov if number == 0 else type(ayubov).objects.create(primary_name=f"Ayubov {number}")
        ScreeningMatch.objects.create(notice=notice, person=person, score=0.9,
                                      explanation=f"{names}; {evidence}" if evidence else names)
    mark_date_agreement(apps, None, "notices", "ScreeningMatch")
    flags = [match.date_agrees for match in ScreeningMatch.objects.order_by("pk")]
    assert flags == [True, False, True, False, False]
