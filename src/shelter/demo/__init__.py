"""The fictional demo workspace behind ``shelter demo``.

Every person, organisation, incident and source is generated from the name parts and descriptions in ``data/``
with a fixed seed, so the workspace is the same on every machine and resembles real case work without describing
anyone real. Records are written with ``bulk_create`` (with history rows) and indexed for search in one pass, so
the whole workspace loads in seconds.

``catalogue`` loads and checks the data files; ``builder`` holds what the builder's parts share, ``people`` makes
organisations and people, ``incidents`` incidents and their sources, ``workspace`` puts them together and saves
them; ``loading`` is the command's entry point.
"""

from shelter.demo.builder import (
    ANCHOR_TITLE,
    CENTRAL_ASIA_DESK,
    EURASIA_DESK,
    INCIDENT_COUNT,
    NAME_WITHHELD,
    SEED,
    DemoWorkspace,
)
from shelter.demo.catalogue import DATA_DIR, DemoCatalogue, DemoDataError, load_catalogue
from shelter.demo.loading import DEMO_USERS, MARKER_FILE, load_demo_workspace
from shelter.demo.workspace import build_workspace, save_workspace

__all__ = [
    "ANCHOR_TITLE", "CENTRAL_ASIA_DESK", "DATA_DIR", "DEMO_USERS", "EURASIA_DESK", "INCIDENT_COUNT", "MARKER_FILE",
    "NAME_WITHHELD", "SEED", "DemoCatalogue", "DemoDataError", "DemoWorkspace", "build_workspace", "load_catalogue",
    "load_demo_workspace", "save_workspace",
]
