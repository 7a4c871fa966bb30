"""Storing notices: create, update, unchanged re-imports, disappearance from a full list, history."""

from __future__ import annotations

from dataclasses import replace

from shelter.notices.intake.formats import ChargeData, read_notice_file
from shelter.notices.intake.importing import import_notices
from shelter.notices.models import Notice, NoticeStatusEvent
from tests.notices.conftest import NOTICE_FIXTURES


def _details():  # type: ignore[no-untyped-def]
    return read_notice_file(NOTICE_FIXTURES / "red_notices_details_excerpt.json").notices


def test_first_import_creates_notices_charges_and_a_published_event(imported) -> None:  # type: ignore[no-untyped-def]
    assert imported.created == 9 and imported.updated == 0
    notice = Notice.objects.get(entity_id="2019/34876")
    assert notice.issuing_state == "RU" and notice.confidentiality == "public" and notice.published
    assert list(notice.charges.values_list("issuing_state", flat=True)) == ["RU"]
    assert list(notice.events.values_list("kind", flat=True)) == ["published"]
    assert notice.history.count() == 1
    assert sorted(imported.to_screen) == sorted(Notice.objects.values_list("pk", flat=True))


def test_reimporting_the_same_file_changes_nothing(imported) -> None:  # type: ignore[no-untyped-def]
    again = import_notices(_details())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert again.to_screen == []
    assert NoticeStatusEvent.objects.count() == 9


def test_a_changed_record_is_updated_with_an_event_and_rescreened(imported) -> None:  # type: ignore[no-untyped-def]
    records = [replace(r, dob="1983-04-06", charges=(ChargeData("participation in an extremist organisation",
                                                                issuing_state="RU"),))
               if r.entity_id == "2019/34876" else r for r in _details()]
    report = import_notices(records)
    notice = Notice.objects.get(entity_id="2019/34876")
    assert report.updated == 1 and report.to_screen == [notice.pk]
    assert notice.dob == "1983-04-06"
    assert [c.text for c in notice.charges.all()] == ["participation in an extremist organisation"]
    event = notice.events.get(kind="modified")
    assert "dob" in event.detail and "charges" in event.detail
    assert notice.history.count() == 2


def test_list_rows_do_not_erase_charges_imported_from_details(imported) -> None:  # type: ignore[no-untyped-def]
    report = import_notices(read_notice_file(NOTICE_FIXTURES / "red_notices_list_page.json").notices)
    assert report.created == 0
    notice = Notice.objects.get(entity_id="2019/34876")
    assert notice.charges.count() == 1 and notice.has_details and notice.issuing_state == "RU"


def test_disappearance_from_a_full_list_is_a_withdrawal_and_return_is_recorded(imported) -> None:  # type: ignore[no-untyped-def]
    remaining = [r for r in _details() if r.entity_id != "2022/46614"]
    report = import_notices(remaining, full_list=True)
    notice = Notice.objects.get(entity_id="2022/46614")
    assert report.withdrawn == 1 and notice.status == "withdrawn"
    assert "absent from the full list" in notice.events.get(kind="withdrawn").detail
    # Not a full list: absence means nothing.
    import_notices(remaining[:2])
    assert Notice.objects.filter(status="withdrawn").count() == 1
    back = import_notices(_details())
    notice.refresh_from_db()
    assert back.republished == 1 and notice.status == "active"
    assert notice.events.filter(kind="republished").exists()


def test_manual_entries_are_never_withdrawn_by_a_list(imported) -> None:  # type: ignore[no-untyped-def]
    Notice.objects.create(entity_id="DIFF-2024-001", kind="diffusion", origin="manual", surname="KARIMOV")
    import_notices(_details(), full_list=True)
    assert Notice.objects.get(entity_id="DIFF-2024-001").status == "active"


def test_repeated_entity_ids_in_one_file_count_once(db) -> None:  # type: ignore[no-untyped-def]
    records = _details()
    report = import_notices(records + records[:3])
    assert report.created == 9 and report.duplicates == 3


def test_teams_and_confidentiality_are_applied(db, teams) -> None:  # type: ignore[no-untyped-def]
    import_notices(_details()[:2], confidentiality="confidential", published=False, teams=[teams["alpha"]])
    notice = Notice.objects.order_by("pk").first()
    assert notice is not None and notice.confidentiality == "confidential" and not notice.published
    assert list(notice.teams.all()) == [teams["alpha"]]
