"""The evaluation engine: answers, evidence, manual overrides and verified flags."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.indicators import (
    CaseFacts,
    CaseFactsError,
    Charge,
    IncidentFact,
    ManualAnswer,
    RefusalFact,
    evaluate,
)


def answers(facts: CaseFacts) -> dict[str, str]:
    return {result.id: result.answer for result in evaluate(facts)}


def by_id(facts: CaseFacts, indicator_id: str):  # type: ignore[no-untyped-def]
    return next(result for result in evaluate(facts) if result.id == indicator_id)


HT_CASE = CaseFacts(
    kind="red_notice",
    issuing_state="UZ",
    charges=(Charge("Участие в запрещённой религиозной организации «Хизб ут-Тахрир»"),),
    subject_nationalities=("UZ",),
    subject_status_abroad="refugee",
    subject_profile=("religious_figure",),
    incidents=(
        IncidentFact(
            "inc-7", "Brother detained in Namangan", "detention_of_relatives", "UZ", "2023-04", "relative"
        ),
        IncidentFact("inc-9", "Phishing e-mail imitating the consulate", "phishing", "UZ", None, "subject"),
        IncidentFact("inc-11", "Threats by Turkmen officials", "direct_threats", "TM", None, "subject"),
        IncidentFact(
            "inc-12", "Convicted in absentia in Tashkent", "trial_in_absentia", "UZ", "2019", "subject"
        ),
    ),
    refusals=(
        RefusalFact("DE", "2021-06-01", "extradition refused (Art. 3 ECHR risk)", "OLG Hamm decision"),
    ),
    state_record={"red_notice": 3, "detention": 5, "assault": 0},
)


def test_every_rn_indicator_is_answered_for_a_red_notice() -> None:
    results = evaluate(HT_CASE)
    assert [r.id for r in results] == [f"RN-{n:02d}" for n in range(1, 15)]
    assert all(r.answer in ("present", "absent", "unknown") for r in results)


def test_membership_of_a_banned_religious_group_is_rn01_and_rn10_with_the_charge_as_evidence() -> None:
    got = answers(HT_CASE)
    assert got["RN-01"] == "present" and got["RN-10"] == "present"
    evidence = by_id(HT_CASE, "RN-10").evidence
    assert evidence[0].kind == "charge" and "Хизб ут-Тахрир" in evidence[0].text
    assert "Хизб ут-Тахрир (banned group)" in (evidence[0].reference or "")


def test_registry_facts_refusals_and_incidents_become_evidence() -> None:
    got = answers(HT_CASE)
    assert got["RN-03"] == "present"  # religious figure
    assert got["RN-05"] == "present"  # refugee, requested by the state of nationality
    assert got["RN-06"] == "present"
    assert got["RN-13"] == "present"  # trial in absentia
    assert got["RN-14"] == "present"
    rn14 = by_id(HT_CASE, "RN-14")
    assert {e.reference for e in rn14.evidence} == {
        "inc-7",
        "inc-9",
    }  # not the Turkmen incident, not RN-13's trial
    rn06 = by_id(HT_CASE, "RN-06").evidence[0]
    assert "DE: extradition refused" in rn06.text and rn06.reference == "OLG Hamm decision"


def test_state_record_combines_catalogue_facts_and_incident_counts() -> None:
    rn11 = by_id(HT_CASE, "RN-11")
    assert rn11.answer == "present"
    record = [e for e in rn11.evidence if e.kind == "state_record"]
    assert (
        record
        and record[0].text
        == "Incidents attributed to UZ in Shelter (8), by tactic: detention 5, red notice 3."
    )


def test_russia_carries_rn11_with_heightened_supervision_since_march_2022() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="RU", charges=(Charge("murder"),))
    rn11 = by_id(facts, "RN-11")
    assert rn11.answer == "present"
    assert any(
        "2022-03-10" in e.text and "heightened supervision" in e.text and e.verified for e in rn11.evidence
    )


def test_unknown_state_without_records_is_unknown_not_absent() -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="IS", charges=(Charge("murder"),))
    got = answers(facts)
    assert got["RN-11"] == "unknown" and got["RN-06"] == "unknown" and got["RN-14"] == "unknown"
    assert got["RN-01"] == "absent" and got["RN-10"] == "absent" and got["RN-07"] == "absent"


def test_ordinary_charge_with_membership_count_leaves_rn10_for_review() -> None:
    facts = CaseFacts(
        kind="red_notice",
        issuing_state="RU",
        charges=(Charge("participation in terrorist organization; illegal storage of firearms"),),
    )
    got = answers(facts)
    assert got["RN-10"] == "unknown" and got["RN-01"] == "absent"


def test_economic_charge_needs_a_political_profile_for_rn09() -> None:
    base = {"kind": "red_notice", "issuing_state": "KZ", "charges": (Charge("Embezzlement; tax evasion"),)}
    assert answers(CaseFacts(**base))["RN-09"] == "unknown"  # type: ignore[arg-type]
    assert answers(CaseFacts(**base, subject_profile=("opposition", "businessman")))["RN-09"] == "present"  # type: ignore[arg-type]
    assert answers(CaseFacts(**base, subject_profile=("engineer",)))["RN-09"] == "absent"  # type: ignore[arg-type]
    seizure = IncidentFact("inc-1", "Company seized", "asset_seizure", "KZ", "2020", "subject")
    assert answers(CaseFacts(**base, incidents=(seizure,)))["RN-09"] == "present"  # type: ignore[arg-type]


def test_diffusion_route_is_flagged_and_red_notice_after_deletion_too() -> None:
    diffusion = CaseFacts(kind="diffusion", issuing_state="TJ", charges=(Charge("extremism"),))
    assert answers(diffusion)["RN-12"] == "present"
    notice = CaseFacts(kind="red_notice", issuing_state="TJ", charges=(Charge("extremism"),))
    assert answers(notice)["RN-12"] == "absent"
    repeat = CaseFacts(
        kind="red_notice",
        issuing_state="TJ",
        charges=(Charge("extremism"),),
        refusals=(RefusalFact("CCF", "2019-02", "data deleted (Art. 3)", None),),
    )
    assert answers(repeat)["RN-12"] == "present"


def test_extradition_request_gets_the_nr_indicators() -> None:
    facts = CaseFacts(
        kind="extradition",
        issuing_state="RU",
        charges=(Charge("Участие в деятельности экстремистской организации"),),
        subject_nationalities=("RU",),
        subject_status_abroad="asylum_seeker",
        returnee_outcomes={"sentenced": 4, "released": 1},
        incidents=(IncidentFact("inc-3", "Red Notice 2019/1", "red_notice", "RU", "2019", "subject"),),
    )
    got = answers(facts)
    assert set(got) == {f"NR-{n:02d}" for n in range(1, 16)}
    assert got["NR-02"] == "present" and got["NR-10"] == "present" and got["NR-15"] == "present"
    assert got["NR-13"] == "present"
    nr13 = by_id(facts, "NR-13")
    assert "ceased to be a party to the ECHR on 2022-09-16" in nr13.evidence[0].text
    assert nr13.verified is False and nr13.evidence[0].verified is False  # from background knowledge
    assert got["NR-01"] == "unknown" and by_id(facts, "NR-01").evaluation == "manual"


def test_group_at_risk_needs_both_the_state_finding_and_the_charge() -> None:
    charged = CaseFacts(kind="extradition", issuing_state="UZ", charges=(Charge("religious extremism"),))
    assert answers(charged)["NR-03"] == "present"
    ordinary = CaseFacts(kind="extradition", issuing_state="UZ", charges=(Charge("theft"),))
    assert answers(ordinary)["NR-03"] == "unknown"
    elsewhere = CaseFacts(kind="extradition", issuing_state="FR", charges=(Charge("religious extremism"),))
    assert answers(elsewhere)["NR-03"] == "unknown"


def test_disguised_extradition_after_a_refusal() -> None:
    facts = CaseFacts(
        kind="deportation",
        issuing_state="TJ",
        charges=(Charge("extremism"),),
        refusals=(RefusalFact("TR", None, "extradition refused", None),),
    )
    nr09 = by_id(facts, "NR-09")
    assert (
        nr09.answer == "present"
        and "Deportation pursued after TR: extradition refused" in nr09.evidence[0].text
    )


def test_manual_answer_overrides_and_keeps_the_note_first() -> None:
    facts = CaseFacts(
        kind="red_notice",
        issuing_state="RU",
        charges=(Charge("murder"),),
        manual_answers=(
            ManualAnswer("RN-01", "present", "Summary of facts describes a protest, not a killing."),
            ManualAnswer("RN-02", "absent", "The summary describes a shooting at a named place and date."),
        ),
    )
    rn01 = by_id(facts, "RN-01")
    assert rn01.answer == "present" and rn01.overridden
    assert rn01.evidence[0].kind == "reviewer_note" and rn01.evidence[0].text.startswith("Summary of facts")
    assert any(e.kind == "charge" for e in rn01.evidence[1:])  # the automatic evidence stays for context
    rn02 = by_id(facts, "RN-02")
    assert rn02.answer == "absent" and rn02.evaluation == "manual" and rn02.overridden


def test_manual_answer_for_an_indicator_that_does_not_apply_is_refused() -> None:
    facts = CaseFacts(
        kind="red_notice",
        issuing_state="RU",
        charges=(),
        manual_answers=(ManualAnswer("NR-06", "present", "x"),),
    )
    with pytest.raises(
        CaseFactsError, match="manual answer for NR-06: no such indicator applies to a red notice"
    ):
        evaluate(facts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "warrant"}, "kind 'warrant' is not known"),
        ({"subject_status_abroad": "exile"}, "subject_status_abroad 'exile' is not known"),
        ({"manual_answers": (ManualAnswer("RN-01", "yes", ""),)}, "'yes' is not an answer"),
        ({"state_record": {"detention": -1}}, r"state_record\['detention'\]: -1 is not a count"),
        (
            {"incidents": (IncidentFact("i", "t", "phishing", "RU", None, "cousin"),)},
            "against 'cousin' is not known",
        ),
    ],
)
def test_case_facts_refuse_bad_values_with_an_actionable_message(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    base = {"kind": "red_notice", "issuing_state": "RU", "charges": ()}
    base.update(kwargs)
    with pytest.raises(CaseFactsError, match=message):
        CaseFacts(**base)  # type: ignore[arg-type]


def test_results_serialise_to_json_with_verified_flags() -> None:
    payload = json.dumps([r.to_dict() for r in evaluate(HT_CASE)], ensure_ascii=False)
    decoded = json.loads(payload)
    rn03 = next(item for item in decoded if item["id"] == "RN-03")
    assert set(rn03) >= {"id", "answer", "evidence", "question", "verified", "sources"}
    assert any(source["verified"] is False for source in rn03["sources"])  # RPD Art. 34(3)(b) is unverified


def test_no_charge_is_unknown_for_the_charge_indicators() -> None:
    got = answers(CaseFacts(kind="red_notice", issuing_state="RU", charges=()))
    assert got["RN-01"] == got["RN-07"] == got["RN-10"] == "unknown"


def test_membership_next_to_an_economic_count_is_left_for_review() -> None:
    charge = Charge(
        "participation in illegal armed formation, participation in terrorist organization, fraud"
    )
    facts = CaseFacts(kind="red_notice", issuing_state="RU", charges=(charge,))
    got = answers(facts)
    assert got["RN-10"] == "unknown" and got["RN-09"] == "unknown"  # no profile recorded for RN-09
    assert "left for review" in by_id(facts, "RN-10").evidence[0].text


def test_returnee_outcomes_without_harm_are_absent_and_with_harm_present() -> None:
    base = {"kind": "deportation", "issuing_state": "TJ", "charges": (Charge("theft"),)}
    assert answers(CaseFacts(**base, returnee_outcomes={"released": 2, "no_harm": 1}))["NR-02"] == "absent"  # type: ignore[arg-type]
    nr02 = by_id(CaseFacts(**base, returnee_outcomes={"disappeared": 1, "released": 2}), "NR-02")  # type: ignore[arg-type]
    assert (
        nr02.answer == "present"
        and nr02.evidence[0].text == "People returned to TJ, by outcome: released 2, disappeared 1."
    )


def test_without_a_requesting_state_the_state_indicators_are_unknown() -> None:
    facts = CaseFacts(kind="extradition", issuing_state="", charges=(Charge("religious extremism"),))
    results = {r.id: r for r in evaluate(facts)}
    for indicator_id in ("NR-02", "NR-03", "NR-05", "NR-09", "NR-13", "NR-15"):
        assert results[indicator_id].answer == "unknown", indicator_id
        assert "requesting state is not recorded" in results[indicator_id].evidence[0].text
    assert results["NR-10"].answer == "unknown"  # status not recorded either


def test_state_codes_are_normalised_and_names_refused() -> None:
    assert CaseFacts(kind="red_notice", issuing_state=" ru ", charges=()).issuing_state == "RU"
    with pytest.raises(CaseFactsError, match="issuing_state 'Russia' is not an ISO 3166-1 alpha-2 code"):
        CaseFacts(kind="red_notice", issuing_state="Russia", charges=())


ANSWER = st.sampled_from(["present", "absent", "unknown"])
TACTIC = st.sampled_from(
    ["detention_of_relatives", "phishing", "rendition", "trial_in_absentia", "red_notice", "assault"]
)
STATE = st.sampled_from(["RU", "UZ", "TJ", "DE", "US", ""])


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    kind = draw(st.sampled_from(["red_notice", "diffusion", "extradition", "deportation"]))
    prefix = "RN" if kind in ("red_notice", "diffusion") else "NR"
    last = 14 if prefix == "RN" else 15
    manual_ids = draw(st.lists(st.integers(1, last), max_size=3, unique=True))
    return CaseFacts(
        kind=kind,
        issuing_state=draw(STATE),
        charges=tuple(Charge(t) for t in draw(st.lists(st.text(max_size=60), max_size=2))),
        subject_nationalities=tuple(draw(st.lists(STATE.filter(bool), max_size=2))),
        subject_status_abroad=draw(
            st.sampled_from([None, "refugee", "asylum_seeker", "citizen_of_host", "undocumented"])
        ),
        subject_profile=tuple(
            draw(st.lists(st.sampled_from(["opposition", "journalist", "engineer"]), max_size=2))
        ),
        incidents=tuple(
            IncidentFact(
                f"i{n}",
                "incident",
                draw(TACTIC),
                draw(STATE.filter(bool)),
                None,
                draw(st.sampled_from(["subject", "relative", "associate"])),
            )
            for n in range(draw(st.integers(0, 3)))
        ),
        refusals=tuple(RefusalFact("DE", None, "refused", None) for _ in range(draw(st.integers(0, 1)))),
        state_record=draw(st.dictionaries(TACTIC, st.integers(0, 5), max_size=3)),
        returnee_outcomes=draw(
            st.dictionaries(st.sampled_from(["detained", "released"]), st.integers(0, 3), max_size=2)
        ),
        manual_answers=tuple(ManualAnswer(f"{prefix}-{n:02d}", draw(ANSWER), "reviewed") for n in manual_ids),
    )


@settings(max_examples=150, deadline=None)
@given(case_facts())
def test_any_case_gets_one_consistent_answer_per_indicator(facts: CaseFacts) -> None:
    results = evaluate(facts)
    assert (
        len({r.id for r in results})
        == len(results)
        == (14 if facts.kind in ("red_notice", "diffusion") else 15)
    )
    manual = {m.indicator_id: m.answer for m in facts.manual_answers}
    for result in results:
        assert result.answer in ("present", "absent", "unknown")
        assert result.overridden == (result.id in manual)
        if result.overridden:
            assert result.answer == manual[result.id] and result.evidence[0].kind == "reviewer_note"
        if result.verified:
            assert all(item.verified for item in result.evidence)
        if result.answer == "present" and not result.overridden:
            assert result.evidence, result.id  # a present answer always shows its evidence


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        (
            "Artículo 162, Reclutamiento ilícito, incurrirá en prisión de seis (6) a diez (10) años y multa",
            "absent",
        ),
        ("Клевета, наказывается лишением свободы на срок до трёх месяцев", "present"),
        ("Hooliganism, punishable by imprisonment for up to one year", "unknown"),
        ("Rape of a child under 14 years", "unknown"),  # an age, not a penalty
        ("Murder", "unknown"),
    ],
)
def test_penalty_threshold_reads_penalties_stated_in_the_charge(text: str, answer: str) -> None:
    facts = CaseFacts(kind="red_notice", issuing_state="CO", charges=(Charge(text),))
    assert by_id(facts, "RN-08").answer == answer


def test_evidence_from_an_unverified_incident_is_flagged_unverified() -> None:
    unverified = IncidentFact("inc-20", "Relative questioned", "threats_to_relatives", "UZ", "2024", "relative",
                              verified=False)
    facts = CaseFacts(kind="red_notice", issuing_state="UZ", charges=(Charge("fraud"),), incidents=(unverified,))
    evidence = [e for result in evaluate(facts) for e in result.evidence if e.reference == "inc-20"]
    assert evidence and all(e.verified is False for e in evidence)


def test_rn05_is_absent_for_a_refugee_sought_by_a_state_other_than_the_one_they_fled() -> None:
    # A Tajik refugee sought by Russia: the refugee policy concerns requests by the state of persecution.
    case = CaseFacts(kind="red_notice", issuing_state="RU", charges=(Charge("Мошенничество"),),
                     subject_nationalities=("TJ",), subject_status_abroad="refugee")
    result = by_id(case, "RN-05")
    assert result.answer == "absent"
    assert "not the person's state of nationality (TJ)" in result.evidence[-1].text
    fled = CaseFacts(kind="red_notice", issuing_state="TJ", charges=(Charge("Мошенничество"),),
                     subject_nationalities=("TJ",), subject_status_abroad="refugee")
    assert by_id(fled, "RN-05").answer == "present"
    stateless = CaseFacts(kind="red_notice", issuing_state="RU", charges=(Charge("Мошенничество"),),
                          subject_status_abroad="asylum_seeker")
    assert by_id(stateless, "RN-05").answer == "unknown"


# Evidence that is not in Shelter's own words: a reviewer's note and a catalogue fact's text from its data file.
OWN_WORDS_EXCEPT = ("reviewer_note",)


@settings(max_examples=150, deadline=None)
@given(case_facts())
def test_shelters_own_evidence_sentences_carry_their_message_id_and_fields(facts: CaseFacts) -> None:
    """So that the page can say them in the reader's language: the English text is the message with its fields
    written in English, every field the message names is given, and a field is never left unfilled."""
    import string

    for result in evaluate(facts):
        for item in result.evidence:
            if item.kind in OWN_WORDS_EXCEPT or (item.kind == "state_fact" and not item.message):
                continue
            assert item.message, (result.id, item.text)
            named = {name for _, name, _, _ in string.Formatter().parse(item.message) if name}
            assert named <= {f.name for f in item.fields}, (item.message, item.fields)
            sentences = [item.message.format(**{f.name: f.english() for f in item.fields})]
            assert item.text == " ".join(sentences + [more.english() for more in item.more])
            assert "{" not in item.text or "{" in "".join(f.english() for f in item.fields)


def test_coded_fields_are_kept_as_codes_for_translation() -> None:
    rn = by_id(HT_CASE, "RN-11")  # state record: incidents by tactic, as codes and counts
    listing = next(item for item in rn.evidence if item.kind == "state_record")
    fields = {f.name: f for f in listing.fields}
    assert fields["state"].values == ("UZ",) and fields["state"].kind == "country"
    assert listing.text == "Incidents attributed to UZ in Shelter (8), by tactic: detention 5, red notice 3."
    assert fields["listing"].values == ("detention=5", "red_notice=3") and fields["listing"].kind == "tactic_counts"
