"""The real notices in ../shared/data (skipped when absent): import all of them and check the indicators."""

from __future__ import annotations

import re

import pytest

from shelter.access.models import Role, User
from shelter.notices.assessment.assess import assess_notices
from shelter.notices.intake.formats import read_notice_file
from shelter.notices.intake.importing import import_notices
from shelter.notices.models import Notice
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data
ORDINARY = re.compile(r"\b(murder|rape|robbery|homicid|asesinato|violaci[oó]n|robo)", re.IGNORECASE)
POLITICAL_WORDS = re.compile(r"terror|extrem|armed formation|armad|political|pol[ií]tic", re.IGNORECASE)


@pytest.fixture
def all_details(db):  # type: ignore[no-untyped-def]
    path = shared_data("interpol_red_notices_antontsiklop", "red_notices_details.json")
    report = import_notices(read_notice_file(path).notices)
    assert report.created == 186
    operator = User(username="operator", role=Role.ADMIN)
    return {a.notice.entity_id: a for a in assess_notices(Notice.objects.order_by("pk"), operator)}


def _answer(assessment, indicator_id: str) -> str:  # type: ignore[no-untyped-def]
    return next(r.answer for r in assessment.results if r.id == indicator_id)


def test_ordinary_crimes_are_never_flagged_political(all_details) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for assessment in all_details.values():
        texts = " ".join(c.text + " " + c.translation for c in assessment.notice.charges.all())
        if ORDINARY.search(texts) and not POLITICAL_WORDS.search(texts):
            checked += 1
            assert _answer(assessment, "RN-01") != "present", (assessment.notice.entity_id, texts)
    assert checked >= 20


def test_membership_only_terrorism_charges_are_rn10(all_details) -> None:  # type: ignore[no-untyped-def]
    membership = [a for a in all_details.values()
                  if all(re.fullmatch(r"\s*participat\w* in (the activity of )?(an? )?illegal armed formation\.?\s*",
                                      c.text, re.IGNORECASE) for c in a.notice.charges.all())
                  and a.notice.charges.exists()]
    assert len(membership) >= 10
    assert all(_answer(a, "RN-10") == "present" for a in membership)


def test_every_notice_issued_by_russia_carries_rn11(all_details) -> None:  # type: ignore[no-untyped-def]
    russian = [a for a in all_details.values() if a.notice.issuing_state == "RU"]
    assert len(russian) >= 100
    assert all(_answer(a, "RN-11") == "present" for a in russian)


def test_the_2025_list_imports_and_a_full_list_withdraws_the_rest(db) -> None:  # type: ignore[no-untyped-def]
    details = shared_data("interpol_red_notices_antontsiklop", "red_notices_details.json")
    listing = shared_data("interpol_red_notices_list_2025", "red_notices_list_2025.csv")
    import_notices(read_notice_file(details).notices)
    report = import_notices(read_notice_file(listing).notices, full_list=True)
    assert report.read == 6400
    assert report.created + report.updated + report.unchanged == 6400
    assert Notice.objects.count() == 186 + report.created
    assert report.withdrawn == Notice.objects.filter(status="withdrawn").count() > 0
