from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shelter_context(request: HttpRequest) -> dict[str, Any]:
    return {"demo_workspace": getattr(settings, "SHELTER_DEMO", False) or _demo_flag()}


def _demo_flag() -> bool:
    return (settings.SHELTER_HOME / "DEMO").exists()
