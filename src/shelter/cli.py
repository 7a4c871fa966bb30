"""The ``shelter`` command. Thin: it parses arguments and calls service functions.

Sub-commands live beside the code they drive and are imported only when used, so ``shelter --help``
stays fast and a pure library's commands do not start Django.
"""

from __future__ import annotations

import importlib
import os

import click

# command name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "demo": "shelter.platform_cli:demo",
    "serve": "shelter.platform_cli:serve",
    "migrate": "shelter.platform_cli:migrate",
    "users": "shelter.platform_cli:users",
    "token": "shelter.platform_cli:token",
    "trash": "shelter.platform_cli:trash",
    "import": "shelter.connectors.cli:import_command",
    "export": "shelter.connectors.cli:export_command",
    "backup": "shelter.connectors.cli:backup",
    "restore": "shelter.connectors.cli:restore",
    "names": "shelter.names.cli:names",
    "triage": "shelter.triage.cli:triage",
    "notices": "shelter.notices.cli:notices",
    "brief": "shelter.analytics.cli:brief",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                return None
            raise
        command = getattr(module, attribute, None)
        return command if isinstance(command, click.Command) else None


def setup_django() -> None:
    """Start Django for commands that use the platform."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    import django

    django.setup()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shelter")
def main() -> None:
    """Shelter: document transnational repression, screen notices, triage threats, brief policy makers."""
