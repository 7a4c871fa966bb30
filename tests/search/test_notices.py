"""Notices in full-text search: subject names in any script, charges, issuing state; on either database."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from shelter.access.models import Role, User
from shelter.access.visibility import visible_to
from shelter.notices.intake import entry
from shelter.notices.models import Notice, search_notices
from shelter.search.index import search

pytestmark = pytest.mark.django_db(transaction=True)


def _record(**fields):  # type: ignore[no-untyped-def]
    operator = User.objects.create(username="clerk", role=Role.ADMIN)
    charges = fields.pop("charges", [])
    return entry.create_notice(operator, charges=charges, **fields)


def test_a_notice_is_found_by_names_in_either_script_charges_and_issuing_state() -> None:
    notice = _record(entity_id="DIFF/2024/7", kind="diffusion", forename="Абдукарим", surname="Аюбов",
                     other_names=["Abdukarim Ayubov"], issuing_state="RU", confidentiality="public", published=True,
                     charges=[{"text": "участие в деятельности террористической организации",
                               "translation": "participation in the activity of a terrorist organisation"}])
    other = Notice.objects.create(entity_id="2022/46614", forename="Adel", surname="Al Ajeil", issuing_state="SE",
                                  confidentiality="public", published=True)
    for query in ("Аюбов", "ayubov", "Abdukarim", "Аюб", "террористической", "terrorist", "Russia", "DIFF 2024"):
        assert list(search(Notice.objects.all(), query)) == [notice], query
    assert list(search(Notice.objects.all(), "Sweden")) == [other]
    assert list(search_notices(Notice.objects.all(), "2022/46614")) == [other]


def test_a_changed_charge_is_found_and_the_old_one_is_not() -> None:
    notice = _record(entity_id="EXT-1", kind="extradition", surname="Karimov", confidentiality="internal",
                     charges=[{"text": "fraud"}])
    assert list(search(Notice.objects.all(), "fraud")) == [notice]
    entry.update_notice(notice, User.objects.get(username="clerk"), [{"text": "hooliganism"}])
    assert list(search(Notice.objects.all(), "hooliganism")) == [notice]
    assert not search(Notice.objects.all(), "fraud").exists()


def test_imported_notices_are_searchable() -> None:
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices
    from tests.notices.conftest import NOTICE_FIXTURES

    import_notices(read_notice_file(NOTICE_FIXTURES / "red_notices_details_excerpt.json").notices)
    found = search(Notice.objects.all(), "Askadinov terrorist")
    assert list(found.values_list("entity_id", flat=True)) == ["2021/69190"]
    assert {n.entity_id for n in search(Notice.objects.all(), "ROBO AGRAVADO")} == {"2019/26619"}


def test_search_results_pass_through_the_visibility_filter() -> None:
    _record(entity_id="DIFF-9", kind="diffusion", surname="Hiddenova", confidentiality="confidential")
    hits = search(Notice.objects.all(), "Hiddenova")
    assert hits.count() == 1
    assert visible_to(hits, AnonymousUser()).count() == 0
