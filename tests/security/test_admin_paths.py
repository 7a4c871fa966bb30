"""The Django admin passes through the visibility filter on every page (findings 1 and 10): raw-id labels,
choosers, list filters, delete confirmations and history name only what the curator may see; a hidden
record's pages answer 404 exactly like a missing one; the case-team picker offers the curator's own teams.

The editor (team alpha, confidential clearance) works beside records of team beta that they may not see.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shelter.access.models import Team
from shelter.access.writes import save_audited
from shelter.incidents.models import Citation, Incident, IncidentTarget, Source
from shelter.registry.models import Person, PersonName, Relationship

pytestmark = pytest.mark.django_db


def _record(model: type, team: Team | None, level: str = "confidential", **fields: Any) -> Any:
    record = model.objects.create(confidentiality=level, **fields)
    if team is not None:
        record.teams.add(team)
    return record


@pytest.fixture
def beta(teams) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Confidential records of team beta, each named ZQBETA...; and an internal person everyone sees, linked to
    them."""
    team = teams["beta"]
    person = _record(Person, team, primary_name="ZQBETAPERSON")
    PersonName.objects.create(person=person, full_name="ZQBETANAME")
    incident = _record(Incident, team, title="ZQBETAINCIDENT", tactic="detention", date="2021")
    source = _record(Source, team, title="ZQBETASOURCE")
    visible = _record(Person, None, "internal", primary_name="Visible Person")
    relationship = _record(Relationship, team, kind="family", subject_person=visible, object_person=person,
                           detail="ZQBETARELATIONSHIP")
    target = IncidentTarget.objects.create(incident=incident, person=visible)
    return {"person": person, "incident": incident, "source": source, "relationship": relationship,
            "visible": visible, "target": target}


@pytest.fixture
def editor(users) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["editor"])
    return client


def _text(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_raw_id_labels_never_name_hidden_records(beta, editor, users):  # type: ignore[no-untyped-def]
    ids = {kind: record.pk for kind, record in beta.items()}
    pages = [
        "/admin/incidents/citation/add/?incident={incident}&person={person}&source={source}"
        "&relationship={relationship}",
        "/admin/incidents/incidenttarget/add/?incident={incident}&person={person}",
        "/admin/incidents/incidentperpetrator/add/?incident={incident}&person={person}",
        "/admin/registry/relationship/add/?subject_person={person}&object_person={person}",
        "/admin/registry/personname/add/?person={person}",
    ]
    for page in pages:
        text = _text(editor, page.format(**ids))
        assert "ZQBETA" not in text, page
    # the same pages name the records the editor may see
    text = _text(editor, f"/admin/registry/personname/add/?person={beta['visible'].pk}")
    assert "Visible Person" in text
    admin = Client()
    admin.force_login(users["admin"])
    assert "ZQBETAPERSON" in _text(admin, f"/admin/registry/personname/add/?person={beta['person'].pk}")


def test_a_hidden_record_cannot_be_linked_from_the_admin(beta, editor):  # type: ignore[no-untyped-def]
    response = editor.post("/admin/registry/personname/add/", {"person": beta["person"].pk, "full_name": "Alias",
                                                              "script": "Latn", "kind": "alias"})
    assert response.status_code == 200  # the form again, with the same error as for a missing id
    assert not PersonName.objects.filter(full_name="Alias").exists()
    assert "ZQBETA" not in response.content.decode()


@pytest.mark.parametrize("page", ["/admin/incidents/incident/{pk}/history/", "/admin/incidents/incident/{pk}/change/",
                                  "/admin/incidents/incident/{pk}/history/{version}/"])
def test_hidden_record_pages_answer_like_missing_ones(page, beta, editor):  # type: ignore[no-untyped-def]
    hidden = beta["incident"]
    version = hidden.history.latest().history_id
    missing = _record(Incident, None, "internal", title="Gone", tactic="detention", date="2021")
    missing_version = missing.history.latest().history_id
    Incident.objects.filter(pk=missing.pk).delete()
    for_hidden = editor.get(page.format(pk=hidden.pk, version=version))
    for_missing = editor.get(page.format(pk=missing.pk, version=missing_version))
    assert for_hidden.status_code == for_missing.status_code
    assert for_hidden.status_code in (302, 404)
    assert "ZQBETA" not in for_hidden.content.decode()


def test_admin_history_hides_versions_the_curator_could_not_see(beta, editor, users):  # type: ignore[no-untyped-def]
    incident = Incident.objects.get(pk=beta["incident"].pk)
    incident.title = "Shared incident"  # renamed within team beta, then shared with alpha
    save_audited(incident, users["researcher"])
    incident.teams.add(Team.objects.get(name="alpha"))
    text = _text(editor, f"/admin/incidents/incident/{incident.pk}/history/")
    assert "Shared incident" in text and "restricted change" in text
    assert "ZQBETAINCIDENT" not in text
    first = incident.history.earliest().history_id
    assert editor.get(f"/admin/incidents/incident/{incident.pk}/history/{first}/").status_code == 404


def test_delete_confirmation_names_nothing_hidden_and_delete_keeps_it(beta, editor):  # type: ignore[no-untyped-def]
    visible = beta["visible"]
    url = f"/admin/registry/person/{visible.pk}/delete/"
    text = _text(editor, url)
    assert "Visible Person" in text and "ZQBETA" not in text
    assert 'name="post"' in text  # a plain confirmation: no refusal that names the kind of a hidden row
    response = editor.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=visible.pk).exists()
    assert Person._base_manager.filter(pk=visible.pk, deleted__isnull=False).exists()  # soft: in the trash
    assert Relationship._base_manager.filter(pk=beta["relationship"].pk).exists()
    assert IncidentTarget._base_manager.filter(pk=beta["target"].pk).exists()


