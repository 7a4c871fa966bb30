import json

import pytest
from click.testing import CliRunner

from shelter.cli import main

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(main, ["surveillance", *args])


def test_assess_json_with_facts_file(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({
        "deployments": [{"product": "Pegasus", "state": "UZ", "agency": "SSS"}],
        "incidents": [{"reference": "INC-9", "perpetrator_state": "UZ", "perpetrator_agency": "SSS", "digital": True}],
    }))
    result = run("assess", "--product", "Pegasus", "--destination", "uz", "--end-user", "SSS",
                 "--control-entry", "4.A.5", "--facts", str(facts), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["present"] == 6
    assert data["destination"] == "UZ"


def test_bad_destination_in_a_facts_file_is_one_line_error(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    result = run("assess", "--product", "Pegasus", "--destination", "Uzbekistan", "--facts", str(facts))
    assert result.exit_code == 2
    assert "two-letter ISO country code" in result.output


def test_bad_facts_file_is_refused(tmp_path):
    bad = tmp_path / "facts.json"
    bad.write_text('{"deployments": [{"nation": "UZ"}]}')
    result = run("assess", "--product", "Pegasus", "--destination", "UZ", "--facts", str(bad))
    assert result.exit_code == 2
    assert "deployments" in result.output


def test_families_lists_vendors():
    result = run("families")
    assert result.exit_code == 0
    assert "NSO Group" in result.output and "RCS Lab" in result.output


@pytest.mark.django_db
def test_assess_from_records_unknown_destination_text():
    result = run("assess", "--product", "Nothing Known", "--destination", "KZ")
    assert result.exit_code == 0, result.output
    assert "0 present, 9 unknown" in result.output


@pytest.mark.django_db
def test_assess_from_records_bad_destination_is_one_line():
    result = run("assess", "--product", "Pegasus", "--destination", "Atlantis")
    assert result.exit_code == 2
    assert "destination" in result.output and "Traceback" not in result.output


@pytest.mark.django_db
def test_assess_html_memo():
    result = run("assess", "--product", "Pegasus", "--destination", "UZ", "--html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!DOCTYPE html>")
    assert "Licence assessment: Pegasus to UZ" in result.output


@pytest.mark.django_db
def test_seed_import_export_round_trip(tmp_path, django_capture_on_commit_callbacks):
    from shelter.surveillance.models import Deployment, Product, SurveillanceCitation, Vendor

    with django_capture_on_commit_callbacks(execute=True):
        result = run("import", "--seed")
    assert result.exit_code == 0, result.output
    assert "created 5 vendors, 4 products, 4 deployments" in result.output
    assert Vendor.objects.get(name="Cytrox").parent.name == "Intellexa"
    assert SurveillanceCitation.objects.filter(deployment__isnull=False).count() == 4
    assert all("Seed" in d.description for d in Deployment.objects.all())
    again = run("import", "--seed")
    assert "created nothing new" in again.output and Vendor.objects.count() == 5
    exported = tmp_path / "out.json"
    assert run("export", "--format", "json", "--output", str(exported)).exit_code == 0
    data = json.loads(exported.read_text())
    assert {p["name"] for p in data["products"]} == {"Pegasus", "Predator", "Hermit", "FinSpy"}
    assert data["deployments"][0]["sources"][0]["url"].startswith("https://")
    csv_out = run("export", "--format", "csv", "--kind", "products")
    assert csv_out.output.splitlines()[0].startswith("id,vendor,name")
    ftm = [json.loads(line) for line in run("export", "--format", "ftm").output.splitlines()]
    schemata = {entity["schema"] for entity in ftm}
    assert schemata == {"Company", "Ownership", "Event"}
    listed = run("products", "list", "--q", "pegasus", "--json")
    assert json.loads(listed.output)["count"] == 1
    suppliers = run("suppliers", "Saudi Arabia")
    assert "NSO Group" in suppliers.output and "Pegasus" in suppliers.output
    assert Product.objects.count() == 4
    missing = run("vendors", "show", "999999")
    assert missing.exit_code == 2 and "no surveillance vendor with id 999999" in missing.output


@pytest.mark.django_db
def test_dataset_readers_import_through_the_records_path(users):
    from shelter.surveillance.models import Deployment, Product, Vendor

    result = run("import", str(FIXTURES / "atlantic_council_entities.csv"), "--format", "atlantic-council",
                 "--as", "editor", "--team", "alpha", "--confidentiality", "confidential")
    assert result.exit_code == 0, result.output
    assert "1 row(s) skipped" in result.output
    spyware = Vendor.objects.get(name="Fictional Spyware Ltd")
    assert spyware.parent.name == "Fictional Holding SA" and spyware.country == "CY"
    assert spyware.aliases == ["FSL", "Fictional Spy"] and spyware.history.first().history_user == users["editor"]
    assert not Vendor.objects.filter(name="Some Fund LP").exists()
    result = run("import", str(FIXTURES / "carnegie_inventory.csv"), "--format", "carnegie", "--as", "editor",
                 "--team", "alpha", "--confidentiality", "confidential")
    assert result.exit_code == 0, result.output
    assert Product.objects.get(name="Extractor").capabilities == ["mobile_forensics"]
    assert Deployment.objects.filter(customer_state="UZ", kind="suspected_use").count() == 2
    # the researcher of another team does not see the editor's confidential vendor: a second vendor of the same
    # name is theirs, never a change to one they cannot see
    hidden = run("vendors", "list", "--as", "researcher", "--json")
    assert json.loads(hidden.output)["count"] == 0


@pytest.mark.django_db
def test_a_bad_row_writes_nothing(tmp_path, users):
    from shelter.surveillance.models import Vendor

    bad = tmp_path / "products.csv"
    bad.write_text("vendor,name,capabilities\nNobody,Box,spyware\n,Nameless,\n")
    result = run("import", str(bad), "--format", "csv", "--kind", "products")
    assert result.exit_code == 2
    assert "row 3, vendor: is required" in result.output
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("name,country\nGood Vendor,IT\nBad Vendor,Atlantis\n")
    result = run("import", str(vendors), "--format", "csv", "--kind", "vendors")
    assert result.exit_code == 2 and "row 3, country" in result.output
    assert not Vendor.objects.exists()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("title,colour\nx,y\n")
    result = run("import", str(wrong), "--format", "csv", "--kind", "vendors")
    assert result.exit_code == 2 and "needs the columns name" in result.output
    viewer = run("import", str(vendors), "--format", "csv", "--kind", "vendors", "--as", "viewer")
    assert viewer.exit_code == 2 and "may read records but not change them" in viewer.output


@pytest.mark.django_db
@pytest.mark.parametrize("command", [
    ("vendors", "list"), ("products", "show", "1"), ("suppliers", "UZ"), ("export", "--format", "json"),
    ("assess", "--product", "Pegasus", "--destination", "UZ"), ("import", "--seed"),
])
def test_as_names_a_user_through_the_one_lookup(command, users):
    """Every command's --as goes through shelter.cli.viewer_as: an unknown or deactivated user is one line."""
    from shelter.access.models import User

    unknown = run(*command, "--as", "ghost")
    assert unknown.exit_code == 2 and "no user 'ghost' (list users with: shelter users list)" in unknown.output
    assert "Traceback" not in unknown.output
    User.objects.filter(pk=users["editor"].pk).update(is_active=False)
    inactive = run(*command, "--as", "editor")
    assert inactive.exit_code == 2 and "user 'editor' is deactivated" in inactive.output
