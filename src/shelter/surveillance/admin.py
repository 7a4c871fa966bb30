"""The surveillance records in the Django admin, through the shared base: the visibility filter on every page,
saves and deletes through the audited write path, history filtered per version."""

from django.contrib import admin

from shelter.surveillance.models import (
    Deployment,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(Vendor)
class VendorAdmin(VisibleToUserAdmin):
    list_display = ["name", "country", "parent", "confidentiality"]
    list_filter = ["country", "confidentiality", "published", "teams"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "organisation"]
    filter_horizontal = ["teams"]


@admin.register(Product)
class ProductAdmin(VisibleToUserAdmin):
    list_display = ["name", "vendor", "family", "no_control_entry", "confidentiality"]
    list_filter = ["confidentiality", "published", "vendor", "teams"]
    search_fields = ["name", "family"]
    raw_id_fields = ["vendor"]
    filter_horizontal = ["teams"]


@admin.register(Deployment)
class DeploymentAdmin(VisibleToUserAdmin):
    list_display = ["product", "kind", "customer_state", "agency", "agency_name", "date", "confidentiality"]
    list_filter = ["kind", "customer_state", "confidentiality", "published", "teams"]
    search_fields = ["agency_name", "description"]
    raw_id_fields = ["product", "agency"]
    filter_horizontal = ["teams"]


@admin.register(LicenceDecision)
class LicenceDecisionAdmin(VisibleToUserAdmin):
    list_display = ["exporting_state", "decision", "destination", "product", "control_entry", "date",
                    "confidentiality"]
    list_filter = ["decision", "exporting_state", "destination", "confidentiality", "published", "teams"]
    search_fields = ["exporter_name", "end_user_name", "control_entry"]
    raw_id_fields = ["exporter", "product", "end_user"]
    filter_horizontal = ["teams"]


@admin.register(SurveillanceCitation)
class SurveillanceCitationAdmin(VisibleToUserAdmin):
    list_display = ["source", "vendor", "product", "deployment", "licence", "locator"]
    raw_id_fields = ["source", "vendor", "product", "deployment", "licence"]


@admin.register(IncidentProduct)
class IncidentProductAdmin(VisibleToUserAdmin):
    list_display = ["incident", "product", "note"]
    raw_id_fields = ["incident", "product"]
