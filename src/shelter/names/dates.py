"""Partial dates of birth (year, year-month or full date) and how two of them agree."""

from __future__ import annotations

import re
from enum import Enum

from shelter.partial_dates import PartialDate, PartialDateError
from shelter.partial_dates import parse_partial_date as _parse_iso

__all__ = ["DateAgreement", "PartialDate", "PartialDateError", "compare_dates", "parse_partial_date"]


_SLASHED = re.compile(r"\d{4}(?:/\d{1,2}){1,2}")


def parse_partial_date(text: str) -> PartialDate:
    """Read "YYYY", "YYYY-MM" or "YYYY-MM-DD"; Interpol lists write "YYYY/MM/DD", which is accepted too."""
    stripped = text.strip()
    if _SLASHED.fullmatch(stripped):
        stripped = stripped.replace("/", "-")
    return _parse_iso(stripped)


class DateAgreement(Enum):
    """How two dates of birth relate, from strongest support to strongest contradiction."""

    SAME_DAY = "date of birth agrees"
    SAME_MONTH = "birth month agrees"
    SAME_YEAR = "birth year agrees"
    DAY_MONTH_SWAPPED = "date of birth agrees with day and month swapped"
    UNKNOWN = "no date of birth to compare"
    YEAR_NEAR = "birth year differs by one"
    SAME_YEAR_OTHER_DAY = "same birth year, different day or month"
    YEAR_DIFFERS = "birth year differs"


def compare_dates(left: PartialDate | None, right: PartialDate | None) -> DateAgreement:
    """Compare at the precision both dates have; a day/month swap is a common clerical error."""
    if left is None or right is None:
        return DateAgreement.UNKNOWN
    if left.year != right.year:
        return DateAgreement.YEAR_NEAR if abs(left.year - right.year) == 1 else DateAgreement.YEAR_DIFFERS
    if left.month is None or right.month is None:
        return DateAgreement.SAME_YEAR
    if left.day is not None and right.day is not None:
        if (left.month, left.day) == (right.month, right.day):
            return DateAgreement.SAME_DAY
        if (left.month, left.day) == (right.day, right.month):
            return DateAgreement.DAY_MONTH_SWAPPED
        return DateAgreement.SAME_YEAR_OTHER_DAY
    if left.month == right.month:
        return DateAgreement.SAME_MONTH
    if left.day is not None and left.day == right.month or right.day is not None and right.day == left.month:
        return DateAgreement.DAY_MONTH_SWAPPED
    return DateAgreement.SAME_YEAR_OTHER_DAY
