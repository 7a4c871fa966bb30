"""Assessing notices: facts from the records a user may see, the engine's answers, and a lawyer's reviews."""

from __future__ import annotations

import pytest

from shelter.incidents.models import Incident, IncidentTarget
from shelter.notices.assessment.assess import assess_notice, review_indicator
from shelter.notices.models import IndicatorReview, Notice, NoticeStatusEvent, ReviewEvidence, ScreeningMatch
from shelter.notices.screening.alerts import decide_match
from shelter.notices.screening.notices import screen_notices


def _answers(notice: Notice, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {result.id: result.answer for result in assess_notice(notice, user).results}


@pytest.fixture
def confirmed(imported, ayubov, users):  # type: ignore[no-untyped-def]
    screen_notices(imported.to_screen)
    match = ScreeningMatch.objects.get(person=ayubov)
    decide_match(match, "confirmed", "same person", users["editor"])
    return match


def test_ordinary_crimes_are_not_political(imported, users) -> None:  # type: ignore[no-untyped-def]
    for entity_id in ("2022/46614", "2016/59620", "2019/26619"):  # murder, aggravated rape, robbery
        answers = _answers(Notice.objects.get(entity_id=entity_id), users["viewer"])
        assert answers["RN-01"] != "present", entity_id
        assert answers["RN-10"] != "present", entity_id


def test_membership_only_charges_carry_rn10(imported, users) -> None:  # type: ignore[no-untyped-def]
    assert _answers(Notice.objects.get(entity_id="2021/69190"), users["viewer"])["RN-10"] == "present"


def test_notices_issued_by_russia_carry_rn11(imported, users) -> None:  # type: ignore[no-untyped-def]
    for notice in Notice.objects.filter(issuing_state="RU"):
        assert _answers(notice, users["viewer"])["RN-11"] == "present", notice.entity_id


def test_refugee_status_comes_from_a_confirmed_person_the_user_may_see(confirmed, users) -> None:  # type: ignore[no-untyped-def]
    notice = confirmed.notice
    with_person = assess_notice(notice, users["editor"])
    without = assess_notice(notice, users["researcher"])  # other team: cannot see the confidential client
    assert [p.pk for p in with_person.people] == [confirmed.person_id] and without.people == []
    refugee_ids = {r.id for r in with_person.results if any("refugee" in e.text.lower() for e in r.evidence)}
    assert refugee_ids, "the refugee status of the matched person should be evidence"
    assert not any("refugee" in e.text.lower() for r in without.results for e in r.evidence
                   if r.id in refugee_ids)


def test_incidents_of_the_issuing_state_reach_the_state_record_only_when_visible(imported, users, teams) -> None:  # type: ignore[no-untyped-def]
    secret = Incident.objects.create(title="Relative detained in Dushanbe", tactic="detention_of_relatives",
                                     date="2022-03", origin_state="RU", confidentiality="confidential")
    secret.teams.add(teams["alpha"])
    notice = Notice.objects.get(entity_id="2019/34876")
    seen = assess_notice(notice, users["editor"]).to_dict()
    hidden = assess_notice(notice, users["researcher"]).to_dict()
    assert "detention of relatives 1" in str(seen) and "detention of relatives" not in str(hidden)


def test_refusals_recorded_on_the_notice_are_evidence(imported, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2019/34876")
    NoticeStatusEvent.objects.create(notice=notice, kind="refused_by_court", state="DE", date="2021-06",
                                     detail="extradition refused: risk of torture", reference="OLG Hamm 2021")
    results = {r.id: r for r in assess_notice(notice, users["viewer"]).results}
    refusal = [r for r in results.values() if any("OLG Hamm" in (e.reference or "") + e.text for e in r.evidence)]
    assert refusal and refusal[0].answer == "present"


def test_a_review_overrides_the_answer_keeps_the_note_and_history(imported, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2022/46614")
    review_indicator(notice, "RN-02", "present", "the summary of facts names no act", users["editor"])
    review_indicator(notice, "RN-02", "absent", "the court file describes the act", users["editor"])
    assessment = assess_notice(notice, users["viewer"])
    result = next(r for r in assessment.results if r.id == "RN-02")
    assert result.answer == "absent" and result.overridden
    assert any("court file" in e.text for e in result.evidence)
    assert IndicatorReview.objects.get().history.count() == 2


def test_a_review_needs_a_known_indicator_a_valid_answer_and_a_note(imported, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2022/46614")
    with pytest.raises(ValueError, match="does not apply"):
        review_indicator(notice, "NR-01", "present", "note", users["editor"])
    with pytest.raises(ValueError, match="not one of"):
        review_indicator(notice, "RN-01", "maybe", "note", users["editor"])
    with pytest.raises(ValueError, match="note is required"):
        review_indicator(notice, "RN-01", "present", "  ", users["editor"])


def test_attached_evidence_is_seen_only_with_the_underlying_record(confirmed, users, teams) -> None:  # type: ignore[no-untyped-def]
    incident = Incident.objects.create(title="Brother questioned by the GKNB", tactic="threats_to_relatives",
                                       date="2023", origin_state="TJ", confidentiality="confidential")
    incident.teams.add(teams["alpha"])
    IncidentTarget.objects.create(incident=incident, person=confirmed.person, role="relative")
    review = review_indicator(confirmed.notice, "RN-05", "present", "family pressure", users["editor"])
    ReviewEvidence.objects.create(review=review, incident=incident, note="see incident", added_by=users["editor"])
    editor_view = assess_notice(confirmed.notice, users["editor"])
    viewer_view = assess_notice(confirmed.notice, users["viewer"])  # internal clearance: no confidential
    assert editor_view.attached.get("RN-05") and not viewer_view.attached.get("RN-05")


def test_to_dict_has_the_documented_shape(imported, users) -> None:  # type: ignore[no-untyped-def]
    data = assess_notice(Notice.objects.get(entity_id="2019/34876"), users["viewer"]).to_dict()
    assert data["entity_id"] == "2019/34876"
    first = data["indicators"][0]
    assert {"id", "answer", "evidence", "verified"} <= set(first)
    assert first["answer"] in {"present", "absent", "unknown"}
    assert all("verified" in item for item in first["evidence"])


def test_a_warrant_of_another_state_is_read_for_that_states_law(db, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.models import Charge

    # A diffusion circulated by Kazakhstan on a Russian warrant that cites only the article number.
    notice = Notice.objects.create(entity_id="DIFF-KZ-1", kind="diffusion", surname="X", issuing_state="KZ",
                                   confidentiality="public", published=True)
    charge = Charge.objects.create(notice=notice, text="ст. 205.5 УК", issuing_state="RU")
    assert _answers(notice, users["admin"])["RN-10"] == "present"
    charge.issuing_state = "KZ"
    charge.save()
    assert _answers(notice, users["admin"])["RN-10"] != "present"  # the Kazakh code's 205.5 is not in the data
