"""What Shelter writes in a notice's timeline and in records' history is stored in English and said in the page's
language; what a person typed stays as typed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from shelter.notices.intake.entry import update_notice
from shelter.notices.intake.event_words import CHANGED, FIRST_IMPORTED
from shelter.notices.models import Notice, NoticeStatusEvent
from shelter.stored_words import forms, said, written

pytestmark = pytest.mark.django_db


def test_the_stored_words_are_english_whatever_the_request_speaks() -> None:
    from shelter.notices.models import NoticeOrigin

    with translation.override("ru"):
        stored = written(FIRST_IMPORTED, origin=NoticeOrigin.INTERPOL_LIST.label)
    assert stored == "first imported (Interpol public list)"


@pytest.mark.parametrize(("stored", "russian"), [
    ("first imported (Interpol public API (detail record))", "впервые импортировано (публичный API Интерпола (полная запись))"),
    ("listed again in an import", "снова в списке при импорте"),
    ("changed: forename, charges", "изменено: имя, обвинения"),
    ("absent from the full list imported on 2026-01-02 (last seen 2025-12-30)",
     "отсутствует в полном списке, импортированном 2026-01-02 (последний раз в списке 2025-12-30)"),
    ("recorded by hand", "записано вручную"),
])
def test_shelter_s_own_words_are_said_in_russian(stored: str, russian: str) -> None:
    with translation.override("ru"):
        assert said(stored).startswith(russian), said(stored)
    with translation.override("en"):
        assert said(stored) == stored


def test_every_form_has_its_russian_and_typed_words_stay_as_typed() -> None:
    with translation.override("ru"):
        for form in forms():
            assert translation.gettext(form) != form, form
        assert said("extradition refused, Art. 3 risk") == "extradition refused, Art. 3 risk"
        assert said(written(CHANGED, fields="no_such_field")) == "изменено: no_such_field"


def test_the_notice_page_and_dossier_say_the_timeline_in_russian(imported, users) -> None:  # type: ignore[no-untyped-def]
    notice = Notice.objects.get(entity_id="2019/34876")
    update_notice(notice, users["editor"], changes={"forename": "Test"})
    events = list(NoticeStatusEvent.objects.filter(notice=notice).values_list("detail", flat=True))
    assert any(d.startswith("first imported") for d in events) and any(d.startswith("changed by hand") for d in events)
    client = Client()
    client.force_login(users["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "впервые импортировано" in page and "изменено вручную: имя" in page
    assert "first imported" not in page and "changed by hand" not in page


def test_history_reasons_are_said_in_russian(imported, users) -> None:  # type: ignore[no-untyped-def]
    from shelter.access.history import revert_to
    from shelter.access.writes import delete_record, restore_record

    notice = Notice.objects.get(entity_id="2019/34876")
    update_notice(notice, users["editor"], changes={"forename": "Test"})
    first = notice.history.order_by("history_id").first()
    revert_to(notice, first.history_id, users["editor"])
    delete_record(users["admin"], notice)
    restore_record(users["admin"], notice)
    reasons = list(notice.history.values_list("history_change_reason", flat=True))
    assert "changed by hand" in reasons and "deleted" in reasons and "restored" in reasons
    assert any(r and r.startswith("reverted to the version of ") for r in reasons)
    client = Client()
    client.force_login(users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    for russian in ("изменено вручную", "удалено", "восстановлено", "возвращено к версии от"):
        assert f"<em>{russian}" in page, russian
    for english in ("changed by hand", "restored", "reverted to the version"):
        assert english not in page, english


def test_every_app_s_history_reasons_are_registered_and_said() -> None:
    from shelter.registry.candidates import DECIDED, MatchDecision

    assert {"surveillance import", "watchlist import", "archived file", "incident recorded", "deleted", "restored",
            "changed by hand", DECIDED} <= set(forms())
    stored = written(DECIDED, decision="confirmed")
    assert stored == "decision: confirmed"
    with translation.override("ru"):
        assert said(stored) == "решение: " + str(MatchDecision.CONFIRMED.label)
        assert said("surveillance import") == "импорт записей о средствах слежки"


def test_bulk_imports_and_the_demo_give_registered_reasons(tmp_path, users) -> None:  # type: ignore[no-untyped-def]
    """A CSV of incidents imported from a file, and the demo workspace, write reasons the history says in Russian;
    a file's name stays as given, cut to what the history's reason holds."""
    from shelter.connectors.csv_incidents import read_csv
    from shelter.incidents.models import Incident
    from tests.connectors.conftest import SILENT

    name = "incidents-" + "x" * 120 + ".csv"
    (tmp_path / name).write_text("title,date,tactic,origin_state\nSummoned relatives,2024-02,threats_to_relatives,TJ\n",
                                 encoding="utf-8")
    report = read_csv(tmp_path / name, False, SILENT)
    assert not report.problems, report.problems
    reason = Incident.objects.get().history.get().history_change_reason
    assert reason == "imported from " + name[:80] and len(reason) <= 100
    with translation.override("ru"):
        assert said(reason) == "импортировано из " + name[:80]
        assert said("demo workspace") == "демонстрационные данные"
