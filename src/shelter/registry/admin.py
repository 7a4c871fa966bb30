from django.contrib import admin

from shelter.registry.models import Organisation, Person, PersonName, Relationship
from shelter.web.curation_admin import VisibleToUserAdmin


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1
    fields = ["full_name", "given_name", "surname", "patronymic", "script", "language", "kind"]


@admin.register(Person)
class PersonAdmin(VisibleToUserAdmin):
    list_display = ["primary_name", "dob", "country_of_residence", "confidentiality", "published", "modified"]
    list_filter = ["confidentiality", "published", "status_abroad", "at_risk", "teams"]
    search_fields = ["primary_name", "names__full_name"]
    inlines = [PersonNameInline]
    filter_horizontal = ["teams"]


@admin.register(PersonName)
class PersonNameAdmin(VisibleToUserAdmin):
    list_display = ["full_name", "person", "script", "language", "kind"]
    list_filter = ["script", "kind"]
    search_fields = ["full_name"]
    raw_id_fields = ["person"]


@admin.register(Organisation)
class OrganisationAdmin(VisibleToUserAdmin):
    list_display = ["name", "kind", "country", "confidentiality", "published", "modified"]
    list_filter = ["kind", "confidentiality", "published"]
    search_fields = ["name"]
    filter_horizontal = ["teams"]


@admin.register(Relationship)
class RelationshipAdmin(VisibleToUserAdmin):
    list_display = ["__str__", "kind", "start", "end", "confidentiality"]
    list_filter = ["kind", "confidentiality"]
    raw_id_fields = ["subject_person", "subject_organisation", "object_person", "object_organisation"]
    filter_horizontal = ["teams"]
