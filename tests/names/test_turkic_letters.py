"""Turkish and Azerbaijani names with and without their letters (ş ğ ı ə ç ö ü)."""

from __future__ import annotations

import pytest

from shelter.names import PersonRecord, compare


def _score(left: str, right: str) -> float:
    return compare(PersonRecord((left,)), PersonRecord((right,))).score


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Məhəmməd Hüseynov", "Mahammad Huseynov"),
        ("Əli Həsənov", "Ali Hasanov"),
        ("Çağlar Çelik", "celik caglar"),
        ("Ayşe Yılmaz", "AYSE YILMAZ"),
        ("Mehmet Cəfərov", "Mehmed Jafarov"),
        ("Doğan Öztürk", "Dogan Ozturk"),
    ],
)
def test_turkic_letters_against_ascii(left: str, right: str) -> None:
    assert _score(left, right) >= 0.75


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ayşe Yılmaz", "Aylin Yilmaz"), ("Əli Həsənov", "Ali Huseynov"), ("Doğan Öztürk", "Dogan Ozdemir")],
)
def test_other_turkic_names_do_not_match(left: str, right: str) -> None:
    assert _score(left, right) < 0.75


@pytest.mark.parametrize(
    ("azerbaijani", "passport"),
    [
        ("Nicat Qasımov", "GASIMOV NIJAT"),  # q beside ı
        ("Vüqar Həsənov", "HASANOV VUGAR"),  # q beside ü and ə
        ("Vüsal Şahin Oğlu Quliyev", "GULIYEV VUSAL"),  # Quliyev has no letter of its own; its name has
    ],
)
def test_azerbaijani_q_is_the_g_of_passport_spellings(azerbaijani: str, passport: str) -> None:
    result = compare(PersonRecord((azerbaijani,)), PersonRecord((passport,)))
    assert result.score == 1.0, result.explanation


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Qosimov Utkir", "Gasimov Utkir"),  # Uzbek q is к (Қосимов): near, not the same
        ("Qasim Ali", "Gasim Ali"),  # Arabic q
    ],
)
def test_q_without_azerbaijani_letters_stays_near_g(left: str, right: str) -> None:
    assert 0.75 <= _score(left, right) < 1.0
