"""The licence assessment from the records a viewer may see: products, deployments, incidents, licence decisions
and the sanctions and entity lists imported as FollowTheMoney (watchlists). The rules stay in ``assess``.

Every query goes through the visibility filter: a viewer's assessment rests only on what that viewer may see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from shelter.access.visibility import Viewer, visible_to
from shelter.countries import UnknownCountryError, country_code
from shelter.incidents.models import Incident, IncidentPerpetrator
from shelter.incidents.taxonomy import taxonomy
from shelter.registry.models import Organisation
from shelter.surveillance import assess as core
from shelter.surveillance.models import (
    Decision,
    Deployment,
    DeploymentKind,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
)
from shelter.watchlists.models import WatchlistEntry

MAX_TEXT = 300


@dataclass(frozen=True)
class AssessmentRequest:
    product: str
    destination: str
    end_user: str = ""
    assessing_state: str = ""

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AssessmentRequest:
        """From a query string, a JSON body or command options; errors name the field."""
        product = str(values.get("product") or "").strip()
        end_user = str(values.get("end_user") or "").strip()
        if not product:
            raise ValidationError({"product": "give the product name (e.g. Pegasus)"})
        if len(product) > MAX_TEXT or len(end_user) > MAX_TEXT:
            raise ValidationError({"product": f"at most {MAX_TEXT} characters"})
        return cls(product, _state(values.get("destination"), "destination", required=True), end_user,
                   _state(values.get("assessing_state"), "assessing_state"))


def _state(value: Any, field: str, required: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: "give the state as an ISO code such as UZ"})
        return ""
    try:
        return country_code(text)
    except UnknownCountryError as error:
        raise ValidationError({field: str(error)}) from None


def find_product(name: str, viewer: Viewer) -> Product | None:
    """The visible product of that name, other name or spyware family (case ignored)."""
    products = visible_to(Product.objects.select_related("vendor"), viewer)
    found = products.filter(Q(name__iexact=name) | Q(family__iexact=name)).order_by("pk").first()
    if found is not None:
        return found
    key = name.casefold()
    return next((p for p in products.filter(aliases__icontains=name) if key in (a.casefold() for a in p.aliases)),
                None)


def find_end_user(name: str, viewer: Viewer) -> Organisation | None:
    if not name:
        return None
    organisations = visible_to(Organisation.objects.all(), viewer)
    found = organisations.filter(name__iexact=name).order_by("pk").first()
    if found is not None:
        return found
    key = name.casefold()
    return next((o for o in organisations.filter(aliases__icontains=name)
                 if key in (a.casefold() for a in o.aliases)), None)


def _citation(viewer: Viewer, **owner: Any) -> str:
    first = visible_to(SurveillanceCitation.objects.filter(**owner), viewer).select_related("source").first()
    return first.source.title if first is not None else ""


def _deployments(destination: str, viewer: Viewer) -> tuple[core.Deployment, ...]:
    rows = visible_to(Deployment.objects.filter(customer_state=destination), viewer) \
        .exclude(kind=DeploymentKind.LICENCE_DENIED).select_related("product", "agency")
    return tuple(core.Deployment(d.product.name, d.customer_state, d.agency_label,
                                 "; ".join(filter(None, [d.get_kind_display(), d.date,
                                                         _citation(viewer, deployment=d)])))
                 for d in rows)


def _as_facts(incidents: list[Incident], product: Product | None, viewer: Viewer) -> tuple[core.Incident, ...]:
    """A few incidents (the first lines of an indicator's evidence) as the core reads them."""
    digital = {t.code for t in taxonomy().tactics if t.category == "digital"}
    ids = [i.pk for i in incidents]
    agencies: dict[int, list[Organisation]] = {}
    for link in visible_to(IncidentPerpetrator.objects.filter(incident_id__in=ids, organisation__isnull=False),
                           viewer).select_related("organisation"):
        agencies.setdefault(link.incident_id, []).append(link.organisation)
    products: dict[int, list[str]] = {}
    for named in visible_to(IncidentProduct.objects.filter(incident_id__in=ids), viewer).select_related("product"):
        products.setdefault(named.incident_id, []).append(named.product.name)
    facts = []
    for incident in incidents:
        names = [n for org in agencies.get(incident.pk, []) for n in (org.name, *org.aliases)]
        reference = f"#{incident.pk} {incident.title} ({incident.date})"
        used = products.get(incident.pk, [""])
        facts.append(core.Incident(reference, incident.origin_state, names[0] if names else "",
                                   incident.tactic in digital,
                                   product=used[0] if product is None or product.name not in used else product.name,
                                   tactic=incident.tactic, agencies=tuple(names)))
    return tuple(facts)


def _excerpt(incidents: QuerySet[Incident], product: Product | None, viewer: Viewer) -> core.Excerpt:
    """The first incidents of ``incidents`` (oldest first) as evidence lines, and how many there are in all."""
    first = list(incidents.order_by("date_from", "pk")[:core.EVIDENCE_SHOWN])
    total = len(first) if len(first) < core.EVIDENCE_SHOWN else incidents.count()
    return core.Excerpt(_as_facts(first, product, viewer), total)


def _same_name(name: str, wanted: str) -> bool:
    return bool(name.strip()) and name.strip().casefold() == wanted.strip().casefold()


def incident_record(destination: str, product: Product | None, end_user: str,
                    viewer: Viewer) -> core.IncidentRecord:
    """What the incident indicators read, counted in the database: the destination's incidents by tactic, its
    digital incidents, the incidents (the destination's, or anywhere naming the product) whose perpetrator agency
    bears the end user's name, and the incidents naming the product. Only the first incidents of each are loaded."""
    digital = [t.code for t in taxonomy().tactics if t.category == "digital"]
    naming = visible_to(IncidentProduct.objects.filter(product=product), viewer).values("incident") \
        if product is not None else None
    condition = Q(origin_state=destination)
    if naming is not None:
        condition |= Q(pk__in=naming)
    concerned = visible_to(Incident.objects.filter(condition), viewer)
    own = concerned.filter(origin_state=destination)
    by_tactic: dict[str, int] = {}
    for row in own.order_by().values("tactic").annotate(n=Count("pk")):
        key = row["tactic"] or "unspecified"
        by_tactic[key] = by_tactic.get(key, 0) + row["n"]
    by_end_user = core.Excerpt()
    if end_user.strip():
        perpetrators = visible_to(IncidentPerpetrator.objects.filter(incident__in=concerned,
                                                                     organisation__isnull=False), viewer)
        named = Organisation.objects.filter(pk__in=perpetrators.values("organisation")) \
            .values_list("pk", "name", "aliases")
        matched = [pk for pk, name, aliases in named
                   if any(_same_name(str(n), end_user) for n in (name, *(aliases or ())))]
        if matched:
            by_end_user = _excerpt(concerned.filter(
                pk__in=perpetrators.filter(organisation_id__in=matched).values("incident")), product, viewer)
    return core.IncidentRecord(
        by_tactic=tuple(by_tactic.items()),
        digital=_excerpt(own.filter(tactic__in=digital), product, viewer),
        by_end_user=by_end_user,
        naming_product=_excerpt(concerned.filter(pk__in=naming), product, viewer) if naming is not None
        else core.Excerpt(),
    )


def _denials(destination: str, viewer: Viewer) -> tuple[core.Denial, ...]:
    rows = visible_to(LicenceDecision.objects.filter(destination=destination, decision=Decision.DENIED), viewer) \
        .select_related("product", "exporter", "end_user")
    return tuple(core.Denial(d.exporting_state, d.destination,
                             " ".join(filter(None, [d.product.name if d.product else "", d.control_entry])),
                             d.end_user_label, d.date, _citation(viewer, licence=d)) for d in rows)


def _listings(viewer: Viewer, parties: list[tuple[str, list[str]]]) -> tuple[core.Listing, ...]:
    """Visible, current watchlist entries whose caption or one of whose names equals a name of the party."""
    found: list[core.Listing] = []
    entries = visible_to(WatchlistEntry.objects.filter(removed__isnull=True), viewer).select_related("watchlist")
    for party, names in parties:
        for name in {n.strip() for n in names if n.strip()}:
            key = name.casefold()
            candidates = entries.filter(Q(caption__iexact=name) | Q(names__icontains=name))[:50]
            for entry in candidates:
                if entry.caption.casefold() == key or any(str(n).casefold() == key for n in entry.names):
                    found.append(core.Listing(party, name, entry.caption, entry.watchlist.title or entry.watchlist.name))
    return tuple(dict.fromkeys(found))


def facts_for(request: AssessmentRequest, viewer: Viewer) -> core.Facts:
    product = find_product(request.product, viewer)
    end_user = find_end_user(request.end_user, viewer)
    vendor_names: list[str] = []
    if product is not None:
        vendor_names = [product.vendor.name, *product.vendor.aliases]
    end_user_names = [request.end_user, *((end_user.name, *end_user.aliases) if end_user else ())]
    control: tuple[str, ...] | None = None
    if product is not None and (product.control_entries or product.no_control_entry):
        control = tuple(product.control_entries)
    return core.Facts(
        product=product.name if product else request.product,
        destination=request.destination,
        end_user=request.end_user,
        control_entries=control,
        deployments=_deployments(request.destination, viewer),
        record=incident_record(request.destination, product, request.end_user, viewer),
        vendor=product.vendor.name if product else "",
        capabilities=tuple(product.capabilities) if product else (),
        listings=_listings(viewer, [("vendor", vendor_names), ("end user", end_user_names)]),
        denials=_denials(request.destination, viewer),
        assessing_state=request.assessing_state,
    )


def assess_records(request: AssessmentRequest, viewer: Viewer) -> dict[str, Any]:
    """The assessment as JSON-ready data; ``product_found`` tells whether a product record was used."""
    facts = facts_for(request, viewer)
    try:
        data = core.report(facts)
    except core.AssessmentError as error:
        raise ValidationError(str(error)) from None
    data["product_found"] = find_product(request.product, viewer) is not None
    data["assessing_state"] = request.assessing_state
    return data


def memo_for(data: dict[str, Any]) -> str:
    return core.memo_html(data)


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, Any]:
    raise ValueError(f"the memo renderer does not fetch resources ({url[:80]})")


def memo_pdf(data: dict[str, Any]) -> bytes:
    """The memo as a PDF (WeasyPrint, as the briefings and dossiers); nothing is fetched."""
    from weasyprint import HTML

    document: bytes = HTML(string=memo_for(data), url_fetcher=_refuse_fetch, base_url=None).write_pdf()
    return document
