import json

from click.testing import CliRunner

from shelter.cli import main


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


def test_assess_unknown_destination_text():
    result = run("assess", "--product", "Nothing Known", "--destination", "KZ")
    assert result.exit_code == 0, result.output
    assert "0 present, 9 unknown" in result.output


def test_bad_destination_is_one_line_error():
    result = run("assess", "--product", "Pegasus", "--destination", "Uzbekistan")
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


def test_assess_html_memo():
    result = run("assess", "--product", "Pegasus", "--destination", "UZ", "--html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!DOCTYPE html>")
    assert "Licence assessment: Pegasus to UZ" in result.output
