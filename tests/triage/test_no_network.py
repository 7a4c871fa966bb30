"""Analysis must never reach the network: any socket creation fails the test."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from shelter.triage.check import check_value
from shelter.triage.feeds import default_store
from shelter.triage.report import analyse_email
from tests.triage.conftest import FIXTURES, message


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed("triage tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


def test_socket_guard_works(no_network: None) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("192.0.2.1", 80))


def test_analysis_and_checks_make_no_network_call(no_network: None) -> None:
    store = default_store()  # compiling the shipped feeds and the public suffix list are offline too
    for path in sorted((FIXTURES / "emails").glob("*.eml")):
        analyse_email(path.read_bytes(), store)
    html = '<a href="https://bit.ly/x">x</a><img src="http://px.example/a.gif" width=1 height=1>'
    analyse_email(message(html=html, body="see http://t.co/abc"), store)
    for value in ["https://bit.ly/x", "clck.ru", "xn--80ak6aa92e.com", "8.8.8.8", "a@gmail.com", "0" * 64]:
        check_value(value, store)


def test_real_messages_make_no_network_call(no_network: None) -> None:
    folder = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "emails"
    if not folder.exists():
        pytest.skip(f"shared data not available: {folder}")
    store = default_store()
    for path in sorted(folder.rglob("*.eml")):
        analyse_email(path.read_bytes(), store)
