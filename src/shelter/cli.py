"""The ``shelter`` command. Thin: it parses arguments and calls service functions.

Sub-commands live beside the code they drive and are imported only when used, so ``shelter --help``
stays fast and a pure library's commands do not start Django.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

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
    "network": "shelter.network.cli:network",
    "watchlists": "shelter.watchlists.cli:watchlists",
    "monitor": "shelter.monitoring.cli:monitor",
    "worker": "shelter.jobs.cli:worker",
    "jobs": "shelter.jobs.cli:jobs",
    "surveillance": "shelter.surveillance.cli:surveillance",
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


class ShelterGroup(LazyGroup):
    """The error boundary: whatever a sub-command raises ends as one line on standard error and exit status 2
    (see :mod:`shelter.cli_errors`); ``--debug`` lets the traceback through instead."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as error:
            from shelter.cli_errors import EXIT_ERROR, one_line

            error.message = one_line(error.message)
            error.exit_code = EXIT_ERROR
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            from shelter.cli_errors import explain

            raise explain(error) from None


def setup_django(creates_database: bool = False) -> None:
    """Start Django for commands that use the platform. Unless the command creates the database (``migrate``,
    ``demo``, ``restore``), stop with a clear message when there is none to use."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    import django

    django.setup()
    if not creates_database:
        from shelter.platform import require_database

        require_database()



def viewer_as(username: str | None) -> Any:
    """Start Django and return what ``--as USERNAME`` names: that user, or the operator (who sees everything) for
    ``None``; an unknown name is a usage error."""
    setup_django()
    from shelter.analytics.services import audience_for_operator

    try:
        return audience_for_operator(username).viewer
    except LookupError as error:
        raise click.UsageError(str(error)) from error

@click.group(cls=ShelterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shelter")
@click.option("--debug", is_flag=True, help="Show the full traceback when a command fails unexpectedly.")
@click.option("-q", "--quiet", is_flag=True,
              help="Draw no progress bars (they are drawn on standard error only when it is a terminal).")
def main(debug: bool, quiet: bool) -> None:
    """Shelter: document transnational repression, screen notices, triage threats, brief policy makers.

    A command that fails says why in one line and exits with status 2 (docs/operations.md)."""
