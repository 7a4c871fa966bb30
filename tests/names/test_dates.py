from __future__ import annotations

import pytest

from shelter.names.dates import DateAgreement, PartialDateError, compare_dates, parse_partial_date


@pytest.mark.parametrize(
    ("left", "right", "agreement"),
    [
        ("1965-12-05", "1965-12-05", DateAgreement.SAME_DAY),
        ("1965-12-05", "1965-05-12", DateAgreement.DAY_MONTH_SWAPPED),
        ("1965", "1965-05-12", DateAgreement.SAME_YEAR),
        ("1965-05", "1965-05-12", DateAgreement.SAME_MONTH),
        ("1965-05", "1965-06", DateAgreement.SAME_YEAR_OTHER_DAY),
        ("1965-05-01", "1965-05-02", DateAgreement.SAME_YEAR_OTHER_DAY),
        ("1965", "1966-01-01", DateAgreement.YEAR_NEAR),
        ("1965", "1979", DateAgreement.YEAR_DIFFERS),
        ("1965/12/05", "1965-12-05", DateAgreement.SAME_DAY),
    ],
)
def test_agreement(left: str, right: str, agreement: DateAgreement) -> None:
    assert compare_dates(parse_partial_date(left), parse_partial_date(right)) is agreement
    assert compare_dates(parse_partial_date(right), parse_partial_date(left)) is agreement


def test_unknown_when_either_side_is_missing() -> None:
    assert compare_dates(None, parse_partial_date("1965")) is DateAgreement.UNKNOWN


@pytest.mark.parametrize("text", ["31/02/2019", "2019-02-31", "1965-13", "soon", "65"])
def test_bad_dates_say_what_is_expected(text: str) -> None:
    with pytest.raises(PartialDateError, match=r"date '.*'"):
        parse_partial_date(text)
