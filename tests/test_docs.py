"""Every ``shelter`` command and sub-command is documented (README.md or docs/*.md) and answers ``--help``."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shelter.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]


def _documentation() -> str:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages if page.exists())


def _walk(group: click.Group, ctx: click.Context, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"`shelter {' '.join((*prefix, name))}` is listed but cannot be loaded"
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(_walk(command, click.Context(command, parent=ctx, info_name=name), (*prefix, name)))
    return paths


def all_commands() -> list[tuple[str, ...]]:
    return _walk(main, click.Context(main, info_name="shelter"), ())


def test_the_walk_finds_every_mapped_command() -> None:
    top_level = {path[0] for path in all_commands()}
    assert top_level == set(COMMANDS)
    assert ("users", "add") in all_commands()


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_command_is_documented(path: tuple[str, ...]) -> None:
    phrase = "shelter " + " ".join(path)
    assert phrase in _documentation(), f"`{phrase}` is not described in README.md or docs/*.md"


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_command_help_works(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert " ".join(path) in result.output.splitlines()[0]
    command = main
    ctx = click.Context(main, info_name="shelter")
    for name in path:
        assert isinstance(command, click.Group)
        command = command.get_command(ctx, name)  # type: ignore[assignment]
    assert command is not None and (command.help or command.short_help), \
        f"`shelter {' '.join(path)}` has no help text"
