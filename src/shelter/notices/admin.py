from django.contrib import admin

from shelter.notices.models import Notice
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(Notice)
class NoticeAdmin(VisibleToUserAdmin):
    list_display = ("entity_id", "kind", "surname", "forename", "issuing_state", "status", "confidentiality")
    list_filter = ("kind", "status", "issuing_state", "confidentiality")
    search_fields = ("entity_id", "surname", "forename")
