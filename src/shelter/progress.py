"""Progress bars for long commands: the one helper every command wraps its work with.

Bars are drawn by click (already the CLI's library) on standard error, and only when standard error is a terminal
and ``shelter --quiet`` was not given, so that pipes, tests and JSON or CSV on standard output stay as they are.
A library function that reports progress takes a :data:`Progress` (``progress_bar`` fits, and so does
:func:`no_progress`) or an ``on_progress(steps)`` callback (``Bar.update`` fits)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any, Protocol, TextIO, TypeVar

import click

T = TypeVar("T")
# Redraw about this many times over a whole run at most: a bar updated for each of a million rows would spend
# more time writing to the terminal than on the rows.
REDRAWS = 500


class Ticker(Protocol):
    def update(self, steps: int) -> None: ...


# progress(label, total) -> a context manager whose value counts steps done.
Progress = Callable[[str, int], contextlib.AbstractContextManager[Ticker]]


class Bar:
    """Counts steps; draws them when it has a click bar behind it, and does nothing otherwise."""

    def __init__(self, drawn: Any = None) -> None:
        self._drawn = drawn

    def update(self, steps: int) -> None:
        if self._drawn is not None and steps:
            self._drawn.update(steps)

    def show(self, done: int, total: int, label: str | None = None) -> None:
        """Move to ``done`` of ``total`` (for work followed from outside, e.g. a job run by a worker)."""
        if self._drawn is None:
            return
        self._drawn.length = max(total, 1)
        if label is not None:
            self._drawn.label = label
        self._drawn.update(done - self._drawn.pos)


def quiet_asked() -> bool:
    """Whether ``shelter --quiet`` was given to the command running now."""
    context = click.get_current_context(silent=True)
    return context is not None and bool(context.find_root().params.get("quiet"))


def bars_wanted(stream: TextIO) -> bool:
    return not quiet_asked() and stream.isatty()


@contextlib.contextmanager
def progress_bar(label: str, total: int, *, stream: TextIO | None = None,
                 shown: bool | None = None) -> Iterator[Bar]:
    """A bar of ``total`` steps on standard error (or ``stream``); ``shown`` overrides whether it is drawn."""
    target = stream if stream is not None else sys.stderr
    if not (bars_wanted(target) if shown is None else shown):
        yield Bar()
        return
    with click.progressbar(length=max(total, 1), label=label, file=target, show_eta=True, show_pos=True,
                           update_min_steps=max(1, total // REDRAWS)) as drawn:
        yield Bar(drawn)


@contextlib.contextmanager
def no_progress(label: str, total: int) -> Iterator[Bar]:
    """For callers that show no progress (the web, the API, jobs that report their own)."""
    yield Bar()


def track(items: Iterable[T], label: str, total: int | None = None, **bar_options: Any) -> Iterator[T]:
    """Yield ``items`` while a bar counts them (``total`` defaults to ``len(items)``)."""
    count = total if total is not None else (len(items) if isinstance(items, Sized) else 0)
    with progress_bar(label, count, **bar_options) as bar:
        for item in items:
            yield item
            bar.update(1)
