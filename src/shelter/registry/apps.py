from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "shelter.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from shelter.registry.models import Organisation, Person, PersonName
        from shelter.search import signals
        from shelter.search.index import register

        register("person", Person, lambda p: [*p.all_names(), p.description], prefetch=("names",))
        register("organisation", Organisation, lambda o: [o.name, *o.aliases, o.description])
        signals.connect(Person)
        signals.connect(Organisation)
        signals.connect_child(PersonName, "person")
