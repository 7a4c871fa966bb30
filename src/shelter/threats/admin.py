from django.contrib import admin

from shelter.threats.models import ThreatReport
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(ThreatReport)
class ThreatReportAdmin(VisibleToUserAdmin):
    list_display = ("subject", "verdict", "score", "confidentiality", "created")
    list_filter = ("verdict", "kind", "confidentiality")
    readonly_fields = ("report", "message_sha256", "message_size", "uploaded_by")
