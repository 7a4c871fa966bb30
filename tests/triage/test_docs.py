"""Every `shelter triage` command is documented in docs/triage.md with its options."""

from __future__ import annotations

from pathlib import Path

import click

from shelter.triage.cli import triage

DOC = (Path(__file__).resolve().parents[2] / "docs" / "triage.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += commands(command, path)
        else:
            found.append((path, command))
    return found


def test_every_command_and_option_is_documented() -> None:
    listed = commands(triage, "shelter triage")
    assert len(listed) == 7
    for path, command in listed:
        assert f"`{path}" in DOC, f"{path} is not documented in docs/triage.md"
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                assert parameter.opts[0] in DOC, f"{path} {parameter.opts[0]} is not documented"
