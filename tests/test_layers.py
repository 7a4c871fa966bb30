"""Imports between Shelter's parts point down the layers of docs/architecture.md, never up: a part may import
its own layer and the layers below, deferred imports inside functions included. A new app or top-level module
must be given its layer here (and in docs/architecture.md) before it can be imported by anything."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module belongs to the layer of the longest prefix listed; an app's ``cli`` module is an entry
# point and belongs to the top layer, whatever its app.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation: pure cores and shared value types", (
        "shelter.config", "shelter.countries", "shelter.partial_dates", "shelter.archives", "shelter.validators",
        "shelter.intake", "shelter.progress", "shelter.stored_words", "shelter.flash",
        "shelter.ftm", "shelter.names", "shelter.indicators", "shelter.triage")),
    ("access: accounts, visibility filter, audited writes, history", ("shelter.access",)),
    ("toolkit: search index, page and API building blocks", (
        "shelter.search", "shelter.web", "shelter.jobs", "shelter.api.auth", "shelter.api.listing",
        "shelter.api.openapi", "shelter.api.records", "shelter.api.toolkit")),
    ("registry: people, organisations, relationships", ("shelter.registry",)),
    ("incidents: incidents, sources, citations, evidence", ("shelter.incidents",)),
    ("cases: notices and threat reports", ("shelter.notices", "shelter.threats")),
    ("analysis: statistics, briefings, and the modules built on the cases", (
        "shelter.analytics", "shelter.surveillance", "shelter.network", "shelter.monitoring", "shelter.watchlists")),
    ("composition: pages, API, import/export, demo, commands", (
        "shelter.site", "shelter.api", "shelter.connectors", "shelter.demo", "shelter.urls",
        "shelter.cli", "shelter.cli_errors", "shelter.platform", "shelter.platform_cli", "shelter.settings",
        "shelter.wsgi", "shelter.asgi")),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SOURCE / "shelter").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SOURCE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _layer(module: str) -> int:
    if module == "shelter" or (module.endswith(".cli") and module != "shelter.cli"):
        return len(LAYERS) - 1
    best, depth = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = index, prefix.count(".")
    return best


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("shelter"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                targets.add(name if name in modules else node.module)
        elif isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names if alias.name.startswith("shelter")}
    return targets


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(module for module in _modules() if _layer(module) < 0)
    assert not unplaced, f"give these a layer in tests/test_layers.py and docs/architecture.md: {unplaced}"


def test_imports_point_down() -> None:
    modules = _modules()
    upward = []
    for module, path in sorted(modules.items()):
        own = _layer(module)
        for target in sorted(_imports(path, modules)):
            if _layer(target) > own:
                upward.append(f"{module} ({LAYERS[own][0].split(':')[0]}) imports {target} "
                              f"({LAYERS[_layer(target)][0].split(':')[0]})")
    assert not upward, "\n".join(upward)
