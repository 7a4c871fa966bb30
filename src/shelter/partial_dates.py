"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, with the range of days they cover."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"


class PartialDateError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day:
            return self.first_day
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def parse_partial_date(value: str) -> PartialDate:
    """Parse ``value``; raise :class:`PartialDateError` with a message a person can act on."""
    text = value.strip()
    match = _PATTERN.match(text)
    if not match:
        raise PartialDateError(f"date '{value}' is not a date ({EXPECTED})")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not 1800 <= year <= 2100:
        raise PartialDateError(f"date '{value}': year {year} is out of range (1800-2100)")
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError(f"date '{value}' is not a date: there is no month {month} ({EXPECTED})")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise PartialDateError(f"date '{value}' is not a date: {calendar.month_name[month]} {year} has {last} days")
    return PartialDate(year, month, day)
