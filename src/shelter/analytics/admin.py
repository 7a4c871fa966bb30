from django.contrib import admin

from shelter.analytics.models import Agreement
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(Agreement)
class AgreementAdmin(VisibleToUserAdmin):
    list_display = ["state", "partner", "name", "kind", "status", "next_milestone_date", "confidentiality"]
    list_filter = ["state", "kind", "status", "confidentiality", "published"]
    search_fields = ["partner", "name", "next_milestone"]
    filter_horizontal = ["teams", "sources"]
