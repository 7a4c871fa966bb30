"""`shelter brief` and the analytics API are documented in docs/analytics.md, with every option."""

from __future__ import annotations

from pathlib import Path

import click

from shelter.analytics.cli import brief

DOC = (Path(__file__).resolve().parents[2] / "docs" / "analytics.md").read_text(encoding="utf-8")


def test_brief_and_every_option_are_documented() -> None:
    assert "`shelter brief`" in DOC
    for parameter in brief.params:
        if isinstance(parameter, click.Option):
            for option in parameter.opts:
                assert f"`{option}" in DOC, f"shelter brief {option} is not documented in docs/analytics.md"


def test_every_api_endpoint_is_documented() -> None:
    from shelter.analytics.api import router

    for path in router.path_operations:
        assert f"/api/v1/analytics{path.split('{')[0]}" in DOC, f"{path} is not documented"
