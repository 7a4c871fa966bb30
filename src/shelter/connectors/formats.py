"""The format modules by name, imported only when used."""

from __future__ import annotations

import importlib

from shelter.connectors.base import Connector

FORMATS: dict[str, str] = {
    "csv": "shelter.connectors.csv_incidents",
    "xlsx": "shelter.connectors.xlsx_incidents",
    "json": "shelter.connectors.json_records",
    "ftm": "shelter.connectors.ftm_entities",
}
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".json": "json", ".ftm": "ftm", ".jsonl": "ftm",
            ".ndjson": "ftm"}


def connector(name: str) -> Connector:
    if name not in FORMATS:
        raise LookupError(f"unknown format '{name}' (expected one of {', '.join(FORMATS)})")
    module = importlib.import_module(FORMATS[name])
    found: Connector = module.CONNECTOR
    return found


def format_for(filename: str) -> str:
    """Guess the format from the file name's suffix (``.ftm.json`` is FollowTheMoney)."""
    lower = filename.lower()
    if lower.endswith((".ftm.json", ".ftm.jsonl")):
        return "ftm"
    for suffix, name in SUFFIXES.items():
        if lower.endswith(suffix):
            return name
    raise LookupError(f"cannot tell the format of '{filename}' from its name: pass --format "
                      f"({', '.join(FORMATS)})")
