"""The briefing section "who supplies this state": vendors and products on record as deployed in or transferred
to the state, the agencies that use them (marked when they are also perpetrators of incidents), and licence
decisions for the state. Called by :mod:`shelter.analytics.briefing`.

A public briefing is built from published public records only; an agency's number of incidents is a count, shown
as "x" below 3 like every other public count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from shelter.analytics.services import Audience, fewer_than_limit
from shelter.analytics.stats import Shown, shown
from shelter.surveillance import queries
from shelter.surveillance.models import Deployment


@dataclass(frozen=True)
class SupplyLine:
    vendor: str
    product: str
    kind: str
    date: str
    agency: str
    agency_incidents: Shown  # incidents the agency is named perpetrator in (0 when none or no agency)


@dataclass(frozen=True)
class LicenceLine:
    exporting_state: str
    item: str
    end_user: str
    decision: str
    date: str


@dataclass(frozen=True)
class Suppliers:
    public: bool
    lines: tuple[SupplyLine, ...]
    licences: tuple[LicenceLine, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def who_supplies(state: str, audience: Audience, language: str = "en") -> Suppliers | None:
    """The section for ``state``, or None when nothing is on record. A public section says an agency's incident
    count below the small-count limit in words, in ``language``."""
    viewer = audience.viewer
    with override(language):
        withheld_as = fewer_than_limit()
    customers = queries.customers(viewer, Deployment.objects.filter(customer_state=state))
    lines = tuple(SupplyLine(
        vendor=c.deployment.product.vendor.name, product=c.deployment.product.name,
        kind=str(c.deployment.get_kind_display()), date=c.deployment.date, agency=c.deployment.agency_label,
        agency_incidents=shown(len(c.perpetrated), audience.public, withheld_as=withheld_as) if c.deployment.agency_id else 0)
        for c in sorted(customers, key=lambda c: (c.deployment.product.vendor.name.casefold(),
                                                  c.deployment.product.name.casefold(), c.deployment.date)))
    licences = tuple(LicenceLine(
        exporting_state=d.exporting_state, item=" ".join(filter(None, [d.product.name if d.product else "",
                                                                      d.control_entry])),
        end_user=d.end_user_label, decision=str(d.get_decision_display()), date=d.date)
        for d in queries.licences(viewer).filter(destination=state).order_by("-date", "pk"))
    if not lines and not licences:
        return None
    return Suppliers(audience.public, lines, licences)


def section_title() -> str:
    return _("Who supplies this state")
