"""Evidence on an indicator answer names its source and incident by a picker (search by name among the records the
writer may see), never by a typed number; a record the writer may not see is refused with a message."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from shelter.incidents.models import Incident, Source
from shelter.notices.models import Notice, ReviewEvidence
from shelter.search.index import index_records

pytestmark = pytest.mark.django_db


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def notice(imported) -> Notice:  # type: ignore[no-untyped-def]
    return Notice.objects.get(entity_id="2022/46614")


@pytest.fixture
def answered(notice: Notice, users: Any) -> Client:
    editor = _browser(users["editor"])
    response = editor.post(f"/notices/{notice.pk}/assessment/RN-02/",
                           {"answer": "present", "note": "Charges follow his articles", "confidentiality": "internal"})
    assert response.status_code == 302
    return editor


def test_each_row_offers_pickers_named_apart(notice: Notice, answered: Client) -> None:
    page = answered.get(f"/notices/{notice.pk}/assessment/").content.decode()
    assert 'type="number"' not in page
    assert "/autocomplete/source/" in page and "/autocomplete/incident/" in page
    ids = re.findall(r'id="(id_RN-\d+_(?:source|incident))"', page)
    assert ids and len(ids) == len(set(ids))


def test_a_visible_source_and_incident_are_attached(notice: Notice, answered: Client) -> None:
    source = Source.objects.create(title="ZQ court ruling", confidentiality="internal")
    incident = Incident.objects.create(title="ZQ detention in Istanbul", tactic="detention", date="2021-03",
                                       origin_state="TJ", confidentiality="internal")
    response = answered.post(f"/notices/{notice.pk}/assessment/RN-02/evidence/",
                             {"note": "ruling", "source": source.pk, "incident": incident.pk}, follow=True)
    assert "Evidence attached." in response.content.decode()
    evidence = ReviewEvidence.objects.get()
    assert (evidence.source, evidence.incident) == (source, incident)


def test_a_hidden_source_is_refused_and_nothing_attached(notice: Notice, answered: Client, teams: Any) -> None:
    hidden = Source.objects.create(title="ZQ sealed file", confidentiality="confidential")
    hidden.teams.add(teams["beta"])  # the editor is in team alpha
    response = answered.post(f"/notices/{notice.pk}/assessment/RN-02/evidence/",
                             {"note": "sealed", "source": hidden.pk}, follow=True)
    page = response.content.decode()
    assert "That record does not exist or you may not see it." in page
    assert "ZQ sealed file" not in page
    assert not ReviewEvidence.objects.exists()


def test_the_incident_picker_finds_only_incidents_the_writer_may_see(users: Any, teams: Any) -> None:
    Incident.objects.create(title="Zqvisible abduction", tactic="rendition", date="2020", origin_state="TJ",
                            confidentiality="internal")
    hidden = Incident.objects.create(title="Zqhidden abduction", tactic="rendition", date="2020", origin_state="TJ",
                                     confidentiality="confidential")
    hidden.teams.add(teams["beta"])
    index_records("incident")
    found = _browser(users["editor"]).get("/autocomplete/incident/", {"q": "abduction", "target": "id_RN-02_incident"})
    assert "Zqvisible abduction" in found.content.decode()
    assert "Zqhidden abduction" not in found.content.decode()
