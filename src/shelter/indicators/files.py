"""Where the catalogue's data files live and how they are read; the error every loader raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CATALOGUE_DIR = Path(__file__).with_name("catalogue")


class CatalogueError(ValueError):
    """A catalogue file that does not validate; the message names the file, the entry and the fix."""


# The C loader when PyYAML was built with libyaml: the catalogue loads several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML ({error})") from error
