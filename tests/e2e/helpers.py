"""Shared steps of the browser tests: a session for a user, mail, screenshots.

Screenshots: with LIAISON_SCREENSHOTS=<folder>, `shoot(page, name)` saves the page at
1280 px in English and in German (<folder>/<name>.en.png, <name>.de.png), switching the
language with the top bar's buttons as a person would, and back to English.
"""

import os
import time
from pathlib import Path

from django.test import Client

SHOTS = os.environ.get("LIAISON_SCREENSHOTS", "")
WIDTH = 1280


def sign_in(context, user, base_url) -> None:
    """Give the browser context a session of user (the sign-in form has its own test)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def new_page(browser, live_server, user=None, *, errors=None):
    """A page in a context of its own (another person's browser), signed in as user."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": WIDTH, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if user is not None:
        sign_in(context, user, live_server.url)
    return page


def wait_for_mail(outbox, to, *, subject_part="", timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in outbox:
            if to in message.to and subject_part in message.subject:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to}; outbox: {[(m.to, m.subject) for m in outbox]}")


def _switch_language(page, button_name: str) -> None:
    page.locator("form.lang-switch").get_by_role("button", name=button_name).click()
    page.wait_for_load_state("load")


def shoot(page, name: str) -> None:
    """Save the page in English and German when LIAISON_SCREENSHOTS names a folder."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.screenshot(path=str(folder / f"{name}.en.png"), full_page=True)
    _switch_language(page, "Deutsch")
    page.screenshot(path=str(folder / f"{name}.de.png"), full_page=True)
    _switch_language(page, "English")
