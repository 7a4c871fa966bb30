from django.contrib import admin

from shelter.incidents.models import Citation, Incident, IncidentPerpetrator, IncidentTarget, Source
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(Incident)
class IncidentAdmin(VisibleToUserAdmin):
    list_display = ["title", "date", "tactic", "origin_state", "host_country", "verification", "confidentiality"]
    list_filter = ["tactic", "verification", "confidentiality", "published", "origin_state", "teams"]
    search_fields = ["title", "place"]
    filter_horizontal = ["teams"]


@admin.register(IncidentTarget)
class IncidentTargetAdmin(VisibleToUserAdmin):
    list_display = ["incident", "person", "role"]
    raw_id_fields = ["incident", "person"]


@admin.register(IncidentPerpetrator)
class IncidentPerpetratorAdmin(VisibleToUserAdmin):
    list_display = ["incident", "person", "organisation", "degree"]
    raw_id_fields = ["incident", "person", "organisation"]


@admin.register(Source)
class SourceAdmin(VisibleToUserAdmin):
    list_display = ["title", "kind", "publisher", "published", "reliability", "confidentiality"]
    list_filter = ["kind", "reliability", "confidentiality"]
    search_fields = ["title", "publisher"]
    readonly_fields = ["file_sha256", "file_name", "file_size", "file_type"]
    filter_horizontal = ["teams"]


@admin.register(Citation)
class CitationAdmin(VisibleToUserAdmin):
    list_display = ["source", "incident", "person", "organisation", "relationship", "locator"]
    raw_id_fields = ["source", "incident", "person", "organisation", "relationship"]
