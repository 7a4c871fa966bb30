"""The caseworker's journey: import Interpol notices, confirm that a notice names a client, answer one legal
indicator against the automatic answer (the current answer is the one pre-selected) and download the dossier,
which a worker lays out while the page follows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import JOURNEY_VIEWS
from tests.notices.conftest import NOTICE_FIXTURES, ayubov  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width"), JOURNEY_VIEWS)
def test_caseworker_imports_confirms_answers_and_downloads(journey: Any, users: Any, ayubov: Any,  # noqa: F811
                                                           language: str, width: int, tmp_path: Path) -> None:
    from shelter.notices.models import IndicatorReview, ScreeningMatch

    walk = journey(language, width)
    page = walk.page
    walk.sign_in("editor")
    walk.go("/notices/import/")
    walk.visit("import")
    page.set_input_files("#id_file", str(NOTICE_FIXTURES / "red_notices_details_excerpt.json"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{walk.base}/notices/")
    walk.visit("notices")
    assert page.locator("main .message.success").inner_text().startswith(walk.text("9 read: 9 new", "прочитано: 9;"))

    page.fill("main input[name=q]", "AYUBOV")
    page.press("main input[name=q]", "Enter")
    page.click("main a:has-text('2019/34876')")
    page.wait_for_selector("h1:has-text('2019/34876')")
    walk.visit("notice")
    candidate = page.locator("main tr", has_text="Абдукарим Аюбов")
    candidate.locator("select[name=decision]").select_option("confirmed")
    candidate.locator("button[type=submit]").click()
    page.wait_for_selector("main .message.success")
    walk.visit("notice-confirmed")
    assert ScreeningMatch.objects.get(person=ayubov).decision == "confirmed"

    page.click("main a[href$='/assessment/']")
    page.wait_for_selector("table.indicators")
    walk.visit("indicators")
    row = page.locator("table.indicators tbody tr").first
    indicator = row.get_attribute("id").removeprefix("indicator-")
    question = row.locator("td").first.inner_text()
    assert any("а" <= letter <= "я" for letter in question.lower()) == (language == "ru"), question
    current = next(c for c in row.locator("td[class^=answer-]").get_attribute("class").split()
                   if c.startswith("answer-")).removeprefix("answer-")
    assert row.locator("select[name=answer]").input_value() == current  # never a default "present"
    other = "absent" if current != "absent" else "present"
    row.locator("select[name=answer]").select_option(other)
    row.locator("textarea[name=note]").fill("Checked against the court file.")
    row.locator("button[type=submit]").first.click()
    page.wait_for_selector("main .message.success")
    walk.visit("indicator-answered")
    review = IndicatorReview.objects.get(indicator_id=indicator)
    assert (review.answer, review.note) == (other, "Checked against the court file.")
    answered = page.locator(f"#indicator-{indicator}")
    assert answered.locator("select[name=answer]").input_value() == other
    assert answered.locator(f"td.answer-{other}").count() == 1

    page.click("main h1 a")  # back to the notice
    page.click("main a[href$='/dossier/']")
    page.wait_for_selector("main h1")
    walk.visit("dossier")
    from shelter.jobs.worker import run_queued

    page.click("main a[href$='/dossier.pdf']")  # laid out by a worker the first time: the page follows its job
    page.wait_for_selector("#job-document")
    walk.visit("dossier-laid-out")
    run_queued()
    ready = page.locator("#job-document a.button.primary")  # the page looks again, without a reload
    ready.wait_for()
    with page.expect_download() as download:
        ready.click()
    saved = tmp_path / "dossier.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
