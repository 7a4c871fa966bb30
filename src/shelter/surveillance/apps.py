from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    name = "shelter.surveillance"
    label = "surveillance"
    verbose_name = "Surveillance technology"

    def ready(self) -> None:
        from shelter.search import signals
        from shelter.search.index import register
        from shelter.surveillance import sections
        from shelter.surveillance.models import Deployment, LicenceDecision, Product, Vendor
        from shelter.web.sections import add_section

        register("vendor", Vendor, lambda v: [v.name, *v.aliases, *v.brands, v.description])
        register("product", Product, lambda p: [p.name, *p.aliases, p.family, p.description])
        register("deployment", Deployment, lambda d: [d.agency_name, d.description])
        register("licence", LicenceDecision, lambda d: [d.exporter_name, d.end_user_name, d.control_entry,
                                                        d.description])
        for model in (Vendor, Product, Deployment, LicenceDecision):
            signals.connect(model)
        add_section("incident", sections.incident_sections, "surveillance/_incident_products.html")
        add_section("organisation", sections.organisation_sections, "surveillance/_agency.html")
        add_section("threatreport", sections.threat_report_sections, "surveillance/_threat_families.html")
