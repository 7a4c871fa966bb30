"""Triage fixtures: a store built from the fixture feeds, and a private SHELTER_HOME per test."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from shelter.triage.feeds import _loaded
from shelter.triage.store import FeedSpec, IndicatorStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "triage"


TEST_LIST = [
    "com-auth.site",
    "evil-phish.example",
    "198.51.100.9",
    "attacker@evil-phish.example",
    "https://tracker.example/path?a=b=c",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # SHA-256 of empty content
]


@pytest.fixture
def store(tmp_path: Path) -> IndicatorStore:
    """The NoviSpy fixture bundle plus a small plain list covering every kind of value."""
    plain = tmp_path / "test-list.txt"
    plain.write_text("\n".join(TEST_LIST) + "\n")
    return IndicatorStore.from_feeds(
        [
            FeedSpec("novispy", FIXTURES / "novispy.stix2", "stix2", "NoviSpy fixture", category="spyware"),
            FeedSpec("test-list", plain, "list", "test list", category="phishing"),
        ]
    )


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("SHELTER_HOME", str(home))
    _loaded.clear()
    return home


def message(
    *,
    sender: str = "Alice <alice@example.org>",
    subject: str = "Hello",
    body: str = "Hi, see you tomorrow.",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "bob@example.net"
    msg["Subject"] = subject
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, payload in attachments:
        msg.add_attachment(payload, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()
