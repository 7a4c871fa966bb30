"""The interface every format module offers, and the report an import hands back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from shelter.access.visibility import Viewer


class Ticker(Protocol):
    def update(self, steps: int) -> None: ...


# progress(label, total) -> a context manager whose value counts steps done (click.progressbar fits).
Progress = Callable[[str, int], contextlib.AbstractContextManager[Ticker]]


class _Silent:
    def update(self, steps: int) -> None:
        pass


@contextlib.contextmanager
def no_progress(label: str, total: int) -> Iterator[Ticker]:
    yield _Silent()


@dataclass(frozen=True)
class Problem:
    """One reason an import was refused: where (row or record), which field, and why."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.created.items()) or "nothing"
        if not self.ok:
            return f"{self.source}: refused, nothing was written ({len(self.problems)} problem(s))"
        verb = "would create" if self.dry_run else "created"
        return f"{self.source}: {verb} {counts}"


class ImportRefused(Exception):
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
