"""Browser tests: Playwright (sync API) driving Debian's chromium against live_server.

Skipped when chromium or playwright is missing, failed instead when
LIAISON_REQUIRE_BROWSER=1 (CI). pytest-playwright's own `page` fixture is not used: it
would launch its own browser build; `browser_page` launches /usr/bin/chromium.
"""

import os
import shutil

import pytest

from tests.conftest import REQUIRE_BROWSER, missing

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told otherwise. Only the browser tests need this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing(f"needs Debian chromium at {CHROMIUM}", required=REQUIRE_BROWSER)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("needs the playwright Python package", required=REQUIRE_BROWSER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server):
    """A fresh browser context (no cookies) and page; `page.base_url` is the live server."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    try:
        yield page
    finally:
        context.close()
