"""Evaluate every indicator of the catalogue that applies to a case: present / absent / unknown with evidence."""

from __future__ import annotations

from shelter.indicators.catalogue import Catalogue, load_catalogue, load_state_facts
from shelter.indicators.charges import classify_charge
from shelter.indicators.lexicon import load_lexicon
from shelter.indicators.model import (
    CaseFacts,
    CaseFactsError,
    Evidence,
    Indicator,
    IndicatorResult,
    ManualAnswer,
    said,
)
from shelter.indicators.rules import RULES, RULES_NEEDING_STATE, RuleContext

_NO_STATE = said("notice", "The requesting state is not recorded, and this indicator reads facts about it.")


def _manual_answers(facts: CaseFacts, indicators: list[Indicator]) -> dict[str, ManualAnswer]:
    applicable = {indicator.id for indicator in indicators}
    answers: dict[str, ManualAnswer] = {}
    for manual in facts.manual_answers:
        if manual.indicator_id not in applicable:
            raise CaseFactsError(
                f"manual answer for {manual.indicator_id}: no such indicator applies to a {facts.kind.replace('_', ' ')} "
                f"(expected one of {', '.join(sorted(applicable))})"
            )
        answers[manual.indicator_id] = manual  # the latest answer for an indicator wins
    return answers


def _result(
    indicator: Indicator, answer: str, evidence: tuple[Evidence, ...], overridden: bool
) -> IndicatorResult:
    return IndicatorResult(
        id=indicator.id,
        answer=answer,
        evidence=evidence,
        question=indicator.question,
        verified=indicator.verified and all(item.verified for item in evidence),
        evaluation=indicator.evaluation,
        overridden=overridden,
        sources=indicator.sources,
    )


def evaluate(facts: CaseFacts, catalogue: Catalogue | None = None) -> list[IndicatorResult]:
    """One result per indicator that applies to ``facts.kind``, in catalogue order.

    A reviewer's answer replaces the automatic one; its note comes first in the evidence and the
    automatic evidence is kept after it.
    """
    catalogue = catalogue or load_catalogue()
    indicators = catalogue.for_kind(facts.kind)
    manual = _manual_answers(facts, indicators)
    context = RuleContext(
        facts=facts,
        charges=tuple(
            (charge, classify_charge(charge, facts.issuing_state or None)) for charge in facts.charges
        ),
        state_facts=load_state_facts(),
        lexicon=load_lexicon(),
    )
    results = []
    for indicator in indicators:
        answer: str
        evidence: tuple[Evidence, ...]
        if indicator.rule in RULES_NEEDING_STATE and not facts.issuing_state:
            answer, evidence = "unknown", (_NO_STATE,)
        elif indicator.rule is not None:
            answer, evidence = RULES[indicator.rule](indicator, context)
        else:
            answer, evidence = "unknown", ()
        override = manual.get(indicator.id)
        if override is not None:
            note = Evidence("reviewer_note", override.note, None, True)
            results.append(_result(indicator, override.answer, (note,) + evidence, overridden=True))
        else:
            results.append(_result(indicator, answer, evidence, overridden=False))
    return results