def test_delete_selected_action_names_nothing_hidden(beta, editor):  # type: ignore[no-untyped-def]
    visible = beta["visible"]
    text = editor.post("/admin/registry/person/", {"action": "delete_selected", "_selected_action": [visible.pk]}
                       ).content.decode()
    assert "Visible Person" in text and "ZQBETA" not in text


def test_team_picker_and_filter_offer_the_curators_own_teams(beta, editor, users, teams):  # type: ignore[no-untyped-def]
    form = _text(editor, "/admin/incidents/incident/add/")
    assert ">alpha<" in form and ">beta<" not in form
    listing = _text(editor, "/admin/incidents/incident/")
    assert f"teams__id__exact={teams['alpha'].pk}" in listing
    assert f"teams__id__exact={teams['beta'].pk}" not in listing
    admin = Client()
    admin.force_login(users["admin"])
    assert ">beta<" in _text(admin, "/admin/incidents/incident/add/")


def test_saving_in_the_admin_keeps_the_teams_outside_the_curators_reach(beta, editor, teams):  # type: ignore[no-untyped-def]
    incident = _record(Incident, teams["alpha"], title="Shared", tactic="detention", date="2021", origin_state="UZ")
    incident.teams.add(teams["beta"])
    page = f"/admin/incidents/incident/{incident.pk}/change/"
    data = {"title": "Shared, renamed", "tactic": "detention", "date": "2021", "confidentiality": "confidential",
            "teams": [teams["alpha"].pk], "verification": incident.verification, "outcome": incident.outcome,
            "origin_state": "UZ", "host_country": "", "place": "", "end_date": "", "description": ""}
    response = editor.post(page, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.title == "Shared, renamed"
    assert set(incident.teams.values_list("name", flat=True)) == {"alpha", "beta"}
    assert incident.history.latest().history_user.username == "editor"


def test_citation_list_and_changes_stay_within_reach(beta, editor):  # type: ignore[no-untyped-def]
    hub = _record(Incident, None, "internal", title="Hub incident", tactic="detention", date="2021")
    citation = Citation.objects.create(source=beta["source"], incident=hub, locator="p. 1")
    assert "ZQBETA" not in _text(editor, "/admin/incidents/citation/")
    assert editor.get(f"/admin/incidents/citation/{citation.pk}/change/").status_code in (302, 404)
