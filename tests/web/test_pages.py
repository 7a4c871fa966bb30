"""Every page shows exactly what the visibility filter allows, for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Who sees which level (fixtures: the viewer has internal clearance and team alpha; the researcher is in
# team beta, so the alpha-confidential records stay hidden from them).
SEES = {
    None: {"public"},
    "viewer_public": {"public"},
    "viewer": {"public", "internal"},
    "researcher": {"public", "internal"},
    "outsider": {"public", "internal"},
    "editor": {"public", "internal", "confidential"},
    "admin": {"public", "internal", "confidential"},
}
DETAIL_URLS = {
    "incident": "incidents:incident",
    "person": "registry:person",
    "organisation": "registry:organisation",
    "source": "incidents:source",
}
LIST_URLS = {
    "incident": ("incidents:list", "title"),
    "person": ("registry:people", "primary_name"),
    "organisation": ("registry:organisations", "name"),
    "source": ("incidents:sources", "title"),
}


@pytest.mark.parametrize("kind", list(DETAIL_URLS))
def test_detail_pages_answer_404_for_hidden_records(records, client_for, kind):  # type: ignore[no-untyped-def]
    for who, levels in SEES.items():
        client = client_for(who)
        for level in ("public", "internal", "confidential"):
            record = records[level][kind]
            response = client.get(reverse(DETAIL_URLS[kind], args=[record.pk]))
            expected = 200 if level in levels else 404
            assert response.status_code == expected, (who, kind, level)


@pytest.mark.parametrize("kind", list(LIST_URLS))
def test_lists_show_only_visible_records(records, client_for, kind):  # type: ignore[no-untyped-def]
    url, label_field = LIST_URLS[kind]
    for who, levels in SEES.items():
        page = client_for(who).get(reverse(url)).content.decode()
        for level in ("public", "internal", "confidential"):
            label = getattr(records[level][kind], label_field)
            assert (label in page) == (level in levels), (who, kind, level)


def test_related_lists_on_a_detail_page_are_filtered(records, client_for):  # type: ignore[no-untyped-def]
    from shelter.incidents.models import Citation, IncidentTarget

    public_incident = records["public"]["incident"]
    # Link the confidential person and source to the public incident: a viewer must not see them there.
    IncidentTarget.objects.create(incident=public_incident, person=records["confidential"]["person"])
    Citation.objects.create(source=records["confidential"]["source"], incident=public_incident)
    page = client_for("viewer").get(public_incident.get_absolute_url()).content.decode()
    assert records["public"]["person"].primary_name in page
    assert records["confidential"]["person"].primary_name not in page
    assert records["confidential"]["source"].title not in page
    page = client_for("editor").get(public_incident.get_absolute_url()).content.decode()
    assert records["confidential"]["person"].primary_name in page


def test_person_page_shows_names_in_every_script_and_relationships(records, client_for):  # type: ignore[no-untyped-def]
    person = records["internal"]["person"]
    page = client_for("viewer").get(person.get_absolute_url()).content.decode()
    assert "Рустам Internalов" in page
    assert "Agency internal" in page  # the employed_by relationship
    assert "Detention in Istanbul internal" in page


def test_facet_counts_are_computed_on_the_visible_queryset(records, client_for):  # type: ignore[no-untyped-def]
    from shelter.access.visibility import visible_to
    from shelter.incidents.models import Incident
    from shelter.web.facets import FacetSpec, apply_facets

    specs = (FacetSpec("tactic", "tactic", "Tactic"), FacetSpec("year", "year", "Year"))
    for who, expected in (("viewer_public", 1), ("viewer", 2), ("editor", 3)):
        from shelter.access.models import User

        visible = visible_to(Incident.objects.all(), User.objects.get(username=who))
        _, facets = apply_facets(visible, specs, {})
        assert [(o.value, o.count) for o in facets[0].options] == [("detention", expected)], who
    page = client_for("viewer").get(reverse("incidents:list")).content.decode()
    assert 'class="count">2<' in page


def test_facet_filters_narrow_the_list(records, client_for):  # type: ignore[no-untyped-def]
    from shelter.incidents.models import Incident

    Incident.objects.create(title="Red notice against a journalist", tactic="red_notice", date="2019",
                            origin_state="TJ", host_country="PL", confidentiality="public", published=True)
    client = client_for("viewer")
    page = client.get(reverse("incidents:list"), {"tactic": "red_notice"}).content.decode()
    assert "Red notice against a journalist" in page and "Detention in Istanbul public" not in page
    page = client.get(reverse("incidents:list"), {"year": "2021", "origin_state": "UZ"}).content.decode()
    assert "Red notice against a journalist" not in page and "Detention in Istanbul public" in page
    # A year that is not a number is ignored, not an error.
    assert client.get(reverse("incidents:list"), {"year": "20x1"}).status_code == 200


def test_list_search_and_pagination(records, client_for):  # type: ignore[no-untyped-def]
    from shelter.incidents.models import Incident
    from tests.web.conftest import reindex

    Incident.objects.bulk_create([
        Incident(title=f"Phishing wave {n}", tactic="phishing", date="2022", year=2022, origin_state="RU",
                 confidentiality="public", published=True) for n in range(30)
    ])
    reindex()
    client = client_for("viewer")
    first = client.get(reverse("incidents:list"), {"q": "phishing"}).content.decode()
    assert "Page 1 of 2" in first and "Detention in Istanbul" not in first
    second = client.get(reverse("incidents:list"), {"q": "phishing", "page": 2}).content.decode()
    assert "Phishing wave" in second and "Page 2 of 2" in second


def test_search_page_finds_people_in_both_scripts_and_respects_visibility(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    for query in ("Рустам", "Rustam", "Internalov"):
        page = client.get(reverse("web:search"), {"q": query}).content.decode()
        assert "Rustam Internalov" in page, query
        assert "Rustam Confidentialov" not in page, query
    page = client_for("editor").get(reverse("web:search"), {"q": "рустам"}).content.decode()
    assert "Rustam Confidentialov" in page


def test_dashboard_counts_through_the_visibility_filter(records, client_for):  # type: ignore[no-untyped-def]
    page = client_for("viewer_public").get(reverse("web:dashboard"))
    assert page.context["counts"] == {"incidents": 1, "people": 1, "organisations": 1, "sources": 1}
    assert "Detention in Istanbul internal" not in page.content.decode()
    page = client_for("admin").get(reverse("web:dashboard"))
    assert page.context["counts"]["incidents"] == 3


def test_autocomplete_offers_only_visible_people(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for("researcher")
    html = client.get(reverse("web:autocomplete", args=["person"]), {"q": "Rustam", "target": "x"}).content.decode()
    assert "Rustam Publicov" in html and "Rustam Internalov" in html
    assert "Rustam Confidentialov" not in html
    html = client_for("editor").get(reverse("web:autocomplete", args=["person"]), {"q": "Рустам"}).content.decode()
    assert "Rustam Confidentialov" in html
    assert client.get(reverse("web:autocomplete", args=["nothing"]), {"q": "x"}).status_code == 404


def test_anonymous_visitors_see_published_public_records_only(records, client_for):  # type: ignore[no-untyped-def]
    client = client_for(None)
    assert client.get(reverse("web:dashboard")).status_code == 302
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Detention in Istanbul public" in page and "internal" not in page.split("<main")[1].split("</main>")[0]
    assert client.get(reverse("web:autocomplete", args=["person"]), {"q": "Rustam"}).status_code == 302


def test_text_is_escaped_never_rendered_as_html(records, client_for):  # type: ignore[no-untyped-def]
    incident = records["public"]["incident"]
    incident.description = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    incident.save()
    page = client_for("viewer").get(incident.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("params", [
    {}, {"tactic": "detention"}, {"tactic": "detention", "year": "2021"}, {"year": "2019", "origin_state": "TJ"},
    {"tactic": "assault"}, {"year": "1990"}, {"year": "20x1"},
])
def test_facets_read_once_agree_with_the_grouped_queries(params, records):  # type: ignore[no-untyped-def]
    from shelter.access.models import User
    from shelter.access.visibility import visible_to
    from shelter.incidents.models import Incident
    from shelter.incidents.views import INCIDENT_FACETS
    from shelter.web.facets import apply_facets, facets_in_one_reading

    for year, tactic, origin, host in (("2021", "detention", "TJ", "TR"), ("2021", "red_notice", "UZ", "DE"),
                                       ("2019", "detention", "TJ", ""), ("2019", "red_notice", "TJ", "TR"),
                                       ("2020", "detention", "RU", "")):
        Incident.objects.create(title=f"Generated {tactic} {year}", tactic=tactic, date=year, origin_state=origin,
                                host_country=host, confidentiality="public", published=True)
    visible = visible_to(Incident.objects.all(), User.objects.get(username="viewer"))
    narrowed, facets = apply_facets(visible, INCIDENT_FACETS, params)
    read_once = facets_in_one_reading(visible, INCIDENT_FACETS, params, most=100)
    assert read_once is not None
    narrowed_once, facets_once, count = read_once
    assert facets_once == facets
    assert sorted(narrowed_once.values_list("pk", flat=True)) == sorted(narrowed.values_list("pk", flat=True))
    assert count == narrowed.count()
    assert facets_in_one_reading(visible, INCIDENT_FACETS, params, most=visible.count() - 1) is None


def test_a_search_with_facets_lists_and_counts_only_visible_matches(records, client_for):  # type: ignore[no-untyped-def]
    page = client_for("viewer_public").get(reverse("incidents:list"), {"q": "istanbul", "tactic": "detention"})
    text = page.content.decode()
    assert 'class="count">1<' in text and "Detention in Istanbul public" in text
    assert "Detention in Istanbul internal" not in text
