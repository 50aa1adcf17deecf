"""Headless Chromium from Debian's packages (/usr/bin/chromium), driven by Playwright's sync
API; never a downloaded browser. One browser per test session (per xdist worker); each test
gets a fresh context (no cookies shared), in English (``page``) or in Simplified Chinese
(``zh_page``: the browser asks for zh-CN first, as a browser in China does). Screenshots go
to test-artifacts/screenshots/, or to the folder named by SOCIALCREDIT_SCREENSHOTS (the
ones in docs/screenshots/ are made with SOCIALCREDIT_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(
    os.environ.get("SOCIALCREDIT_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots"
)


_SHARED: list[Any] = []  # [playwright, browser] while a session uses them


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The one browser of the process: each test module that imports this fixture gets its
    own session fixture, and Playwright's sync API runs once per process, so the first one
    launches the browser, the others share it, and the first one closes it at the end."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if _SHARED:
        yield _SHARED[1]
        return
    playwright = sync_api.sync_playwright().start()
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    _SHARED[:] = [playwright, launched]
    try:
        yield launched
    finally:
        _SHARED.clear()
        launched.close()
        playwright.stop()


def _page(browser: Any, locale: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale=locale)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page of a browser set to British English."""
    yield from _page(browser, "en-GB")


@pytest.fixture
def zh_page(browser: Any) -> Iterator[Any]:
    """A page of a browser set to Simplified Chinese (Accept-Language: zh-CN)."""
    yield from _page(browser, "zh-CN")


def screenshot(page: Any, name: str, max_height: int = 2400) -> Path:
    """Save the page, from its top down to ``max_height`` pixels, as <SCREENSHOTS>/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("load")  # a navigation just started has no document yet
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    width = int(page.viewport_size["width"])
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height)}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    with Image.open(path) as shot:  # 256 colours: a third of the bytes, text as sharp
        small = shot.convert("RGB").quantize(256)
    small.save(path, optimize=True)
    return path
