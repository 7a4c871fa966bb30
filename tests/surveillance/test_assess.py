import pytest

from shelter.surveillance.assess import (
    AssessmentError,
    Denial,
    Deployment,
    Facts,
    Incident,
    Listing,
    assess,
    catalogue,
    family_for,
    report,
)


def answers(facts: Facts) -> dict[str, str]:
    return {a.indicator.id: a.answer for a in assess(facts)}


def test_catalogue_has_sources_for_every_indicator():
    ids = [i.id for i in catalogue()]
    assert ids == [f"EX-0{n}" for n in range(1, 10)]
    assert all(i.sources for i in catalogue())


def test_documented_pegasus_customer_with_incidents_against_exiles_shows_risk():
    facts = Facts(
        product="Pegasus",
        destination="UZ",
        end_user="State Security Service",
        control_entries=("4.A.5", "4.D.4"),
        deployments=(Deployment("Pegasus", "UZ", "State Security Service", "fictional report 2021"),),
        incidents=(Incident("INC-1", "UZ", "state security service", digital=True, product="Pegasus",
                            tactic="spyware"),),
    )
    result = answers(facts)
    assert result == {"EX-01": "present", "EX-02": "present", "EX-03": "present", "EX-04": "present",
                      "EX-05": "present", "EX-06": "present", "EX-07": "absent", "EX-08": "unknown",
                      "EX-09": "unknown"}
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
    assert data["present"] == 1 and data["unknown"] == 8
    assert data["indicators"][0]["sources"][0]["verified"] is False


def test_memo_escapes_record_text():
    from shelter.surveillance.assess import memo_html

    html = memo_html(report(Facts(product="<script>x</script>", destination="UZ", end_user="A & B")))
    assert "<script>x" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "A &amp; B" in html
    assert "[not verified]" in html


def test_record_by_tactic_counts_every_incident_of_the_destination():
    facts = Facts(product="X", destination="UZ", incidents=(
        Incident("A", "UZ", tactic="detention"), Incident("B", "UZ", tactic="detention"),
        Incident("C", "UZ", tactic="phishing", digital=True), Incident("D", "TJ", tactic="detention")))
    ex6 = next(a for a in assess(facts) if a.indicator.id == "EX-06")
    assert ex6.answer == "present"
    assert ex6.evidence == ("detention: 2 incident(s)", "phishing: 1 incident(s)")


def test_catch_all_needs_a_surveillance_item_and_a_risk():
    unlisted = Facts(product="Net Watcher", destination="UZ", control_entries=(), capabilities=("deep_packet_inspection",),
                     incidents=(Incident("A", "UZ", tactic="detention"),))
    assert answers(unlisted)["EX-07"] == "present"
    no_risk = Facts(product="Net Watcher", destination="UZ", control_entries=(), capabilities=("deep_packet_inspection",))
    assert answers(no_risk)["EX-07"] == "unknown"
    silent = Facts(product="Box", destination="UZ", incidents=(Incident("A", "UZ", tactic="detention"),))
    assert answers(silent)["EX-07"] == "unknown"


def test_denials_by_other_states_count_and_the_assessing_states_own_do_not():
    facts = Facts(product="X", destination="UZ", assessing_state="DE", denials=(
        Denial("DE", "UZ", "4.A.5"), Denial("FR", "UZ", "5.A.1.j", date="2022"), Denial("IT", "KZ")))
    ex9 = next(a for a in assess(facts) if a.indicator.id == "EX-09")
    assert ex9.answer == "present" and ex9.evidence == ("FR denied 5.A.1.j (2022)",)
    only_own = Facts(product="X", destination="UZ", assessing_state="DE", denials=(Denial("DE", "UZ"),))
    assert answers(only_own)["EX-09"] == "unknown"


def test_listings_of_vendor_or_end_user():
    facts = Facts(product="X", destination="UZ",
                  listings=(Listing("vendor", "Acme Intercept", "ACME INTERCEPT LTD", "us-entity-list"),))
    assert answers(facts)["EX-08"] == "present"


def test_long_evidence_is_cut_with_a_count():
    facts = Facts(product="X", destination="UZ",
                  incidents=tuple(Incident(f"INC-{n}", "UZ", digital=True) for n in range(40)))
    ex3 = next(a for a in assess(facts) if a.indicator.id == "EX-03")
    assert ex3.answer == "present" and len(ex3.evidence) == 26 and ex3.evidence[-1] == "... and 15 more"
