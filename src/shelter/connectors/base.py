"""The interface every format module offers, and the report an import hands back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from shelter.intake import InputRefused
from shelter.intake import Problem as Problem

# progress(label, total) -> a context manager whose value counts steps done (see shelter.progress).
from shelter.progress import Progress as Progress
from shelter.progress import Ticker as Ticker
from shelter.progress import no_progress as no_progress

if TYPE_CHECKING:
    from shelter.access.visibility import Viewer


MAX_LISTED_PROBLEMS = 1000


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Problems beyond the first MAX_LISTED_PROBLEMS are counted, not kept (a file of a million bad rows).
    unlisted: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unlisted

    def add_problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)
        else:
            self.unlisted += 1

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.created.items()) or "nothing"
        if not self.ok:
            return f"{self.source}: refused, nothing was written ({len(self.problems) + self.unlisted:,} problem(s))"
        verb = "would create" if self.dry_run else "created"
        return f"{self.source}: {verb} {counts}"


class ImportRefused(InputRefused):
    """The file cannot be read at all (not the format it claims, unreadable header...)."""


class DryRunRollback(Exception):
    """Raised inside the import transaction to undo a dry run that had to write to validate."""


@dataclass(frozen=True)
class Connector:
    name: str
    description: str
    # read(path, dry_run, progress) -> report; atomic: all records or none
    read: Callable[[Path, bool, Progress], ImportReport] | None = None
    # write(stream, viewer, progress) -> number of records written; only what ``viewer`` may see
    write: Callable[[IO[Any], Viewer, Progress], int] | None = None
    binary_output: bool = False
