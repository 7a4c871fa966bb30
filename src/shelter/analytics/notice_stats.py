"""Statistics over Interpol notices, diffusions and extradition or deportation requests.

Pure: no Django. The database groups the caller's visible notices by issuing state, kind, status, year of
issue and whether another state or the CCF refused to act on them; this module counts the groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from shelter.analytics.stats import Shown, Tally, shown

__all__ = ["NoticeFigures", "NoticeGroup", "compute_notice_figures"]


@dataclass(frozen=True)
class NoticeGroup:
    issuing_state: str
    kind: str
    status: str
    year: int | None
    refused: bool
    count: int


@dataclass(frozen=True)
class NoticeFigures:
    total: int
    by_kind: tuple[Tally, ...]
    by_status: tuple[Tally, ...]
    by_year: tuple[Tally, ...]
    refused: int
    # How kind and status codes read to a person.
    labels: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self, public: bool) -> dict[str, object]:
        def tallies(items: tuple[Tally, ...]) -> list[dict[str, Shown]]:
            return [{"key": t.key, "label": self.labels.get(t.key, t.key), "count": shown(t.count, public)}
                    for t in items]

        return {
            "total": shown(self.total, public),
            "refused": shown(self.refused, public),
            "by_kind": tallies(self.by_kind),
            "by_status": tallies(self.by_status),
            "by_year": tallies(self.by_year),
        }


def compute_notice_figures(groups: Iterable[NoticeGroup], labels: Mapping[str, str] | None = None) -> NoticeFigures:
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    years: Counter[int] = Counter()
    total = refused = 0
    for group in groups:
        total += group.count
        kinds[group.kind] += group.count
        statuses[group.status] += group.count
        if group.year is not None:
            years[group.year] += group.count
        if group.refused:
            refused += group.count
    return NoticeFigures(
        total=total,
        by_kind=tuple(Tally(k, n) for k, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        by_status=tuple(Tally(s, n) for s, n in sorted(statuses.items())),
        by_year=tuple(Tally(str(y), years[y]) for y in sorted(years)),
        refused=refused,
        labels=dict(labels or {}),
    )
