"""Case facts from an Interpol public-API Red Notice detail record (``GET /notices/v1/red/{id}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shelter.indicators.model import CaseFacts, CaseFactsError, Charge


def case_facts_from_interpol_notice(notice: Mapping[str, Any], **registry_facts: Any) -> CaseFacts:
    """Charges, issuing state and nationalities of a detail record as CaseFacts for ``evaluate``.

    ``registry_facts`` adds what Shelter knows beyond the notice (subject_status_abroad, subject_profile,
    incidents, refusals, state_record, returnee_outcomes, manual_answers). When warrants come from several
    states, the first warrant's state is the issuing state.
    """
    entity = notice.get("entity_id") or "(no entity_id)"
    warrants = notice.get("arrest_warrants") or []
    if not isinstance(warrants, list) or not warrants:
        raise CaseFactsError(
            f"notice {entity}: no arrest warrant (expected 'arrest_warrants': a list of objects with "
            "'issuing_country_id' and 'charge', as in the Interpol detail record)"
        )
    charges = []
    states = []
    for number, warrant in enumerate(warrants, 1):
        state = warrant.get("issuing_country_id") if isinstance(warrant, Mapping) else None
        if not state:
            raise CaseFactsError(f"notice {entity}, warrant {number}: 'issuing_country_id' is missing")
        states.append(str(state).upper())
        charges.append(
            Charge(
                text=str(warrant.get("charge") or ""),
                translation=warrant.get("charge_translation") or None,
                issuing_state=states[-1],
            )
        )
    return CaseFacts(
        kind="red_notice",
        issuing_state=states[0],
        charges=tuple(charges),
        subject_nationalities=tuple(str(code).upper() for code in notice.get("nationalities") or ()),
        **registry_facts,
    )
