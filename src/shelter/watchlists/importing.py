"""Importing a FollowTheMoney file as a named watchlist, keeping what each import added, changed and removed, and
screening the registry against the entries that are new or changed.

Screening is a system job, as for notices: the registry index covers every person, so that a caseworker's client
is found whoever imports the list. What a user sees of the candidates and alerts passes through the visibility
filter (a candidate is visible only with both its watchlist and its person).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from shelter.access.models import User
from shelter.access.writes import save_restricted
from shelter.countries import country_code
from shelter.ftm import BadLine, entity_lines
from shelter.names import DEFAULT_THRESHOLD, PersonRecord, ScreeningIndex
from shelter.notices.screening.notices import registry_index
from shelter.progress import Progress, no_progress
from shelter.registry.candidates import MatchDecision
from shelter.registry.models import Person
from shelter.stored_words import written
from shelter.watchlists.core import PropertyError, describe
from shelter.watchlists.models import (
    IMPORTED,
    Watchlist,
    WatchlistAlert,
    WatchlistEntry,
    WatchlistImport,
    WatchlistMatch,
)

CANDIDATES_PER_ENTRY = 10
# The fields an import compares to tell a changed entry from an unchanged one.
_COMPARED = ("schema", "caption", "names", "dob", "nationalities", "properties")


class WatchlistError(ValueError):
    """A watchlist file or name that cannot be used; the message says which and why."""


@dataclass
class ImportSummary:
    watchlist: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    candidates: int = 0
    new_candidates: int = 0
    alerts: int = 0

    def summary(self) -> str:
        skipped = (" (skipped: " + ", ".join(f"{n} {schema}" for schema, n in sorted(self.skipped.items())) + ")"
                   if self.skipped else "")
        return (f"watchlist {self.watchlist}: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {self.unchanged} unchanged{skipped}; {self.candidates} candidates in "
                f"the registry ({self.new_candidates} new), {self.alerts} alerts for people at risk")


def read_entries(lines: Iterable[str], source: str) -> tuple[dict[str, dict[str, Any]], dict[str, int], list[str]]:
    """The Person entities of an FtM file as entry values by entity id, the schemata skipped, and notes on values
    left out of the comparison. A line that is not an entity refuses the whole file."""
    entries: dict[str, dict[str, Any]] = {}
    skipped: dict[str, int] = {}
    notes: list[str] = []
    for line in entity_lines(lines):
        if isinstance(line, BadLine):
            raise WatchlistError(f"{source}, {line.where}: {line.message}")
        proxy = line.proxy
        if not proxy.schema.is_a("Person"):
            skipped[proxy.schema.name] = skipped.get(proxy.schema.name, 0) + 1
            continue
        properties = proxy.to_dict()["properties"]
        try:
            described = describe(properties, strict=False)
        except PropertyError as error:
            raise WatchlistError(f"{source}, {line.where} ({proxy.id}): {error}") from None
        notes.extend(f"{line.where} ({proxy.id}): {note}, left out" for note in described.notes)
        if not described.record.names:
            notes.append(f"{line.where} ({proxy.id}): a person without a name, skipped")
            continue
        entries[str(proxy.id)] = {
            "schema": proxy.schema.name, "caption": described.record.names[0][:500],
            "names": list(described.record.names), "dob": described.record.dob or "",
            "nationalities": list(described.record.nationalities), "properties": properties,
        }
    return entries, skipped, notes


def _watchlist(name: str, user: User | None, state: str, title: str, source: str,
               restriction: dict[str, Any]) -> Watchlist:
    watchlist = Watchlist.objects.filter(name=name).first()
    if watchlist is None and Watchlist._base_manager.filter(name=name).exists():
        raise WatchlistError(f"watchlist {name} is in the trash: restore or purge it before importing again")
    watchlist = watchlist or Watchlist(name=name)
    if state:
        watchlist.state = country_code(state)
    if title:
        watchlist.title = title
    watchlist.source = source[:300]
    save_restricted(watchlist, restriction, user, reason=written(IMPORTED))
    return watchlist


@transaction.atomic
def import_watchlist(name: str, path: Path, user: User | None = None, state: str = "", title: str = "",
                     restriction: dict[str, Any] | None = None,
                     threshold: float = DEFAULT_THRESHOLD, progress: Progress = no_progress) -> ImportSummary:
    """Import ``path`` as watchlist ``name`` (created on its first import). Entries missing from the file are
    marked removed; an entry back on the list is counted as added again. New and changed entries are screened
    against the registry (``progress`` counts them). All or nothing: a file with a bad line changes nothing."""
    try:
        with path.open(encoding="utf-8") as handle:
            entries, skipped, notes = read_entries(handle, path.name)
    except UnicodeDecodeError:
        raise WatchlistError(f"{path.name} is not UTF-8 text") from None
    except OSError as error:
        raise WatchlistError(f"{path}: {error.strerror or error}") from None
    watchlist = _watchlist(name, user, state, title, path.name, restriction or {})
    now = timezone.now()
    summary = ImportSummary(watchlist=watchlist.name, skipped=skipped, notes=notes)
    existing = {entry.entity_id: entry for entry in WatchlistEntry.objects.filter(watchlist=watchlist)}
    screen: list[WatchlistEntry] = []
    new_entries: list[WatchlistEntry] = []
    for entity_id, values in entries.items():
        entry = existing.get(entity_id)
        if entry is None:
            new_entries.append(WatchlistEntry(watchlist=watchlist, entity_id=entity_id, first_seen=now, changed=now,
                                              **values))
            summary.added.append(entity_id)
            continue
        back = entry.removed is not None
        if not back and all(getattr(entry, key) == value for key, value in values.items()):
            summary.unchanged += 1
            continue
        for key, value in values.items():
            setattr(entry, key, value)
        entry.changed, entry.removed = now, None
        entry.save()
        (summary.added if back else summary.changed).append(entity_id)
        screen.append(entry)
    screen.extend(WatchlistEntry.objects.bulk_create(new_entries, batch_size=1000))
    gone = [entry for entity_id, entry in existing.items() if entity_id not in entries and entry.removed is None]
    WatchlistEntry.objects.filter(pk__in=[entry.pk for entry in gone]).update(removed=now, changed=now)
    summary.removed = sorted(entry.entity_id for entry in gone)
    WatchlistImport.objects.create(watchlist=watchlist, source=path.name[:300], imported_by=user,
                                   added=summary.added, changed=summary.changed, removed=summary.removed,
                                   unchanged=summary.unchanged, notes=notes[:1000])
    screen_entries(screen, summary, threshold, progress=progress)
    return summary


def entry_record(entry: WatchlistEntry) -> PersonRecord:
    return PersonRecord(names=tuple(entry.names), dob=entry.dob or None, nationalities=tuple(entry.nationalities))


def screen_entries(entries: Sequence[WatchlistEntry], summary: ImportSummary,
                   threshold: float = DEFAULT_THRESHOLD, index: ScreeningIndex | None = None,
                   progress: Progress = no_progress) -> None:
    """Match each entry against the whole registry; record candidates (a decision already taken is kept) and
    raise alerts. ``progress`` counts the entries screened."""
    if not entries:
        return
    index = index if index is not None else registry_index()
    if len(index) == 0:
        return
    existing = {(m.entry_id, m.person_id): m
                for m in WatchlistMatch.objects.filter(entry__in=[entry.pk for entry in entries])}
    created: list[WatchlistMatch] = []
    kept: list[WatchlistMatch] = []
    with progress("screening entries", len(entries)) as ticker:
        for entry in entries:
            for hit in index.search(entry_record(entry), threshold=threshold, limit=CANDIDATES_PER_ENTRY):
                summary.candidates += 1
                person_id = int(hit.key)
                match = existing.get((entry.pk, person_id))
                if match is None:
                    created.append(WatchlistMatch.objects.create(entry=entry, person_id=person_id,
                                                                 score=hit.result.score,
                                                                 explanation=hit.result.explanation,
                                                                 date_agrees=hit.date_agrees))
                    continue
                kept.append(match)
                found = (hit.result.score, hit.result.explanation, hit.date_agrees)
                if (match.score, match.explanation, match.date_agrees) != found:
                    match.score, match.explanation, match.date_agrees = found
                    match.save(update_fields=["score", "explanation", "date_agrees", "modified"])
            ticker.update(1)
    summary.new_candidates = len(created)
    summary.alerts = raise_alerts(created + kept)


@transaction.atomic
def screen_watchlists(names: Sequence[str] = (), threshold: float = DEFAULT_THRESHOLD,
                      progress: Progress = no_progress) -> ImportSummary:
    """Screen every live entry of the named watchlists (all when none is named) against the registry as it is now:
    people added or marked at risk since the lists were imported get their candidates and alerts."""
    lists = Watchlist.objects.all()
    if names:
        lists = lists.filter(name__in=names)
        missing = sorted(set(names) - set(lists.values_list("name", flat=True)))
        if missing:
            raise WatchlistError(f"there is no watchlist named '{missing[0]}'")
    summary = ImportSummary(watchlist=", ".join(sorted(lists.values_list("name", flat=True))) or "(none)")
    entries = list(WatchlistEntry.objects.filter(watchlist__in=lists, removed__isnull=True)
                   .select_related("watchlist"))
    summary.unchanged = len(entries)
    screen_entries(entries, summary, threshold, progress=progress)
    return summary


def raise_alerts(matches: Sequence[WatchlistMatch]) -> int:
    """One alert per candidate whose person is at risk and whose watchlist is published by a state of the person's
    nationality (their origin state): an early warning, before any notice exists. A candidate rejected by a person
    or already alerted (even if acknowledged) raises none."""
    alerted = set(WatchlistAlert.objects.filter(match__in=[m.pk for m in matches]).values_list("match_id", flat=True))
    matches = [match for match in matches if match.pk not in alerted]
    wanted = []
    people = {person.pk: person for person in
              Person.objects.filter(pk__in={m.person_id for m in matches}, at_risk=True)}
    for match in matches:
        person = people.get(match.person_id)
        state = match.entry.watchlist.state
        if person is not None and state and state in person.nationalities \
                and match.decision != MatchDecision.REJECTED:
            wanted.append(WatchlistAlert(match=match))
    WatchlistAlert.objects.bulk_create(wanted)
    return len(wanted)
