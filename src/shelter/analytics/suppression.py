"""Which counts a public output withholds, so that no count below 3 can be read or worked out.

Primary suppression withholds every count below :data:`SMALL_COUNT_LIMIT`. That alone is not enough when
the output also shows totals: a row total of 10 beside shown parts 4 and 5 gives the withheld part away
(10 − 4 − 5 = 1). Complementary (secondary) suppression therefore looks at every published sum — a
table's total, a row or column total, a category's total over its tactics — and wherever exactly one of
its members (the total or one of its parts) is withheld, it withholds one more: the smallest part still
shown, or the total when every part is already withheld. It repeats until every sum has none or at least
two withheld members, because withholding a cell for one sum can leave another sum with a single one.

Every withheld count is shown the same way, whether it is small or withheld to protect a small one: two
markers would tell a reader which withheld counts are at least 3, and with the totals that can pin down
the others (a row total 3 above its shown parts, withholding one "below 3" and one "at least 3" count,
leaves only 0 and 3).

A merged output (the public tables and charts) goes further: it shows no withheld count at all, but one
"other" row per table holding the sum of the table's withheld rows, which a reader could work out anyway as the
table's total minus its shown rows. With ``merged`` every sum whose total is shown must leave either nothing or
at least :data:`SMALL_COUNT_LIMIT` to its withheld parts together, so that no such remainder (an "other" row, or
the flows from one state to the hosts not shown) is below the limit either.

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["SMALL_COUNT_LIMIT", "Merged", "Sum", "merge_withheld", "withheld_cells"]

# Public outputs never show a count below this: a count of one or two can single out a person.
SMALL_COUNT_LIMIT = 3

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Sum(Generic[K]):
    """A published equation: the cell ``total`` is the sum of the cells ``parts``."""

    total: K
    parts: tuple[K, ...]


def withheld_cells(counts: Mapping[K, int], sums: Iterable[Sum[K]], unpublished: Iterable[K] = (), *,
                   merged: bool = False) -> frozenset[K]:
    """The cells of ``counts`` a public output must withhold.

    ``sums`` are the equations a reader can form from the published cells; a cell that is shown nowhere
    (``unpublished``, e.g. the number of undated incidents) is an unknown to the reader and counts as
    withheld. Cells not in ``counts`` are unknown to this function: every member of a sum must be in it.
    With ``merged`` the withheld parts of a sum with a shown total also add up to 0 or at least the limit.
    """
    equations = [s for s in sums if s.parts]
    for equation in equations:
        for cell in (equation.total, *equation.parts):
            if cell not in counts:
                raise KeyError(f"cell {cell!r} of a published sum has no count")
    withheld = {cell for cell, count in counts.items() if count < SMALL_COUNT_LIMIT}
    withheld.update(unpublished)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            if not _gives_away(equation, counts, withheld, merged):
                continue
            shown_parts = [cell for cell in equation.parts if cell not in withheld]
            if shown_parts:
                withheld.add(min(shown_parts, key=lambda cell: (counts[cell], repr(cell))))
            else:
                withheld.add(equation.total)
            changed = True
    return frozenset(withheld)


def _gives_away(equation: Sum[K], counts: Mapping[K, int], withheld: set[K], merged: bool) -> bool:
    """Whether the shown members of ``equation`` let a reader work out a withheld count (or, merged, a
    remainder below the limit)."""
    hidden = [cell for cell in equation.parts if cell in withheld]
    if sum(1 for cell in (equation.total, *equation.parts) if cell in withheld) == 1:
        return True
    return merged and equation.total not in withheld and 0 < sum(counts[cell] for cell in hidden) < SMALL_COUNT_LIMIT


@dataclass(frozen=True)
class Merged(Generic[K]):
    """A published sum as a merged public output shows it: the parts shown, in their order, and the withheld ones
    together as one "other" count (0 when none is withheld, else at least the limit). When the total itself is
    withheld (``total_withheld``), nothing is shown: the output says so in words."""

    shown: tuple[K, ...]
    other: int
    total_withheld: bool = False


def merge_withheld(counts: Mapping[K, int], total: K, parts: Iterable[K], withheld: Collection[K]) -> Merged[K]:
    """The sum ``total`` = ``parts`` as a merged public output shows it, given the cells :func:`withheld_cells`
    withholds (with ``merged``). The one place where withheld parts become an "other" count."""
    if total in withheld:
        return Merged((), 0, True)
    members = tuple(parts)
    other = sum(counts[cell] for cell in members if cell in withheld)
    if 0 < other < SMALL_COUNT_LIMIT:  # cannot happen with merged suppression; never publish a remainder below it
        return Merged((), 0, True)
    return Merged(tuple(cell for cell in members if cell not in withheld), other)
