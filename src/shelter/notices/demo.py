"""Fictional notices for the demo workspace: Red Notices and a diffusion naming some of the demo's people as a
notice writes them (Latin capitals, issued by the state they fled), and one naming nobody in the registry,
imported and screened as any import is, so that the notice list, its candidates and the indicators have
something to show."""

from __future__ import annotations

from collections.abc import Callable

from shelter.notices.intake.formats.records import ChargeData, NoticeData

# Issuing state: (kind, charge as the requesting state words it, its English translation). Fictional wording in
# the style of the charges that the legal indicators look at: political or religious offences, vague
# "extremism", and one ordinary-law charge for contrast.
CHARGES: dict[str, tuple[str, str, str]] = {
    "UZ": ("red_notice", "Посягательство на конституционный строй Республики Узбекистан (ст. 159 УК)",
           "Encroachment on the constitutional order of the Republic of Uzbekistan (Art. 159 CC)"),
    "TJ": ("red_notice", "Участие в деятельности экстремистской организации (ст. 307.3 УК)",
           "Participation in the activity of an extremist organisation (Art. 307.3 CC)"),
    "RU": ("diffusion", "Публичные призывы к осуществлению экстремистской деятельности (ст. 280 УК РФ)",
           "Public calls for extremist activity (Art. 280 CC RF)"),
    "BY": ("red_notice", "Организация действий, грубо нарушающих общественный порядок (ст. 342 УК)",
           "Organising actions grossly violating public order (Art. 342 CC)"),
    "TM": ("red_notice", "Мошенничество в особо крупном размере (ст. 228 УК)",
           "Fraud on an especially large scale (Art. 228 CC)"),
}
# A notice whose subject the registry does not hold: screening finds no one.
STRANGER = NoticeData(entity_id="DEMO/2024/9001", origin="manual", forename="TIMUR", surname="DEMOSTRANGER",
                      dob="1979-02-11", sex="m", nationalities=("KG",), issuing_state="KG", has_details=True,
                      charges=(ChargeData("Мошенничество (ст. 209 УК)", "Fraud (Art. 209 CC)", "KG"),))


def add_demo_notices(progress: Callable[[str], None]) -> int:
    """Import and screen the fictional notices (as the operator); returns how many were imported."""
    from shelter.notices.intake.importing import import_notices
    from shelter.notices.screening.notices import screen_notices

    progress("Adding fictional notices and screening them against the registry...")
    records = [*_notices_of_demo_people(), STRANGER]
    public = [record for record in records if record.kind == "red_notice"]
    diffusions = [record for record in records if record.kind != "red_notice"]
    # Interpol publishes some Red Notices; a diffusion is sent between police forces and is not public.
    changed = import_notices(public).to_screen + import_notices(diffusions, confidentiality="internal",
                                                                published=False).to_screen
    screen_notices(changed)
    return len(records)


def _notices_of_demo_people() -> list[NoticeData]:
    """One notice per issuing state, on the first public person of that nationality with a Latin name in parts."""
    from shelter.registry.models import PersonName

    names = (PersonName.objects.filter(person__confidentiality="public", person__published=True, script="Latn")
             .exclude(given_name="").exclude(surname="").select_related("person").order_by("person_id", "pk"))
    first_of: dict[str, PersonName] = {}
    for name in names:
        for state in name.person.nationalities:
            first_of.setdefault(state, name)
    notices = []
    for number, (state, (kind, charge, translation)) in enumerate(CHARGES.items(), start=1):
        if state not in first_of:
            continue
        name = first_of[state]
        person = name.person
        notices.append(NoticeData(
            entity_id=f"DEMO/2024/{number:04d}", origin="manual", kind=kind, forename=name.given_name.upper(),
            surname=name.surname.upper(), dob=person.dob, sex=person.sex, nationalities=(state,),
            issuing_state=state, has_details=True, charges=(ChargeData(charge, translation, state),)))
    return notices
