"""Automatic rules named by the catalogue (``rule:``), each answering one indicator with its evidence.

A rule says "present" only on evidence it can show, "absent" only when the facts it reads settle the
question, and "unknown" otherwise: a fact missing from Shelter's records is not evidence that it is false.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shelter.indicators.charges import UNVERIFIED_MARK
from shelter.indicators.lexicon import Lexicon
from shelter.indicators.model import (
    STATE_CODE,
    CaseFacts,
    Charge,
    ChargeClassification,
    Evidence,
    Field,
    IncidentFact,
    Indicator,
    RefusalFact,
    StateFact,
    StateFacts,
    plain,
    said,
    translated,
)
from shelter.indicators.penalties import stated_penalties

# Every sentence below is Shelter's own: a message id with named fields (see model.said), which the layer that
# shows it says in the reader's language. Keep each message one literal string, so that it can be translated.


def _state(code: str, name: str = "state") -> Field:
    return Field(name, (code,), "country")


def _text(name: str, value: str) -> Field:
    return Field(name, (value,))


def _decided(refusal: RefusalFact) -> tuple[Field, ...]:
    """The fields of a refusal's sentence: the state (named in the reader's language when it is one), the decision
    (its kind named in the reader's language, the words the recorder typed as typed) and the date."""
    state = _state(refusal.state) if STATE_CODE.match(refusal.state) else _text("state", refusal.state)
    return (state, Field("decision", (refusal.kind, refusal.kind_words, refusal.decision), "decision"),
            _text("date", refusal.date or ""))


def _is_deletion(refusal: RefusalFact) -> bool:
    return (refusal.kind == "ccf_deletion" or "delet" in refusal.decision.lower()
            or refusal.state.upper() in ("INTERPOL", "CCF"))


@dataclass(frozen=True)
class RuleContext:
    facts: CaseFacts
    charges: tuple[tuple[Charge, ChargeClassification], ...]
    state_facts: StateFacts
    lexicon: Lexicon


Outcome = tuple[str, tuple[Evidence, ...]]
Rule = Callable[[Indicator, RuleContext], Outcome]
RULES: dict[str, Rule] = {}
# Rules that compare facts about the requesting state: without a state they can only answer "unknown".
RULES_NEEDING_STATE: set[str] = set()


def rule(name: str, needs_state: bool = False) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[name] = function
        if needs_state:
            RULES_NEEDING_STATE.add(name)
        return function

    return register


def _params(indicator: Indicator, key: str) -> tuple[str, ...]:
    return tuple(indicator.rule_params.get(key) or ())


def charge_evidence(
    charge: Charge, reading: ChargeClassification, kinds: frozenset[str] | None = None
) -> Evidence:
    # A count's kinds and matched terms are parallel: one kind per matched term.
    chosen = [
        (term, term_said)
        for count in reading.counts
        for kind, term, term_said in zip(count.kinds, count.matched_terms, count.terms_said, strict=True)
        if kinds is None or kind in kinds
    ]
    terms = [term for term, _ in chosen]
    verified = not any(term.endswith(UNVERIFIED_MARK) for term in terms)
    reference = "; ".join(terms) or None
    parts = tuple(term_said for _, term_said in chosen)
    # The reading's explanation follows, sentence by sentence (the English as the classifier wrote it).
    more = reading.said or (plain(reading.explanation),)
    if reading.classified_text and reading.classified_text != charge.text:
        return said("charge", "Charge: \u201c{charge} (translation: {translation})\u201d.", reference, verified,
                    _text("charge", charge.text.strip()), _text("translation", reading.classified_text.strip()),
                    more=more, reference_said=parts)
    return said("charge", "Charge: \u201c{charge}\u201d.", reference, verified, _text("charge", charge.text.strip()),
                more=more, reference_said=parts)


def _state_fact_evidence(fact: StateFact) -> Evidence:
    """A fact of the catalogue's: its words in each language the catalogue gives them (state_facts.yaml)."""
    reference = "; ".join(s.title + (f", {s.pinpoint}" if s.pinpoint else "") for s in fact.sources)
    verified = fact.verified and all(source.verified for source in fact.sources)
    if fact.since:
        return said("state_fact", "{state} (since {since}): {fact}", reference, verified, _state(fact.state),
                    _text("since", fact.since), translated("fact", fact.words))
    return said("state_fact", "{state}: {fact}", reference, verified, _state(fact.state),
                translated("fact", fact.words))


@rule("charge_category")
def charge_category(indicator: Indicator, context: RuleContext) -> Outcome:
    """Present when a charge, read in full, supports the indicator; unknown when such counts sit next to
    concrete acts or unread text; absent when every charge was read and none supports it."""
    target = indicator.rule_params["indicator"]
    kinds = context.lexicon.kinds_supporting(target)
    if not context.charges:
        return "unknown", (said("charge", "No charge is recorded for this case."),)
    supporting = [(c, r) for c, r in context.charges if target in r.indicator_ids]
    if supporting:
        return "present", tuple(charge_evidence(c, r, kinds) for c, r in supporting)
    mentioning = [(c, r) for c, r in context.charges if any(set(n.kinds) & kinds for n in r.counts)]
    if mentioning:
        return "unknown", tuple(charge_evidence(c, r, kinds) for c, r in mentioning)
    unread = [(c, r) for c, r in context.charges if r.category == "unknown"]
    if unread:
        return "unknown", tuple(charge_evidence(c, r) for c, r in unread)
    return "absent", tuple(charge_evidence(c, r) for c, r in context.charges)


@rule("subject_profile")
def subject_profile(indicator: Indicator, context: RuleContext) -> Outcome:
    profile = context.facts.subject_profile
    if not profile:
        return "unknown", (said("registry", "The person's profile is not recorded."),)
    matching = [item for item in profile if item in _params(indicator, "profiles")]
    evidence = said("registry", "Profile in the registry: {profile}.", None, True,
                    Field("profile", tuple(profile), "profile"))
    return ("present" if matching else "absent"), (evidence,)


@rule("refugee_status")
def refugee_status(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    status = facts.subject_status_abroad
    if status is None:
        return "unknown", (said("registry", "The person's status abroad is not recorded."),)
    evidence = [said("registry", "Status abroad in the registry: {status}.", None, True,
                     Field("status", (status,), "status_abroad"))]
    if status in ("refugee", "asylum_seeker"):
        # INTERPOL's refugee policy concerns a request by the state the person fled: a refugee's feared
        # persecution is by the state of nationality (Refugee Convention Art. 1A(2)).
        if not facts.issuing_state or not facts.subject_nationalities:
            evidence.append(said(
                "registry",
                "The requesting state or the person's nationality is not recorded, so it cannot be told whether "
                "the request comes from the state of feared persecution."))
            return "unknown", tuple(evidence)
        state = _state(facts.issuing_state)
        if facts.issuing_state not in facts.subject_nationalities:
            evidence.append(said(
                "registry",
                "The requesting state ({state}) is not the person's state of nationality ({nationalities}), from "
                "which protection was sought; the refugee policy does not apply unless the person also fears "
                "persecution by {state} (then record it and answer by hand).",
                None, True, state, Field("nationalities", tuple(facts.subject_nationalities), "countries")))
            return "absent", tuple(evidence)
        evidence.append(said(
            "registry",
            "The requesting state ({state}) is the person's state of nationality, from which protection was "
            "sought; check whether status was granted on the same facts.", None, True, state))
        return "present", tuple(evidence)
    if status == "citizen_of_host":
        evidence.append(said(
            "registry",
            "INTERPOL's refugee policy is reported not to be applied once a refugee naturalises; check whether "
            "asylum was granted earlier because of the same prosecution (CJEU C-897/19 PPU).",
            "rednoticeabuse.com; CJEU C-897/19 PPU, ECLI:EU:C:2020:262"))
    return "absent", tuple(evidence)


@rule("refusals")
def refusals(indicator: Indicator, context: RuleContext) -> Outcome:
    recorded = context.facts.refusals
    if not recorded:
        return "unknown", (
            said("refusal", "No refusal or deletion is recorded; absence of a record in Shelter is not evidence "
                 "that it did not happen."),
        )
    return "present", tuple(
        said("refusal", "{state}: {decision} ({date})" if r.date else "{state}: {decision}", r.source, True,
             *_decided(r))
        for r in recorded
    )


@rule("economic_charges_with_profile")
def economic_charges_with_profile(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    economic = [(c, r) for c, r in context.charges if any("economic" in n.kinds for n in r.counts)]
    if not economic:
        if context.charges and all(r.category != "unknown" for _, r in context.charges):
            return "absent", tuple(charge_evidence(c, r) for c, r in context.charges)
        return "unknown", tuple(charge_evidence(c, r) for c, r in context.charges) or (
            said("charge", "No charge is recorded for this case."),
        )
    evidence = [charge_evidence(c, r, frozenset({"economic"})) for c, r in economic]
    seizures = [
        i
        for i in facts.incidents
        if i.tactic in _params(indicator, "tactics") and i.origin_state == facts.issuing_state
    ]
    evidence.extend(_incident_evidence(i) for i in seizures)
    political = [p for p in facts.subject_profile if p in _params(indicator, "profiles")]
    if facts.subject_profile:
        evidence.append(said("registry", "Profile in the registry: {profile}.", None, True,
                             Field("profile", tuple(facts.subject_profile), "profile")))
    if political or seizures:
        return "present", tuple(evidence)
    return ("absent" if facts.subject_profile else "unknown"), tuple(evidence)


def _incident_evidence(incident: IncidentFact) -> Evidence:
    fields = (_text("title", incident.title), Field("tactic", (incident.tactic,), "tactic"),
              _state(incident.origin_state), Field("against", (incident.against,), "roles"))
    if incident.date:
        return said("incident", "{title} ({tactic} by {state} against the {against}, {date})", incident.id,
                    incident.verified, *fields, _text("date", incident.date))
    return said("incident", "{title} ({tactic} by {state} against the {against})", incident.id, incident.verified,
                *fields)


def _record_evidence(state: str, record: Mapping[str, int], tactics: tuple[str, ...] = ()) -> Evidence | None:
    counted = {t: n for t, n in record.items() if n > 0 and (not tactics or t in tactics)}
    if not counted:
        return None
    listing = tuple(f"{tactic}={count}" for tactic, count in sorted(counted.items(), key=lambda i: -i[1]))
    return said("state_record", "Incidents attributed to {state} in Shelter ({total}), by tactic: {listing}.", None,
                True, _state(state), _text("total", str(sum(counted.values()))),
                Field("listing", listing, "tactic_counts"))


@rule("state_record", needs_state=True)
def state_record(indicator: Indicator, context: RuleContext) -> Outcome:
    state = context.facts.issuing_state
    evidence = [
        _state_fact_evidence(f) for f in context.state_facts.about(state, _params(indicator, "topics"))
    ]
    if indicator.rule_params.get("incident_counts", True):
        record = _record_evidence(state, context.facts.state_record)
        if record:
            evidence.append(record)
    if evidence:
        return "present", tuple(evidence)
    return "unknown", (
        said("state_fact", "No catalogue fact or incident is recorded for {state}; absence of a record in Shelter "
             "is not evidence that it did not happen.", None, True, _state(state)),
    )


@rule("alert_route")
def alert_route(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    deletions = [r for r in facts.refusals if _is_deletion(r)]
    evidence = [
        said("refusal", "Earlier {state}: {decision} ({date})" if r.date else "Earlier {state}: {decision}",
             r.source, True, *_decided(r))
        for r in deletions
    ]
    supervision = [
        _state_fact_evidence(f)
        for f in context.state_facts.about(facts.issuing_state, ("interpol_misuse",))
        if f.since
    ]
    if facts.kind == "diffusion":
        evidence.insert(0, said(
            "notice",
            "A diffusion is sent from one National Central Bureau to others before any General Secretariat review.",
            "RPD Arts 97-101"))
        return "present", tuple(evidence + supervision)
    if deletions:
        evidence.insert(0, said("notice", "A new request after an earlier alert was deleted or refused."))
        return "present", tuple(evidence)
    return "absent", (
        said("notice", "{kind}: reviewed by the General Secretariat before publication; no earlier deletion is "
             "recorded.", None, True, Field("kind", (facts.kind,), "notice_kind")),
    )


@rule("incidents_with_tactics", needs_state=True)
def incidents_with_tactics(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    tactics, roles = _params(indicator, "tactics"), _params(indicator, "against")
    found = [
        i
        for i in facts.incidents
        if i.tactic in tactics and i.against in roles and i.origin_state == facts.issuing_state
    ]
    if found:
        return "present", tuple(_incident_evidence(i) for i in found)
    return "unknown", (
        said("incident", "No incident of these kinds by {state} against the {against} is recorded (among the records "
             "you can see); absence of a record in Shelter is not evidence that it did not happen.", None, True,
             _state(facts.issuing_state), Field("against", tuple(roles), "roles")),
    )


@rule("returnee_outcomes", needs_state=True)
def returnee_outcomes(indicator: Indicator, context: RuleContext) -> Outcome:
    outcomes = context.facts.returnee_outcomes
    state = context.facts.issuing_state
    if not outcomes:
        return "unknown", (
            said("returnee_outcomes", "No outcome is recorded for people returned to {state}.", None, True,
                 _state(state)),
        )
    listing = tuple(f"{k}={v}" for k, v in sorted(outcomes.items(), key=lambda i: -i[1]))
    evidence = (
        said("returnee_outcomes", "People returned to {state}, by outcome: {listing}.", None, True, _state(state),
             Field("listing", listing, "outcome_counts")),
    )
    harmful = sum(count for outcome, count in outcomes.items() if outcome in _params(indicator, "outcomes"))
    return ("present" if harmful else "absent"), evidence


@rule("group_at_risk", needs_state=True)
def group_at_risk(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    findings = [
        _state_fact_evidence(f)
        for f in context.state_facts.about(facts.issuing_state, _params(indicator, "topics"))
    ]
    if not findings:
        return "unknown", (
            said("state_fact", "No finding on groups at risk is recorded for {state}.", None, True,
                 _state(facts.issuing_state)),
        )
    group_kinds = context.lexicon.kinds_supporting("RN-01") | context.lexicon.kinds_supporting("RN-10")
    charged = [(c, r) for c, r in context.charges if any(set(n.kinds) & group_kinds for n in r.counts)]
    if charged:
        return "present", tuple(findings) + tuple(charge_evidence(c, r, group_kinds) for c, r in charged)
    return "unknown", tuple(findings) + (
        said("charge", "No religious, political or membership charge shows that the person belongs to the group."),
    )


@rule("outside_echr", needs_state=True)
def outside_echr(indicator: Indicator, context: RuleContext) -> Outcome:
    echr = context.state_facts.echr
    state = context.facts.issuing_state
    reference = echr.source.title
    verified = echr.verified and echr.source.verified
    if state in echr.parties:
        return "absent", (said("state_fact", "{state} is a party to the ECHR.", reference, verified, _state(state)),)
    if state in echr.former:
        return "present", (said("state_fact", "{state} ceased to be a party to the ECHR on {date}.", reference,
                                verified, _state(state), _text("date", echr.former[state])),)
    return "present", (said("state_fact", "{state} is not a party to the ECHR.", reference, verified, _state(state)),)


@rule("disguised_extradition", needs_state=True)
def disguised_extradition(indicator: Indicator, context: RuleContext) -> Outcome:
    facts = context.facts
    tactics = _params(indicator, "tactics")
    evidence = [
        _incident_evidence(i)
        for i in facts.incidents
        if i.tactic in tactics and i.origin_state == facts.issuing_state
    ]
    record = _record_evidence(facts.issuing_state, facts.state_record, tactics)
    if record:
        evidence.append(record)
    if facts.kind == "deportation" and facts.refusals:
        evidence.extend(
            said("refusal", "Deportation pursued after {state}: {decision} ({date})" if r.date
                 else "Deportation pursued after {state}: {decision}", r.source, True, *_decided(r))
            for r in facts.refusals
        )
    if evidence:
        return "present", tuple(evidence)
    return "unknown", (
        said("incident", "No rendition, disappearance or unlawful deportation by {state} is recorded; absence of a "
             "record in Shelter is not evidence that it did not happen.", None, True, _state(facts.issuing_state)),
    )


@rule("penalty_threshold")
def penalty_threshold(indicator: Indicator, context: RuleContext) -> Outcome:
    """Absent when a charge states a penalty reaching the prosecution threshold, present when every stated
    penalty is under the sentence threshold, unknown otherwise (most charges state no penalty)."""
    prosecution = int(indicator.rule_params["prosecution_months"])
    sentence = int(indicator.rule_params["sentence_months"])
    stated = [(charge, penalty) for charge, _ in context.charges for penalty in stated_penalties(charge.text)]
    if not stated:
        return "unknown", (said("charge", "No charge states its penalty; check the law or judgment cited."),)
    longest = max(penalty.months for _, penalty in stated)
    evidence = tuple(
        said("charge", "The charge states a penalty: \u201c{wording}\u201d ({length}).", None, True,
             _text("wording", penalty.wording), _months("length", penalty.months))
        for _, penalty in stated
    )
    if longest >= prosecution:
        return "absent", evidence
    if longest < sentence:
        return "present", evidence
    return "unknown", evidence + (
        said("charge", "Longest stated penalty {longest}: under the threshold for prosecution ({prosecution}), "
             "above the one for serving a sentence ({sentence}).", None, True, _months("longest", longest),
             _months("prosecution", prosecution), _months("sentence", sentence)),
    )


def _months(name: str, months: int) -> Field:
    return Field(name, (str(months),), "months")
