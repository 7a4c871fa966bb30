"""Every `shelter notices` command and option is documented in docs/notices.md."""

from __future__ import annotations

import click

from shelter.notices.cli import notices
from tests.conftest import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "notices.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented() -> None:
    assert notices.commands
    for name, command in notices.commands.items():
        assert f"`shelter notices {name}" in DOC, f"shelter notices {name} is not documented"
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                documented = any(f"`{option}" in DOC for option in parameter.opts)
                assert documented, f"shelter notices {name} {parameter.opts[0]} is not documented"
