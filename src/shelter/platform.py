"""Serving: collect static files once, then run the WSGI app under waitress."""

from __future__ import annotations


def prepare_to_serve() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def run_server(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from shelter.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="Shelter")
