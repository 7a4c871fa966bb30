"""The demo workspace's informant network: per origin state, a handler at its security service to whom the
state's informants report, and the incidents abroad in which both are suspected, across host countries and years.
Fictional, like the rest of the demo workspace; called once by :func:`shelter.demo.load_demo_workspace`."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction

from shelter.incidents.models import Citation, Incident, IncidentPerpetrator
from shelter.registry.models import Organisation, Person, Relationship

SEED = 15
# Fictional handlers, one per origin state (full name in the native script, then in Latin letters).
HANDLERS = {
    "UZ": ("Рустам Бахтиярович Холматов", "Rustam Bakhtiyarovich Kholmatov"),
    "TJ": ("Фаррух Саидович Назаров", "Farrukh Saidovich Nazarov"),
    "KZ": ("Ерлан Маратович Сейтказиев", "Yerlan Maratovich Seitkaziev"),
    "TM": ("Мерген Ораздурдыевич Ахмедов", "Mergen Orazdurdyevich Akhmedov"),
    "RU": ("Олег Викторович Веретенников", "Oleg Viktorovich Veretennikov"),
    "BY": ("Андрей Петрович Ковалёнок", "Andrei Petrovich Kovalyonok"),
}
INCIDENTS_PER_HANDLER = 3
FICTION_NOTE = "Fictional record generated for the Shelter demo workspace."


def add_informant_network(progress: Callable[[str], None]) -> int:
    """Add the handlers, their links and their suspected incidents; returns how many handlers were added."""
    rng = random.Random(SEED)
    handlers: dict[int, Person] = {}
    with transaction.atomic():
        for link in Relationship.objects.filter(kind="informant_for", subject_person__isnull=False,
                                                object_organisation__kind="security_service").order_by("pk"):
            service: Organisation = link.object_organisation
            names = HANDLERS.get(service.country)
            if names is None:
                continue
            informant: Person = link.subject_person
            handler = handlers.get(service.pk)
            if handler is None:
                handler = Person.objects.create(
                    primary_name=names[0], nationalities=[service.country], country_of_residence=service.country,
                    sex="m", profile=["security_officer"], confidentiality="confidential",
                    description=f"Handles the service's sources abroad. {FICTION_NOTE}")
                handler.teams.set(informant.teams.all())
                handler.names.create(full_name=names[1], kind="transliteration", language="en")
                Relationship.objects.create(kind="employed_by", detail="handler", subject_person=handler,
                                            object_organisation=service, start=str(rng.randint(2008, 2014)),
                                            confidentiality="confidential").teams.set(informant.teams.all())
                handlers[service.pk] = handler
            reports = Relationship.objects.create(kind="informant_for", detail="reports to", subject_person=informant,
                                                  object_person=handler, start=link.start or str(rng.randint(2015, 2019)),
                                                  confidentiality="confidential")
            reports.teams.set(informant.teams.all())
            for citation in Citation.objects.filter(relationship=link):
                Citation.objects.create(source=citation.source, relationship=reports, locator=citation.locator)
            _suspect_in_incidents(rng, service.country, handler, informant)
    progress(f"  informant network: {len(handlers)} handlers")
    return len(handlers)


def _suspect_in_incidents(rng: random.Random, state: str, handler: Person, informant: Person) -> None:
    """Name the handler and the informant as suspected in incidents of ``state`` in different host countries."""
    by_host: dict[str, list[Incident]] = {}
    for incident in Incident.objects.filter(origin_state=state).exclude(host_country="").order_by("pk"):
        by_host.setdefault(incident.host_country, []).append(incident)
    hosts = sorted(by_host)
    for host in rng.sample(hosts, min(INCIDENTS_PER_HANDLER, len(hosts))):
        incident = rng.choice(by_host[host])
        for person in (handler, informant):
            if not IncidentPerpetrator.objects.filter(incident=incident, person=person).exists():
                IncidentPerpetrator.objects.create(incident=incident, person=person, degree="suspected")
