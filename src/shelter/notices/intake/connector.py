"""``shelter notices fetch``: the opt-in connector to Interpol's public notices API.

It is the only part of the notices app that uses the network, and only when a person runs it. It is
polite (one request at a time, a pause between requests, backing off when the server asks) and
resumable: every page and detail record is saved to a directory as it arrives, and a second run skips
what is already there. Importing the directory is a separate step (``shelter notices import DIR``).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

API_ROOT = "https://ws-public.interpol.int/notices/v1/red"
RESULTS_PER_PAGE = 160  # the most the public API returns per page
USER_AGENT = "Shelter-notices-connector/0.1 (self-hosted, opt-in)"
RETRY_STATUSES = {429, 500, 502, 503, 504}

Getter = Callable[[str], bytes]


class FetchError(RuntimeError):
    """The server refused or answered something that is not a notices response."""


class HttpStatusError(FetchError):
    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url}: the server answered HTTP {status}")
        self.status = status


def http_get(url: str, timeout: float = 30.0) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        # The only network call in the app, made when a person runs `shelter notices fetch`.
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        raise HttpStatusError(url, error.code) from None
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: {error.reason}") from None


@dataclass
class FetchReport:
    pages_fetched: int = 0
    pages_skipped: int = 0
    details_fetched: int = 0
    details_skipped: int = 0
    notices_listed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.notices_listed} notices listed; pages: {self.pages_fetched} fetched, {self.pages_skipped} "
                f"already saved; details: {self.details_fetched} fetched, {self.details_skipped} already saved"
                + (f"; {len(self.errors)} errors" if self.errors else ""))


@dataclass
class PoliteClient:
    get: Getter = http_get
    delay: float = 1.0
    retries: int = 3
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = None
    clock: Callable[[], float] = time.monotonic

    def fetch_json(self, url: str) -> Any:
        for attempt in range(self.retries + 1):
            if self._last is not None:
                wait = self.delay - (self.clock() - self._last)
                if wait > 0:
                    self.sleep(wait)
            self._last = self.clock()
            try:
                body = self.get(url)
            except HttpStatusError as error:
                if error.status in RETRY_STATUSES and attempt < self.retries:
                    self.sleep(self.delay * 2 ** (attempt + 1))  # back off: the server asked us to slow down
                    continue
                raise
            try:
                return json.loads(body)
            except ValueError:
                raise FetchError(f"{url}: the answer is not JSON") from None
        raise FetchError(f"{url}: no answer after {self.retries} retries")


def list_url(page: int, filters: dict[str, str]) -> str:
    query = {**filters, "page": str(page), "resultPerPage": str(RESULTS_PER_PAGE)}
    return f"{API_ROOT}?{urllib.parse.urlencode(sorted(query.items()))}"


def detail_url(entity_id: str) -> str:
    return f"{API_ROOT}/{urllib.parse.quote(entity_id.replace('/', '-'))}"


def _save(path: Path, document: Any) -> None:
    temporary = path.with_suffix(".part")
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)  # a page is either whole on disk or absent, so a resumed run never reads half


def fetch_notices(
    directory: Path,
    client: PoliteClient,
    filters: dict[str, str] | None = None,
    max_pages: int | None = None,
    with_details: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> FetchReport:
    """Save list pages to ``directory/pages/`` and detail records to ``directory/details/``."""
    filters = {key: value for key, value in (filters or {}).items() if value}
    report = FetchReport()
    pages_dir, details_dir = directory / "pages", directory / "details"
    pages_dir.mkdir(parents=True, exist_ok=True)
    details_dir.mkdir(parents=True, exist_ok=True)
    (directory / "query.json").write_text(json.dumps(filters, sort_keys=True), encoding="utf-8")
    entity_ids: list[str] = []
    page = 1
    while max_pages is None or page <= max_pages:
        path = pages_dir / f"page-{page:04d}.json"
        if path.exists():
            document = json.loads(path.read_text(encoding="utf-8"))
            report.pages_skipped += 1
        else:
            document = client.fetch_json(list_url(page, filters))
            if not isinstance(document, dict) or "_embedded" not in document:
                raise FetchError(f"page {page}: not a notices list page (no '_embedded')")
            _save(path, document)
            report.pages_fetched += 1
            progress(f"page {page} saved")
        notices = document.get("_embedded", {}).get("notices", [])
        entity_ids.extend(str(item["entity_id"]) for item in notices if isinstance(item, dict) and "entity_id" in item)
        total = int(document.get("total") or 0)
        if len(notices) < RESULTS_PER_PAGE or page * RESULTS_PER_PAGE >= total:
            break
        page += 1
    report.notices_listed = len(entity_ids)
    if with_details:
        for entity_id in dict.fromkeys(entity_ids):
            path = details_dir / f"{entity_id.replace('/', '-')}.json"
            if path.exists():
                report.details_skipped += 1
                continue
            try:
                detail = client.fetch_json(detail_url(entity_id))
            except HttpStatusError as error:
                # A notice listed a minute ago can be gone now (deleted); note it and go on.
                report.errors.append(str(error))
                continue
            _save(path, detail)
            report.details_fetched += 1
            progress(f"detail {entity_id} saved")
    return report
