"""The fetch connector on recorded answers: polite, resumable, and never on the network in tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelter.notices.intake.connector import (
    FetchError,
    HttpStatusError,
    PoliteClient,
    detail_url,
    fetch_notices,
    list_url,
)
from shelter.notices.intake.formats import read_notice_path
from tests.notices.conftest import NOTICE_FIXTURES

RECORDED = NOTICE_FIXTURES / "fetch"


class RecordedServer:
    """Answers from files recorded from the public API; anything else is a 404 like the real server."""

    def __init__(self, fail_first: int = 0) -> None:
        self.requests: list[str] = []
        self.fail_first = fail_first

    def __call__(self, url: str) -> bytes:
        self.requests.append(url)
        if self.fail_first:
            self.fail_first -= 1
            raise HttpStatusError(url, 429)
        if url == list_url(1, {"nationality": "TJ"}):
            return (RECORDED / "list-page-1.json").read_bytes()
        for path in RECORDED.glob("detail-*.json"):
            if url == detail_url(path.stem.removeprefix("detail-").replace("-", "/", 1)):
                return path.read_bytes()
        raise HttpStatusError(url, 404)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def _client(server: RecordedServer, clock: FakeClock, delay: float = 2.0) -> PoliteClient:
    return PoliteClient(get=server, delay=delay, sleep=clock.sleep, clock=clock)


def test_fetch_saves_pages_and_details_and_notes_a_deleted_notice(tmp_path: Path) -> None:
    server, clock = RecordedServer(), FakeClock()
    report = fetch_notices(tmp_path, _client(server, clock), {"nationality": "TJ"})
    assert report.notices_listed == 3 and report.pages_fetched == 1 and report.details_fetched == 2
    assert len(report.errors) == 1 and "404" in report.errors[0]  # 2019/29447 was deleted after listing
    assert sorted(p.name for p in (tmp_path / "details").iterdir()) == ["2019-34876.json", "2021-69190.json"]
    parsed = read_notice_path(tmp_path)
    assert {n.entity_id for n in parsed.notices if n.has_details} == {"2019/34876", "2021/69190"}


def test_requests_are_spaced_by_the_delay(tmp_path: Path) -> None:
    server, clock = RecordedServer(), FakeClock()
    fetch_notices(tmp_path, _client(server, clock, delay=2.0), {"nationality": "TJ"})
    assert len(server.requests) == 4 and clock.slept == [2.0, 2.0, 2.0]


def test_a_second_run_resumes_without_asking_again(tmp_path: Path) -> None:
    fetch_notices(tmp_path, _client(RecordedServer(), FakeClock()), {"nationality": "TJ"})
    server = RecordedServer()
    report = fetch_notices(tmp_path, _client(server, FakeClock()), {"nationality": "TJ"})
    assert report.pages_skipped == 1 and report.details_skipped == 2 and report.details_fetched == 0
    assert server.requests == [detail_url("2019/29447")]  # only what is still missing


def test_the_client_backs_off_when_asked_to_slow_down(tmp_path: Path) -> None:
    server, clock = RecordedServer(fail_first=2), FakeClock()
    report = fetch_notices(tmp_path, _client(server, clock, delay=1.0), {"nationality": "TJ"}, with_details=False)
    assert report.pages_fetched == 1
    assert clock.slept[:2] == [2.0, 4.0]


def test_a_refusal_stops_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HttpStatusError, match="HTTP 404"):
        fetch_notices(tmp_path, _client(RecordedServer(), FakeClock()), {"nationality": "UZ"})


def test_an_answer_that_is_not_a_list_page_is_refused(tmp_path: Path) -> None:
    client = PoliteClient(get=lambda url: b'{"error": "maintenance"}', delay=0.5, sleep=lambda s: None)
    with pytest.raises(FetchError, match="not a notices list page"):
        fetch_notices(tmp_path, client, {})
