"""A small workspace of incidents at every confidentiality level, for two origin states."""

from __future__ import annotations

import pytest

STATES = ("UZ", "TJ")
HOSTS = ("TR", "RU", "DE", "")
TACTICS = ("unlawful_deportation", "extradition_request", "red_notice", "phishing", "threats_to_relatives",
           "rendition", "detention", "deportation_proceedings")
OUTCOMES = ("detained", "sentenced", "tortured", "unknown", "released", "disappeared", "ongoing")
# (confidentiality, published, team): every combination the visibility filter distinguishes.
LEVELS = (
    ("public", True, None),
    ("public", True, None),
    ("public", False, None),
    ("internal", False, None),
    ("confidential", False, "alpha"),
    ("confidential", False, "beta"),
    ("confidential", False, None),
)
# Words that appear only in records that are not published and public: a public output must not contain them.
SECRET_MARK = "Hushmark"


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests() -> None:
    """Kept figures live in the process's cache, rendered charts and PDFs also on disk: both outlive each test's
    database."""
    import shutil

    from django.core.cache import cache

    from shelter.analytics import charts
    from shelter.analytics.rendered import cache_dir

    cache.clear()
    charts._render.cache_clear()
    shutil.rmtree(cache_dir("charts").parent, ignore_errors=True)


@pytest.fixture
def workspace(users, teams):  # type: ignore[no-untyped-def]
    from shelter.analytics.models import Agreement
    from shelter.incidents.models import Incident, IncidentTarget, Source
    from shelter.registry.models import Person

    incidents = []
    for index in range(84):
        confidentiality, published, team = LEVELS[index % len(LEVELS)]
        is_public = confidentiality == "public" and published
        title = f"Case {index}" if is_public else f"{SECRET_MARK} case {index}"
        incident = Incident.objects.create(
            title=title, tactic=TACTICS[index % len(TACTICS)],
            date=f"{2014 + index % 11}-{1 + index % 12:02d}", origin_state=STATES[index % 5 % 2],
            host_country=HOSTS[index % 3], outcome=OUTCOMES[index % len(OUTCOMES)],
            verification="verified" if index % 4 == 0 else "unverified",
            confidentiality=confidentiality, published=published,
        )
        if team:
            incident.teams.add(teams[team])
        person = Person.objects.create(
            primary_name=f"Public Person {index}" if is_public else f"{SECRET_MARK} Person {index}",
            confidentiality=confidentiality, published=published,
        )
        if team:
            person.teams.add(teams[team])
        IncidentTarget.objects.create(incident=incident, person=person)
        incidents.append(incident)
    source = Source.objects.create(title="EU Council press release", publisher="Council of the EU",
                                   confidentiality="public", published=True)
    hidden_source = Source.objects.create(title=f"{SECRET_MARK} cable", confidentiality="internal")
    public_agreement = Agreement.objects.create(
        state="UZ", partner="European Union", name="Enhanced Partnership and Cooperation Agreement",
        kind="partnership", status="negotiating", next_milestone="Initialling",
        next_milestone_date="2027", confidentiality="public", published=True,
    )
    public_agreement.sources.add(source, hidden_source)
    Agreement.objects.create(state="UZ", partner="Germany", name=f"{SECRET_MARK} readmission arrangement",
                             kind="migration", status="proposed", confidentiality="internal")
    return incidents


def audiences(users):  # type: ignore[no-untyped-def]
    """Every audience a figure can be computed for, with the viewer the visibility filter receives."""
    from shelter.analytics.services import Audience

    found = {name: Audience(user) for name, user in users.items()}
    found["anonymous"] = Audience(None, public=True)
    found["editor_public_version"] = Audience(users["editor"], public=True)
    return found
