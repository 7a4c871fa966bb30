"""Fictional surveillance vendors, products, deployments and licence decisions for the demo workspace.

The vendors and products are invented (none is a real company or product); they are tied to the demo's own
security services and digital incidents, so that the vendor pages, the licence assessment and the briefing's
"who supplies this state" section have something to show: a customer agency that is also a perpetrator, earlier
denials by other states, a product named in an incident.
"""

from __future__ import annotations

from collections.abc import Callable

PUBLIC = {"confidentiality": "public", "published": True}
INTERNAL = {"confidentiality": "internal"}
DEMO_SOURCE = "Demo lab report on commercial spyware (fictional)"

# (name, country, aliases, parent)
VENDORS: tuple[tuple[str, str, list[str], str], ...] = (
    ("Demo Holding Nimbus SA", "LU", [], ""),
    ("Demo Vector Intrusion Ltd", "CY", ["DVI"], "Demo Holding Nimbus SA"),
    ("Demo Lattice Networks GmbH", "DE", [], ""),
    ("Demo Optic Forensics AB", "SE", [], ""),
)
# (vendor, name, family, capabilities, control entries, stated to have none)
PRODUCTS: tuple[tuple[str, str, str, list[str], list[str], bool], ...] = (
    ("Demo Vector Intrusion Ltd", "Demo Nightjar", "Nightjar", ["spyware"], ["4.A.5", "4.D.4"], False),
    ("Demo Lattice Networks GmbH", "Demo Sieve DPI", "", ["deep_packet_inspection", "internet_filtering"],
     ["5.A.1.j"], False),
    ("Demo Optic Forensics AB", "Demo Extract Kit", "", ["mobile_forensics"], [], True),
)
# (product, kind, customer state, agency of that state (the demo's security service), date, public)
DEPLOYMENTS = (
    ("Demo Nightjar", "confirmed_use", "UZ", True, "2019-06", True),
    ("Demo Nightjar", "suspected_use", "TJ", True, "2021", True),
    ("Demo Sieve DPI", "sale", "UZ", False, "2018", True),
    ("Demo Extract Kit", "sale", "TJ", True, "2020-02", False),
)
# (exporting state, product, control entry, destination, decision, date)
LICENCES = (
    ("DE", "Demo Sieve DPI", "5.A.1.j", "UZ", "granted", "2018-03"),
    ("FR", "", "4.A.5", "UZ", "denied", "2020-11"),
    ("IT", "", "5.A.1.j", "TJ", "denied", "2022-04"),
    ("SE", "Demo Extract Kit", "", "TJ", "granted", "2019-12"),
)


def add_demo_surveillance(progress: Callable[[str], None]) -> int:
    """Record the fictional vendors and what they sold (as the operator); returns the number of deployments."""
    from shelter.countries import country_name
    from shelter.incidents.models import Incident, Source
    from shelter.registry.models import Organisation
    from shelter.surveillance import services

    progress("Adding fictional surveillance vendors, products and licences...")
    source = Source.objects.create(title=DEMO_SOURCE, kind="report", publisher="Demo Research Lab", **PUBLIC)
    cite = [{"source": source.pk, "locator": "annex (fictional)"}]
    vendors: dict[str, int] = {}
    for name, country, aliases, parent in VENDORS:
        vendor = services.save_vendor(None, {"name": name, "country": country, "aliases": aliases,
                                             "parent": vendors.get(parent), **PUBLIC})
        services.set_citations(None, vendor, cite)
        vendors[name] = vendor.pk
    products: dict[str, int] = {}
    for vendor_name, name, family, capabilities, entries, none in PRODUCTS:
        product = services.save_product(None, {"vendor": vendors[vendor_name], "name": name, "family": family,
                                               "capabilities": capabilities, "control_entries": entries,
                                               "no_control_entry": none, **PUBLIC})
        products[name] = product.pk
    for product_name, kind, state, with_agency, date, public in DEPLOYMENTS:
        agency = Organisation.objects.filter(kind="security_service", country=state).order_by("pk").first() \
            if with_agency else None
        deployment = services.save_deployment(None, {
            "product": products[product_name], "kind": kind, "customer_state": state,
            "agency": agency.pk if agency else None,
            "agency_name": "" if agency else f"{country_name(state)} telecom regulator (fictional)",
            "date": date, "description": "Fictional demo record.", **(PUBLIC if public else INTERNAL)})
        services.set_citations(None, deployment, cite)
    for exporting, product_name, entry, destination, decision, date in LICENCES:
        licence = services.save_licence(None, {
            "exporting_state": exporting, "product": products.get(product_name), "control_entry": entry,
            "destination": destination, "decision": decision, "date": date,
            "end_user_name": f"{country_name(destination)} State Security Service", **PUBLIC})
        services.set_citations(None, licence, cite)
    digital = Incident.objects.filter(origin_state="UZ", tactic__in=("spyware", "phishing", "account_compromise"))
    for incident in digital.order_by("pk")[:3]:
        services.link_incident(None, incident.pk, products["Demo Nightjar"], "fictional forensic trace")
    return len(DEPLOYMENTS)
