"""The licence assessment counts a state's incidents in the database (by tactic, digital ones, those of the end
user, those naming the product) and loads only the first lines of evidence; its answers are the ones the rules
give over the full list of incidents, for every viewer, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shelter.incidents.models import Incident, IncidentPerpetrator
from shelter.registry.models import Organisation
from shelter.surveillance import assess as core
from shelter.surveillance import services
from shelter.surveillance.assessment import AssessmentRequest, _as_facts, facts_for, find_product
from shelter.surveillance.models import IncidentProduct

pytestmark = pytest.mark.django_db

TACTICS = ("spyware", "detention", "phishing", "direct_threats", "spyware", "rendition")


def _incidents(count: int, agency: Organisation, other: Organisation, product_pk: int, editor,  # type: ignore[no-untyped-def]
               start: int = 0) -> None:
    for n in range(start, start + count):
        hidden = n % 7 == 0
        incident = Incident.objects.create(
            title=f"Incident {n}", tactic=TACTICS[n % len(TACTICS)], date=f"{2000 + n % 20}-{1 + n % 12:02d}",
            origin_state="UZ" if n % 9 else "TJ", host_country="DE",
            confidentiality="confidential" if hidden else "internal")
        if hidden:
            incident.teams.add(editor.teams.get())
        if n % 3 == 0:
            IncidentPerpetrator.objects.create(incident=incident, organisation=agency)
        if n % 4 == 0:
            IncidentPerpetrator.objects.create(incident=incident, organisation=other)
        if n % 2 == 0:
            IncidentProduct.objects.create(incident=incident, product_id=product_pk)


@pytest.fixture
def record(users):  # type: ignore[no-untyped-def]
    editor = users["editor"]
    agency = Organisation.objects.create(name="State Security Service", aliases=["SSS", "Служба безопасности"],
                                         kind="security_service", country="UZ", confidentiality="internal")
    other = Organisation.objects.create(name="Border Guard", kind="security_service", country="UZ",
                                        confidentiality="internal")
    vendor = services.save_vendor(editor, {"name": "Fictional Intrusion Ltd", "confidentiality": "internal"})
    product = services.save_product(editor, {"vendor": vendor.pk, "name": "Pegasus", "family": "Pegasus",
                                             "capabilities": ["spyware"], "confidentiality": "internal"})
    _incidents(70, agency, other, product.pk, editor)
    return {"agency": agency, "other": other, "product": product}


def _full_list_report(request: AssessmentRequest, viewer) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The rules over every incident concerned, loaded one by one, as the assessment did before it counted."""
    from django.db.models import Q

    from shelter.access.visibility import visible_to

    product = find_product(request.product, viewer)
    condition = Q(origin_state=request.destination)
    if product is not None:
        condition |= Q(pk__in=visible_to(IncidentProduct.objects.filter(product=product), viewer).values("incident"))
    incidents = list(visible_to(Incident.objects.filter(condition), viewer).order_by("date_from", "pk"))
    facts = dataclasses.replace(facts_for(request, viewer), record=None,
                                incidents=_as_facts(incidents, product, viewer))
    return core.report(facts)


@pytest.mark.parametrize("viewer_name", ["editor", "researcher", None])
@pytest.mark.parametrize("end_user", ["sss", "служба БЕЗОПАСНОСТИ", "Border Guard", "Nobody", ""])
@pytest.mark.parametrize("destination", ["UZ", "TJ"])
def test_counted_answers_equal_the_rules_over_every_incident(record, users, viewer_name, end_user,  # type: ignore[no-untyped-def]
                                                             destination) -> None:
    viewer = users[viewer_name] if viewer_name else None
    request = AssessmentRequest.from_mapping({"product": "Pegasus", "destination": destination,
                                              "end_user": end_user})
    counted = core.report(facts_for(request, viewer))
    assert counted == _full_list_report(request, viewer)


def test_long_evidence_shows_the_first_lines_and_how_many_more(record, users) -> None:  # type: ignore[no-untyped-def]
    request = AssessmentRequest.from_mapping({"product": "Pegasus", "destination": "UZ", "end_user": "SSS"})
    answers = {a["id"]: a for a in core.report(facts_for(request, users["editor"]))["indicators"]}
    # 70 incidents, 35 naming the product: the family line, 24 incidents and "... and 11 more"
    assert len(answers["EX-05"]["evidence"]) == core.EVIDENCE_SHOWN + 1
    assert answers["EX-05"]["evidence"][-1] == "... and 11 more"
    assert sum(int(line.split(": ")[1].split()[0]) for line in answers["EX-06"]["evidence"]) == \
        Incident.objects.filter(origin_state="UZ").count()


def test_only_the_first_lines_are_loaded_and_the_queries_do_not_grow(record, users) -> None:  # type: ignore[no-untyped-def]
    request = AssessmentRequest.from_mapping({"product": "Pegasus", "destination": "UZ", "end_user": "SSS"})

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            facts_for(request, users["editor"])
        return [query["sql"] for query in captured]

    _incidents(70, record["agency"], record["other"], record["product"].pk, users["editor"], start=70)
    before = queries()
    loading = [sql for sql in before if '"incidents_incident"."title"' in sql]
    assert loading and all("LIMIT 25" in sql for sql in loading), loading
    _incidents(140, record["agency"], record["other"], record["product"].pk, users["editor"], start=140)
    assert len(queries()) == len(before)
