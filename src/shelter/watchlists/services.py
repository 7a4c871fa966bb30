"""What a user may learn of watchlists: each list with its counts, its import history, candidates and alerts,
all through the visibility filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from shelter.access.visibility import Viewer, visible_to
from shelter.watchlists.models import Watchlist, WatchlistAlert, WatchlistImport


class UnknownWatchlist(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"there is no watchlist named '{name}'")


def visible_watchlist(viewer: Viewer, name: str) -> Watchlist:
    """The watchlist ``name`` if ``viewer`` may see it; a hidden one is missing, exactly like one never imported."""
    found = visible_to(Watchlist.objects.filter(name=name), viewer).first()
    if found is None:
        raise UnknownWatchlist(name)
    return found


def watchlist_summaries(viewer: Viewer) -> list[dict[str, Any]]:
    lists = visible_to(Watchlist.objects.all(), viewer).annotate(
        live=Count("entries", filter=Q(entries__removed__isnull=True)),
        gone=Count("entries", filter=Q(entries__removed__isnull=False)))
    return [{"name": w.name, "title": w.title, "state": w.state, "confidentiality": w.confidentiality,
             "entries": w.live, "removed": w.gone, "source": w.source,
             "last_import": w.modified.isoformat()} for w in lists]


def import_history(viewer: Viewer, name: str) -> list[dict[str, Any]]:
    watchlist = visible_watchlist(viewer, name)
    return [{"imported": row.imported.isoformat(), "source": row.source, "added": row.added, "changed": row.changed,
             "removed": row.removed, "unchanged": row.unchanged}
            for row in WatchlistImport.objects.filter(watchlist=watchlist)]


def alerts_for(viewer: Viewer, include_acknowledged: bool = False) -> list[dict[str, Any]]:
    queryset = WatchlistAlert.visible(viewer, include_acknowledged).select_related(
        "match__entry__watchlist", "match__person")
    return [{"created": alert.created.isoformat(), "watchlist": alert.match.entry.watchlist.name,
             "state": alert.match.entry.watchlist.state, "entry": alert.match.entry.entity_id,
             "listed_as": alert.match.entry.caption, "person": alert.match.person_id,
             "person_name": alert.match.person.primary_name, "score": alert.match.score,
             "explanation": alert.match.explanation} for alert in queryset]
