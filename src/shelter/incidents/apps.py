from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "shelter.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from shelter.incidents.models import Incident, Source
        from shelter.incidents.search_links import incidents_through_people
        from shelter.incidents.sections import organisation_sections, person_sections
        from shelter.search import signals
        from shelter.search.index import register
        from shelter.web.sections import add_section

        # An incident's text is its own: names of targets are not indexed with it, so a search cannot
        # reveal that a hidden person is linked to a visible incident; a search with the viewer also finds
        # incidents through the targets and perpetrators that viewer may see.
        register("incident", Incident, lambda i: [i.title, i.place, i.description],
                 related=incidents_through_people)
        register("source", Source, lambda s: [s.title, s.publisher, s.url, s.notes])
        signals.connect(Incident)
        signals.connect(Source)
        add_section("person", person_sections)
        add_section("organisation", organisation_sections)
