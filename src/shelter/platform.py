"""Serving: collect static files once, then run the WSGI app under waitress."""

from __future__ import annotations

import os
from typing import Any

from shelter.config import env_flag

# Headers a TLS-terminating proxy sets; waitress drops them unless they come from a proxy it trusts.
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for"}


def prepare_to_serve() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def proxy_options() -> dict[str, Any]:
    """Behind TLS (``SHELTER_HTTPS``), trust the scheme and client address sent by the proxy at
    ``SHELTER_TRUSTED_PROXY`` (default 127.0.0.1); without this every request looks like plain HTTP and the
    HTTPS redirect would loop."""
    if not env_flag("SHELTER_HTTPS"):
        return {}
    return {"trusted_proxy": os.environ.get("SHELTER_TRUSTED_PROXY", "127.0.0.1"),
            "trusted_proxy_headers": PROXY_HEADERS, "trusted_proxy_count": 1}


def run_server(host: str, port: int, threads: int) -> None:
    from django.conf import settings
    from waitress import serve

    from shelter.wsgi import application

    # Refuse oversized bodies before they reach Django (the largest upload plus room for the form around it).
    body_limit = settings.MAX_UPLOAD_BYTES + 1024 * 1024
    serve(application, host=host, port=port, threads=threads, ident="Shelter", max_request_body_size=body_limit,
          **proxy_options())
