"""Pickers are named by their field for screen readers, and organisations are told apart by kind and state."""

from __future__ import annotations

import pytest

from shelter.registry.models import Organisation
from shelter.search.index import index_records

pytestmark = pytest.mark.django_db


def test_each_picker_is_named_by_its_field(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("editor").get("/incidents/new/").content.decode()
    assert 'aria-label="Type to search"' not in page
    assert 'class="picker-query"' in page


def test_organisations_of_the_same_name_show_their_state(client_for) -> None:  # type: ignore[no-untyped-def]
    for country in ("UZ", "TJ"):
        Organisation.objects.create(name="State Security Service", kind="security_service", country=country,
                                    confidentiality="internal")
    index_records("organisation")
    page = client_for("viewer").get("/autocomplete/organisation/", {"q": "security"}).content.decode()
    assert "Uzbekistan" in page and "Tajikistan" in page
