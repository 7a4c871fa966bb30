"""The dossier: complete, escaped, limited to what the requesting user may see, and a PDF with Cyrillic."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from shelter.incidents.models import Citation, Incident, IncidentTarget, Source
from shelter.notices.assessment.dossier import render_dossier_html, render_dossier_pdf
from shelter.notices.models import Notice, ScreeningMatch
from shelter.notices.screening.alerts import decide_match
from shelter.notices.screening.notices import screen_notices


@pytest.fixture
def case(imported, ayubov, users, teams):  # type: ignore[no-untyped-def]
    screen_notices(imported.to_screen)
    match = ScreeningMatch.objects.get(person=ayubov)
    decide_match(match, "confirmed", "same person", users["editor"])
    incident = Incident.objects.create(title="Брат Аюбова задержан в Худжанде", tactic="detention_of_relatives",
                                       date="2022-05", origin_state="RU", confidentiality="confidential")
    incident.teams.add(teams["alpha"])
    IncidentTarget.objects.create(incident=incident, person=ayubov, role="relative")
    source = Source.objects.create(title="Interview with the family", publisher="<b>Local NGO</b>",
                                   confidentiality="confidential")
    source.teams.add(teams["alpha"])
    Citation.objects.create(source=source, incident=incident, locator="p. 3")
    return match.notice


def test_the_dossier_holds_notice_person_indicators_incidents_and_timeline(case, users) -> None:  # type: ignore[no-untyped-def]
    html = render_dossier_html(case, users["editor"])
    for expected in ("2019/34876", "assistance to participation in the activity of a terrorist organization",
                     "Абдукарим Аюбов", "RN-11", "Брат Аюбова задержан в Худжанде", "Interview with the family",
                     "Timeline", "&lt;b&gt;Local NGO&lt;/b&gt;"):
        assert expected in html, expected
    assert "<b>Local NGO</b>" not in html


def test_unverified_items_are_flagged(case, users) -> None:  # type: ignore[no-untyped-def]
    assert "[K] unverified" in render_dossier_html(case, users["editor"])


def test_a_user_outside_the_team_gets_a_dossier_without_the_confidential_records(case, users) -> None:  # type: ignore[no-untyped-def]
    html = render_dossier_html(case, users["researcher"])
    assert "2019/34876" in html
    assert "Абдукарим Аюбов" not in html and "Худжанде" not in html and "Interview with the family" not in html


def test_the_pdf_embeds_dejavu_and_keeps_cyrillic_and_tajik_letters(case, users) -> None:  # type: ignore[no-untyped-def]
    case.other_names = ["Абдукарим Аюбов", "Абдукарим Аюбзода Ҳ. Қ. Ғ. Ӣ"]
    case.save()
    reader = PdfReader(io.BytesIO(render_dossier_pdf(case, users["editor"])))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Ҳ" in text and "Қ" in text and "Аюбов" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert any("DejaVu" in name for name in fonts), fonts


def test_the_pdf_renderer_fetches_nothing(imported, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2022/46614")
    notice.distinguishing_marks = '<img src="https://attacker.example/pixel.png">'
    notice.surname = '<link rel="stylesheet" href="file:///etc/passwd">'
    notice.save()
    pdf = render_dossier_pdf(notice, users["editor"])
    assert pdf.startswith(b"%PDF-")
    html = render_dossier_html(notice, users["editor"])
    assert '<link rel="stylesheet" href="file:///etc/passwd">' not in html


def test_the_dossier_in_russian_translates_headings_answers_and_indicator_questions(case, users) -> None:  # type: ignore[no-untyped-def]
    html = render_dossier_html(case, users["editor"], language="ru")
    assert '<html lang="ru">' in html and "<h1>Досье" in html and "<h1>Dossier" not in html
    assert "Носит ли обвинение по существу политический или религиозный характер?" in html
    assert "Is the charge political or religious in substance?" not in html
    assert ">есть<" in html or ">нет<" in html or ">неизвестно<" in html
    assert "Is the charge political or religious in substance?" in render_dossier_html(case, users["editor"])


def test_the_ccf_annex_sets_out_grounds_open_points_chronology_and_exhibits(case, users) -> None:  # type: ignore[no-untyped-def]
    html = render_dossier_html(case, users["editor"], form="ccf")
    assert "Annex to a request to the Commission for the Control of INTERPOL's Files (CCF)" in html
    for heading in ("Grounds: indicators present", "Points for the Commission to examine", "Chronology", "Exhibits"):
        assert heading in html, heading
    assert "RN-11" in html and "Interview with the family" in html  # a cited source becomes an exhibit
    assert "hudoc.echr.coe.int" in html or "interpol.int" in html  # sources carry their addresses
    outsider = render_dossier_html(case, users["researcher"], form="ccf", language="ru")
    assert "Приложение к обращению в Комиссию по контролю за файлами ИНТЕРПОЛа" in outsider
    assert "Interview with the family" not in outsider and "Худжанде" not in outsider
    reader = PdfReader(io.BytesIO(render_dossier_pdf(case, users["editor"], form="ccf", language="ru")))
    assert "Хронология" in "".join(page.extract_text() for page in reader.pages)


def test_a_dossier_form_or_language_that_does_not_exist_is_refused(case, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.assessment.dossier import DossierRequestError

    with pytest.raises(DossierRequestError, match="choose dossier or ccf"):
        render_dossier_html(case, users["editor"], form="court")
    with pytest.raises(DossierRequestError, match="choose en or ru"):
        render_dossier_html(case, users["editor"], language="de")
