import pytest

from shelter.surveillance.assess import (
    AssessmentError,
    Deployment,
    Facts,
    Incident,
    assess,
    catalogue,
    family_for,
    report,
)


def answers(facts: Facts) -> dict[str, str]:
    return {a.indicator.id: a.answer for a in assess(facts)}


def test_catalogue_has_sources_for_every_indicator():
    ids = [i.id for i in catalogue()]
    assert ids == ["EX-01", "EX-02", "EX-03", "EX-04", "EX-05"]
    assert all(i.sources for i in catalogue())


def test_documented_pegasus_customer_with_incidents_against_exiles_shows_risk():
    facts = Facts(
        product="Pegasus",
        destination="UZ",
        end_user="State Security Service",
        control_entries=("4.A.5", "4.D.4"),
        deployments=(Deployment("Pegasus", "UZ", "State Security Service", "fictional report 2021"),),
        incidents=(Incident("INC-1", "UZ", "state security service", digital=True, product="Pegasus"),),
    )
    result = answers(facts)
    assert result == {"EX-01": "present", "EX-02": "present", "EX-03": "present", "EX-04": "present", "EX-05": "present"}
    ex4 = next(a for a in assess(facts) if a.indicator.id == "EX-04")
    assert "INC-1" in ex4.evidence[0]


def test_destination_with_no_record_is_unknown_not_absent():
    facts = Facts(
        product="Unnamed Interceptor",
        destination="KZ",
        deployments=(Deployment("Pegasus", "UZ"),),
        incidents=(Incident("INC-1", "UZ", digital=True),),
    )
    assert set(answers(facts).values()) == {"unknown"}


def test_explicit_no_control_entry_is_absent():
    assert answers(Facts(product="X", destination="UZ", control_entries=()))["EX-01"] == "absent"


def test_incident_without_digital_tactics_does_not_count():
    facts = Facts(product="X", destination="UZ", incidents=(Incident("INC-2", "UZ", digital=False),))
    assert answers(facts)["EX-03"] == "unknown"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (Facts(product="X", destination="Uzbekistan"), "destination"),
        (Facts(product=" ", destination="UZ"), "product"),
        (Facts(product="X", destination="UZ", control_entries=("9.Z.9",)), "control_entries"),
    ],
)
def test_bad_facts_name_the_field(facts, field):
    with pytest.raises(AssessmentError, match=field):
        assess(facts)


def test_family_map():
    assert family_for("pegasus").vendor == "NSO Group"
    assert family_for("Hermit").vendor == "RCS Lab"
    assert family_for("FinSpy").vendor == "FinFisher"
    assert family_for("unknown-family") is None


def test_report_counts():
    data = report(Facts(product="Predator", destination="EG"))
    assert data["present"] == 1 and data["unknown"] == 4
    assert data["indicators"][0]["sources"][0]["verified"] is False


def test_memo_escapes_record_text():
    from shelter.surveillance.assess import memo_html

    html = memo_html(report(Facts(product="<script>x</script>", destination="UZ", end_user="A & B")))
    assert "<script>x" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "A &amp; B" in html
    assert "[not verified]" in html
