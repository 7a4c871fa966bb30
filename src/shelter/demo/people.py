"""The demo's organisations and people: state bodies, embassies, movements, exiles, their relatives and agents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from shelter.demo.builder import (
    DESK_OF_ORIGIN,
    EURASIA_DESK,
    FICTION_NOTE,
    RELATIVE_KINDS,
    BuilderBase,
    Exile,
)
from shelter.demo.catalogue import NamePart, OriginNames


class PeopleBuilder(BuilderBase):
    def _name_parts(self, origin: OriginNames, sex: str, surname: NamePart | None = None
                    ) -> tuple[NamePart, NamePart, NamePart | None]:
        given = self.rng.choice(origin.male if sex == "m" else origin.female)
        surname = surname or self.rng.choice(origin.surnames)
        patronymic = None
        pool = origin.patronymics if sex == "m" else origin.patronymics_female
        if pool and self.rng.random() < 0.5:
            patronymic = self.rng.choice(pool)
        if sex == "f" and origin.feminine is not None:
            surname = origin.feminine.apply(surname)
        return given, surname, patronymic

    def _person(self, origin_code: str, sex: str, *, residence: str, profile: list[str], dob_years: tuple[int, int],
                surname: NamePart | None = None, description: str = "") -> Any:
        from shelter.registry.models import NameKind, Person, PersonName, detect_script

        origin = self.catalogue.origins[origin_code]
        given, family, patronymic = self._name_parts(origin, sex, surname)
        parts = [p for p in (given, patronymic, family) if p]
        native = " ".join(p.native for p in parts)
        other = " ".join(p.latin for p in parts)
        # For Cyrillic and Arabic names the second form is the Latin romanisation; for names written in Latin
        # today (Turkmen, Azerbaijani, Turkish) it is the Russian Cyrillic form found in older documents.
        latin, latin_given, latin_family = ((native, given.native, family.native) if origin.native_is_latin
                                            else (other, given.latin, family.latin))
        # Researchers mostly file people under a Latin spelling; some files keep the native form.
        primary = latin if self.rng.random() < 0.7 else native
        person = Person(
            primary_name=primary, sex=sex, nationalities=[origin_code], country_of_residence=residence,
            dob=self._date(date(dob_years[0], 1, 1), date(dob_years[1], 12, 31), (5, 2, 3)),
            profile=profile, description=f"{description} {FICTION_NOTE}".strip(),
        )
        person._family_name = family  # type: ignore[attr-defined]  # relatives share it
        person._latin_name = latin  # type: ignore[attr-defined]  # incident titles use it
        forms = [
            (native, NameKind.NATIVE, given.native, family.native, patronymic.native if patronymic else "",
             origin.language),
            (other, NameKind.TRANSLITERATION, given.latin, family.latin, patronymic.latin if patronymic else "",
             "ru" if origin.native_is_latin else ""),
        ]
        if self.rng.random() < 0.3:
            # Passports and notices often write the surname first, in capitals.
            forms.append((f"{latin_family.upper()} {latin_given.upper()}", NameKind.ALIAS, latin_given,
                          latin_family, "", ""))
        for full_name, kind, given_part, surname_part, patronymic_part, language in forms:
            self.workspace.names.append(PersonName(
                person=person, full_name=full_name, given_name=given_part, surname=surname_part,
                patronymic=patronymic_part, language=language, kind=kind, script=detect_script(full_name),
            ))
        self.workspace.people.append(person)
        return person

    def _relationship(self, kind: str, subject: Any, obj: Any, detail: str = "", start: str = "",
                      confidentiality: str | None = None, origin: str = "") -> Any:
        from shelter.registry.models import Organisation, Relationship

        relationship = Relationship(kind=kind, detail=detail, start=start, description=FICTION_NOTE)
        if isinstance(subject, Organisation):
            relationship.subject_organisation = subject
        else:
            relationship.subject_person = subject
        if isinstance(obj, Organisation):
            relationship.object_organisation = obj
        else:
            relationship.object_person = obj
        if confidentiality is None:
            self._confidentiality(relationship, origin, public=0.3, internal=0.5)
        else:
            relationship.confidentiality = confidentiality
            if confidentiality == "confidential":
                self.workspace.team_of[id(relationship)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
        self.workspace.relationships.append(relationship)
        return relationship

    def build_organisations(self) -> None:
        from shelter.registry.models import Organisation

        def add(name: str, kind: str, country: str, *, aliases: Sequence[str] = (), description: str = "",
                level: str = "public", published: bool = True, origin: str = "") -> Organisation:
            organisation = Organisation(name=name, kind=kind, country=country, aliases=list(aliases),
                                        description=f"{description} {FICTION_NOTE}".strip(),
                                        confidentiality=level, published=published and level == "public")
            if level == "confidential":
                self.workspace.team_of[id(organisation)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
            self.workspace.organisations.append(organisation)
            return organisation

        for origin in self.catalogue.origins:
            country = self.country_name(origin)
            self.state_bodies[origin] = {
                spec["kind"]: add(spec["name"].format(country=country), spec["kind"], origin)
                for spec in self.catalogue.state_organisations
            }
            for host in self.catalogue.diaspora[origin][:3]:
                self.embassies[(origin, host)] = add(
                    f"Embassy of {country} in {self.country_name(host)}", "embassy", host,
                    description=f"Diplomatic mission of {country}.")
            movement = self.catalogue.movements[origin]
            self.state_bodies[origin]["party"] = add(movement, "party", origin, level="public", published=True,
                                                     description=f"Opposition movement of {country} in exile.")
            main_host = self.catalogue.diaspora[origin][0]
            self.state_bodies[origin]["diaspora"] = add(
                f"{country} Community Association of {self.catalogue.hosts[main_host][0]}", "diaspora", main_host,
                level="internal", published=False, description="Diaspora association; some members report to the embassy.")
        for spec in self.catalogue.organisations:
            organisation = add(spec["name"], spec["kind"], spec["country"], aliases=spec.get("aliases", ()),
                               description=spec.get("description", ""))
            if spec["kind"] == "surveillance_vendor":
                self.vendors.append(organisation)

    def build_people(self, exiles_per_origin: int = 18) -> None:
        professions = ("opposition", "journalist", "activist", "religious_figure", "former_insider", "blogger",
                       "lawyer")
        statuses = ("refugee", "asylum_seeker", "resident", "citizen_of_host", "undocumented", "")
        for origin in self.catalogue.origins:
            for _ in range(exiles_per_origin):
                host = self._weighted(self.catalogue.diaspora[origin])
                sex = self.rng.choices(("m", "f"), weights=(3, 2))[0]
                person = self._person(origin, sex, residence=host, dob_years=(1955, 2000),
                                      profile=self.rng.sample(professions, self.rng.choice((1, 1, 2))),
                                      description="Lives in exile.")
                person.status_abroad = self.rng.choice(statuses)
                person.at_risk = self.rng.random() < 0.35
                self._confidentiality(person, origin, public=0.35, internal=0.4, published=0.7)
                exile = Exile(person, origin, host, self.rng.choice(self.catalogue.hosts[host]))
                self.exiles[origin].append(exile)
                if "opposition" in person.profile or self.rng.random() < 0.3:
                    self._relationship("member_of", person, self.state_bodies[origin]["party"],
                                       start=str(self.rng.randint(2005, 2020)), origin=origin)
                for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
                    self._add_relative(exile)
            leader = self.exiles[origin][0].person
            self._relationship("leads", leader, self.state_bodies[origin]["party"], detail="chair",
                               confidentiality="public")
            for index in range(2):
                self._add_agent(origin, informant=index == 1)

    def _add_relative(self, exile: Exile) -> None:
        detail, sex = self.rng.choice(RELATIVE_KINDS)
        relative = self._person(exile.origin, sex, residence=exile.origin, dob_years=(1940, 2010),
                                profile=["relative"], surname=exile.person._family_name,
                                description="Lives in the origin state.")
        # Relatives at home are the most exposed people in a file: never public.
        relative.confidentiality = "confidential" if self.rng.random() < 0.5 else "internal"
        if relative.confidentiality == "confidential":
            self.workspace.team_of[id(relative)] = DESK_OF_ORIGIN.get(exile.origin, EURASIA_DESK)
        exile.relatives.append(relative)
        self._relationship("family", relative, exile.person, detail=detail,
                           confidentiality=relative.confidentiality, origin=exile.origin)

    def _add_agent(self, origin: str, informant: bool) -> None:
        host = self.catalogue.diaspora[origin][0]
        agent = self._person(origin, "m", residence=host if informant else origin, dob_years=(1965, 1995),
                             profile=["informant" if informant else "security_officer"],
                             description="Named by several witnesses.")
        agent.confidentiality = "confidential"
        self.workspace.team_of[id(agent)] = DESK_OF_ORIGIN.get(origin, EURASIA_DESK)
        service = self.state_bodies[origin]["security_service"]
        if informant:
            self._relationship("informant_for", agent, service, detail="handler's source",
                               confidentiality="confidential", origin=origin)
            self._relationship("member_of", agent, self.state_bodies[origin]["diaspora"],
                               confidentiality="confidential", origin=origin)
        else:
            self._relationship("employed_by", agent, service, detail="officer", confidentiality="confidential",
                               origin=origin)
        self.agents[origin].append(agent)

