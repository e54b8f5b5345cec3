"""One Chromium for the whole session (Debian's, through Playwright), axe-core from npm, and
screenshots under var/screenshots/. Without the browser or axe the tests skip, except in CI
(NEWSROOM_REQUIRE_SERVICES=1), where they fail."""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("NEWSROOM_SCREENSHOTS", ROOT / "var" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls between
# browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(what: str) -> None:
    if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required in CI (NEWSROOM_REQUIRE_SERVICES=1)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (pip)")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _missing(f"chromium ({CHROMIUM}; Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing("axe-core (npm ci)")
    return AXE.read_text()


class Desk:
    """A page in a 1,366 × 900 window, with the checks each step of the journey makes."""

    def __init__(self, page, base_url: str, axe: str, name: str) -> None:
        self.page, self.base_url, self.axe, self.name = page, base_url, axe, name
        self.step = 0

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def no_horizontal_scroll(self) -> None:
        width, inner = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert width <= inner, f"{self.page.url}: page is {width} px wide in {inner} px"

    def accessible(self) -> None:
        """No serious or critical axe-core violation on the page."""
        self.page.add_script_tag(content=self.axe)
        result = self.page.evaluate("async () => await axe.run(document)")
        bad = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"{self.page.url}: {json.dumps(bad, indent=1)}"

    def no_english(self, words: list[str]) -> None:
        text = self.page.inner_text("body")
        found = [w for w in words if w in text]
        assert not found, f"{self.page.url}: English left in a French page: {found}"

    def shot(self, label: str) -> Path:
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")  # noqa: T201  (CI keeps the files; the log names them)
        return path


@pytest.fixture
def desk_page(browser, axe_source, live_server):
    """A fresh browser context per journey; `open(lang)` gives a Desk in that language."""
    contexts = []

    def open_desk(language: str) -> Desk:
        context = browser.new_context(
            viewport={"width": 1366, "height": 900},
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return Desk(context.new_page(), live_server.url, axe_source, f"desk-{language}")

    yield open_desk
    for context in contexts:
        context.close()
