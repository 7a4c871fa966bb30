from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shelter.access.visibility import visible_to
from shelter.analytics.models import Agreement
from shelter.incidents.models import Source
from shelter.web.curation_admin import VisibleToUserAdmin


@admin.register(Agreement)
class AgreementAdmin(VisibleToUserAdmin):
    list_display = ["state", "partner", "name", "kind", "status", "next_milestone_date", "confidentiality"]
    list_filter = ["state", "kind", "status", "confidentiality", "published"]
    search_fields = ["partner", "name", "next_milestone"]
    filter_horizontal = ["teams", "sources"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A curator cites only sources they may see.
        if db_field.related_model is Source:
            kwargs["queryset"] = visible_to(Source.objects.all(), request.user)  # type: ignore[arg-type]
        return super().formfield_for_manytomany(db_field, request, **kwargs)
