"""A real browser (Debian's chromium, driven by Playwright) against pytest-django's live server."""

from __future__ import annotations

import functools
import gettext
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

# Pages render without a collected static manifest, and users are made without slow hashing, as in tests/web.
from tests.web.conftest import plain_static_files, quick_password_hashing  # noqa: F401


# On SQLite the test database lives in memory and the live server shares the test's one connection with every
# request thread: a page that loads several charts at once would start transactions inside each other. There the
# server answers one request at a time (Django then closes each connection after its answer).
class OneRequestAtATime(WSGIServer):
    """Django's server without threads; the live server thread has already taken the test's connections."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium); "
                    "the end-to-end tests never download a browser")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    # Playwright's sync API refuses to start inside a running event loop; Django's async-unsafe check would
    # otherwise trip over that loop in the live-server tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Set SHELTER_E2E_SCREENSHOTS to a directory to keep screenshots of each step."""
    target = os.environ.get("SHELTER_E2E_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


# Each journey is walked in English and Russian, on a laptop screen (1,366 px) and on a phone (390 px).
JOURNEY_VIEWS = [pytest.param(language, width, id=f"{language}-{width}")
                 for language in ("en", "ru") for width in (1366, 390)]
PHONE_WIDTH = 390
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
REVIEW_SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"


# The outermost elements reaching past the right edge of the window, to say what makes a page scroll sideways.
WIDE_ELEMENTS = """() => [...document.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}`
                          + ` (${Math.round(e.getBoundingClientRect().right)} px)`)"""


# Visible text of a page, one entry per text node, leaving out code and what the page only names (options).
PAGE_TEXTS = """() => { const texts = []; const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) { const node = walker.currentNode; const text = node.textContent.trim();
        if (text && node.parentElement.offsetParent !== null && !node.parentElement.closest("code, pre, script"))
            texts.push(text.replace(/:$/, "")); }
    return texts; }"""


SOURCE = Path(__file__).resolve().parents[2] / "src" / "shelter"
# Pages whose templates are read for their message ids as well: a string of theirs with no Russian translation in
# any catalogue, shown on a Russian page, fails the journey too (not only one whose translation was not used).
TEMPLATES_READ = [SOURCE / "network" / "templates", SOURCE / "monitoring" / "templates"]
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(?:"([^"]+)"|'([^']+)')(?!\s+context)""")
BLOCK_TAG = re.compile(r"{%\s*blocktranslate(?![^%]*\bcount\b)[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.DOTALL)


@functools.cache
def english_message_ids() -> frozenset[str]:
    """Every interface string that has a Russian translation different from itself, in every catalogue, and every
    string of the templates in TEMPLATES_READ that no catalogue translates (without its placeholders)."""
    found: set[str] = set()
    translated: dict[str, str] = {}
    for compiled in SOURCE.rglob("locale/ru/LC_MESSAGES/django.mo"):
        with compiled.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        translated |= {key: value for key, value in catalogue.items() if isinstance(key, str)}
        found |= {key for key, value in catalogue.items()
                  if isinstance(key, str) and key and "\x04" not in key and value != key and re.search("[a-z]{3}", key)}
    for template in (path for folder in TEMPLATES_READ for path in folder.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        ids = [a or b for a, b in TRANSLATE_TAG.findall(text)]
        ids += [re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body) for body in BLOCK_TAG.findall(text)]
        found |= {msgid for msgid in ids if msgid not in translated and "%(" not in msgid
                  and re.search("[a-z]{3}", msgid)}
    return frozenset(found)


class Journey:
    """One person's walk through the site in one language at one width.

    ``visit`` is called on every page the journey reaches: it runs axe-core on the page (no critical or serious
    violation allowed), checks at phone width that the page does not scroll sideways, checks that the
    Content-Security-Policy refused nothing, and saves a full-page screenshot for review."""

    def __init__(self, page: Any, base: str, language: str, width: int, name: str, screenshots: Path) -> None:
        self.page, self.base, self.language, self.width, self.name = page, base, language, width, name
        self.screenshots = screenshots
        self.visited: list[str] = []
        self.refused: list[str] = []
        page.on("console", lambda message: self.refused.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)

    def text(self, english: str, russian: str) -> str:
        return russian if self.language == "ru" else english

    def go(self, path: str) -> Any:
        return self.page.goto(f"{self.base}{path}")

    def sign_in(self, username: str) -> None:
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "correct-horse-battery")
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(f"{self.base}/dashboard/")

    def open_menu(self) -> None:
        """On a phone the menu is folded behind a button: open it, as a person would, to reach its links."""
        toggle = self.page.locator("header .menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()

    def visit(self, step: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        where = f"{step} ({page.url}, {self.language}, {self.width} px)"
        assert page.evaluate("document.documentElement.lang") == self.language, where
        if page.locator("header .menu-toggle").count():  # the menu folds behind its button on a phone only
            assert page.locator("header .menu-toggle").is_visible() == (self.width <= PHONE_WIDTH), where
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.filter(v => v.impact === "critical" || v.impact === "serious").map(v =>
                `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(" | "));
        }""")
        self.screenshot(step)
        assert violations == [], f"{where}: " + "\n".join(violations)
        if self.language == "ru":
            untranslated = sorted(set(page.evaluate(PAGE_TEXTS)) & english_message_ids())
            assert untranslated == [], f"{where}: shown in English on a Russian page: {untranslated}"
        # No page scrolls sideways, on a phone or on a laptop (a wide table scrolls inside itself).
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate(WIDE_ELEMENTS)
            raise AssertionError(f"{where}: the page is {widths[0]} px wide, wider than the screen: {wide}")
        assert self.refused == [], f"{where}: {self.refused}"
        self.visited.append(step)

    def screenshot(self, step: str) -> None:
        number = len(self.visited) + 1
        self.page.screenshot(path=str(self.screenshots / f"{self.name}-{self.language}-{self.width}-"
                                                         f"{number:02d}-{step}.png"), full_page=True)


@pytest.fixture
def journey(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Start a journey: ``journey(language, width)`` opens a fresh browser context with that language preferred
    and that window width. Screenshots go to SHELTER_E2E_SCREENSHOTS, else var/e2e-screenshots (not committed)."""
    contexts: list[Any] = []
    screenshots = Path(os.environ.get("SHELTER_E2E_SCREENSHOTS") or REVIEW_SCREENSHOTS)
    screenshots.mkdir(parents=True, exist_ok=True)
    name = request.node.originalname.removeprefix("test_")

    def start(language: str, width: int) -> Journey:
        context = browser.new_context(locale="ru-RU" if language == "ru" else "en-GB",
                                      viewport={"width": width, "height": 900 if width > PHONE_WIDTH else 844},
                                      accept_downloads=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return Journey(context.new_page(), live_server.url, language, width, name, screenshots)

    yield start
    for context in contexts:
        context.close()


