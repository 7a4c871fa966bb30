"""Legal indicators for Red Notices, diffusions, extradition and deportation requests (pure Python).

The catalogue (``catalogue/*.yaml``) lists the indicators RN-01…RN-14 and NR-01…NR-15 with sources and
verified flags; ``evaluate`` answers each one present / absent / unknown with evidence; ``classify_charge``
reads a charge text in English, Russian, Spanish or French.
"""

from shelter.indicators.catalogue import Catalogue, load_catalogue, load_state_facts
from shelter.indicators.charges import classify_charge
from shelter.indicators.engine import evaluate
from shelter.indicators.files import CatalogueError
from shelter.indicators.interpol import case_facts_from_interpol_notice
from shelter.indicators.model import (
    CaseFacts,
    CaseFactsError,
    Charge,
    ChargeClassification,
    ChargeCount,
    Evidence,
    IncidentFact,
    Indicator,
    IndicatorResult,
    ManualAnswer,
    RefusalFact,
    Source,
)

__all__ = [
    "CaseFacts",
    "CaseFactsError",
    "Catalogue",
    "CatalogueError",
    "Charge",
    "ChargeClassification",
    "ChargeCount",
    "Evidence",
    "IncidentFact",
    "Indicator",
    "IndicatorResult",
    "ManualAnswer",
    "RefusalFact",
    "Source",
    "case_facts_from_interpol_notice",
    "classify_charge",
    "evaluate",
    "load_catalogue",
    "load_state_facts",
]
