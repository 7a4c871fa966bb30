"""Briefings: the public version leaks nothing and shows no count below 3 (nor one that gives it away); restricted versions show what
their reader may see; the `brief` command's JSON total equals a direct count for every caller."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from tests.analytics.conftest import SECRET_MARK

pytestmark = pytest.mark.django_db

COUNT_KEYS = ("count", "total", "refused", "incidents_total", "returnee_total", "host_countries", "tactics")


def _counts(document: object, key: str = ""):  # type: ignore[no-untyped-def]
    """Every count in a briefing's JSON: values under count keys and per-tactic cells of tables."""
    if isinstance(document, dict):
        for k, v in document.items():
            yield from _counts(v, k)
    elif isinstance(document, list):
        for item in document:
            yield from _counts(item, key)
    elif key in COUNT_KEYS or key in ("unlawful_deportation", "extradition_request", "rendition",
                                      "deportation_proceedings"):
        yield key, document


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_public_briefing_leaks_nothing_and_suppresses_small_counts(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_html, render_pdf
    from shelter.analytics.services import Audience

    # Asked for by an editor who can see confidential records: the public version must not show them.
    briefing = build_briefing("UZ", Audience(users["editor"], public=True))
    document = briefing.as_json()
    text = json.dumps(document, ensure_ascii=False)
    assert SECRET_MARK not in text and "Public Person" not in text
    counts = list(_counts(document))
    # A count of 3 or more, or a figure below 3 said in words; never "x".
    assert counts and all(v == "fewer than 3" or (isinstance(v, int) and v >= 3) for _, v in counts), counts
    assert '"x"' not in text
    # The tables show no "x": what they withhold is merged into an "other" row.
    table_counts = list(_counts(document["tables"]))
    assert table_counts and all(isinstance(v, int) and v >= 3 for _, v in table_counts), table_counts
    assert any(row["key"] == "_other" for table in document["tables"].values() for row in table["rows"])
    assert all(case["incident_id"] is None for case in document["notable_cases"])
    people = [p for case in document["notable_cases"] for p in case["people"]]
    assert people and all(re.fullmatch(r"Person [A-Z]+ \(.+\)", p) for p in people)
    assert [a["name"] for a in document["agreements"]] == ["Enhanced Partnership and Cooperation Agreement"]
    assert document["agreements"][0]["sources"] == ["EU Council press release — Council of the EU"]

    html = render_html(briefing)
    assert SECRET_MARK not in html and "Public Person" not in html and "Public version" in html
    pdf_text = _pdf_text(render_pdf(briefing))
    assert SECRET_MARK not in pdf_text and "Public Person" not in pdf_text
    assert "Public version" in pdf_text and "merged into “other”" in pdf_text
    # Every row of the host-country table reads "<label> <count>" with a count of 3 or more.
    for row in document["tables"]["by_host"]["rows"]:
        line = next(line for line in pdf_text.splitlines() if line.startswith(f"{row['label']} "))
        assert line.split()[-1] == str(row["count"])


def test_restricted_briefing_shows_what_its_reader_may_see(workspace, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing
    from shelter.analytics.services import Audience
    from shelter.incidents.models import Incident

    viewer = users["viewer"]  # team alpha, internal clearance: no confidential record at all
    document = build_briefing("UZ", Audience(viewer)).as_json()
    visible = Incident.objects.visible_to(viewer)
    assert document["incidents_total"] == visible.filter(origin_state="UZ").count()
    for case in document["notable_cases"]:
        assert visible.filter(pk=case["incident_id"], origin_state="UZ").exists()
    assert "Germany" in [a["partner"] for a in document["agreements"]]  # the internal agreement
    assert f"{SECRET_MARK} cable" in json.dumps(document)  # internal source: the viewer may see it
    assert any(p.startswith(SECRET_MARK) for case in document["notable_cases"] for p in case["people"])

    public_clearance = build_briefing("UZ", Audience(users["viewer_public"])).as_json()
    assert [a["partner"] for a in public_clearance["agreements"]] == ["European Union"]
    shown_ids = [case["incident_id"] for case in public_clearance["notable_cases"]]
    assert shown_ids and not Incident.objects.filter(pk__in=shown_ids).exclude(confidentiality="public").exists()


def test_brief_command_total_equals_what_each_caller_may_see(workspace, users, tmp_path):  # type: ignore[no-untyped-def]
    from shelter.analytics.cli import brief
    from shelter.incidents.models import Incident

    runner = CliRunner()
    everything = Incident.objects.filter(origin_state="UZ")

    def total(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(brief, ["--state", "UZ", "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["incidents_total"]

    assert total() == everything.count() == 50
    for name, user in users.items():
        assert total("--as", name) == everything.visible_to(user).count(), name
    assert total("--public") == everything.visible_to(None).count()
    assert total("--from", "2016", "--to", "2019") == everything.filter(year__range=(2016, 2019)).count()

    out = tmp_path / "uz.html"
    result = runner.invoke(brief, ["--state", "Uzbekistan", "--public", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert SECRET_MARK not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--state", "Narnia"], "'Narnia' is not a known country"),
    (["--state", "UZ", "--as", "nobody"], "no user 'nobody'"),
    (["--state", "UZ", "--public", "--as", "admin"], "--public and --as exclude each other"),
    (["--state", "UZ", "--from", "2020", "--to", "2010"], "--from 2020 is after --to 2010"),
    (["--state", "UZ", "--format", "docx"], "'docx' is not one of"),
])
def test_brief_command_errors_say_what_to_fix(db, args, message):  # type: ignore[no-untyped-def]
    from shelter.analytics.cli import brief

    result = CliRunner().invoke(brief, args)
    assert result.exit_code != 0 and message in result.output, result.output


def test_briefing_for_a_state_without_records_still_renders(db):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import build_briefing, render_pdf
    from shelter.analytics.services import Audience

    public = build_briefing("FR", Audience(None, public=True), 2014, 2026, language="ru")
    assert public.as_json()["incidents_total"] == "меньше 3" and public.notable_cases == ()
    assert render_pdf(public, "ru").startswith(b"%PDF")
    operator = build_briefing("FR", Audience(None, public=False))
    assert operator.as_json()["incidents_total"] == 0


def test_a_pdf_asked_for_again_is_not_laid_out_again_and_never_crosses_audiences(workspace, users, monkeypatch):  # type: ignore[no-untyped-def]
    import weasyprint

    from shelter.analytics.briefing import build_briefing, render_pdf
    from shelter.analytics.services import Audience

    laid_out = []
    write_pdf = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        laid_out.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    restricted = render_pdf(build_briefing("UZ", Audience(users["editor"])))
    assert render_pdf(build_briefing("UZ", Audience(users["editor"]))) == restricted and len(laid_out) == 1
    public_text = _pdf_text(render_pdf(build_briefing("UZ", Audience(users["editor"], public=True))))
    assert len(laid_out) == 2 and SECRET_MARK not in public_text and SECRET_MARK in _pdf_text(restricted)


def test_notable_cases_are_chosen_by_gravity_and_shown_latest_first(db, users):  # type: ignore[no-untyped-def]
    from shelter.analytics.briefing import NOTABLE_CASES, build_briefing
    from shelter.analytics.services import Audience
    from shelter.incidents.models import Incident

    # One more case than a briefing shows: the mildest (released, the latest of all) is left out.
    for number, (date, outcome) in enumerate([("2019-03", "killed"), ("2021-07", "detained"), ("2017", "tortured"),
                                              ("2022-01-05", "disappeared"), ("2018-11", "sentenced"),
                                              ("2020-02", "killed"), ("2016-05", "detained"), ("2023-09", "tortured"),
                                              ("2024-01", "released")]):
        Incident.objects.create(title=f"Case {number}", tactic="detention", date=date, origin_state="UZ",
                                host_country="TR", outcome=outcome, confidentiality="internal")
    cases = build_briefing("UZ", Audience(users["viewer"])).notable_cases
    assert len(cases) == NOTABLE_CASES
    assert [case.date for case in cases] == ["2023-09", "2022-01-05", "2021-07", "2020-02", "2019-03", "2018-11",
                                             "2017", "2016-05"]
