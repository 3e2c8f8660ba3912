"""Screenshots of the views issue 14 changed, at 1280 px in English and German, for the
README (docs/screenshots/). Run on purpose only:

    LIAISON_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/e2e/test_screenshots.py
"""

import os
from pathlib import Path

import pytest

from relationships.models import DelegatedAdminRelationship
from tests.e2e.walk import CUSTOMER, PARTNER, new_page, open_context, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TARGET = os.environ.get("LIAISON_SCREENSHOTS", "")
SUPPORT = "support@liaison.example"


@pytest.mark.skipif(not TARGET, reason="set LIAISON_SCREENSHOTS=<folder> to take them")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_take_screenshots(chromium_browser, live_server, settings, lang):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    folder = Path(TARGET)
    folder.mkdir(parents=True, exist_ok=True)
    fab, con = demo.fabrikam.pk, demo.contoso.pk
    rel = DelegatedAdminRelationship.objects.filter(partner=demo.contoso).first()
    member = demo.user("user@fabrikam.example").pk
    shots = [
        ("customer-home", CUSTOMER, f"/t/{fab}/", None),
        ("users-pane-overlay", CUSTOMER, f"/t/{fab}/users/{member}/", None),
        ("partner-relationship-pane", CUSTOMER, f"/t/{fab}/settings/partners/{con}/", None),
        ("partner-invitations", PARTNER, f"/t/{con}/partner/invitations/", None),
        ("gdap-pane-assignments", PARTNER, f"/t/{con}/gdap/{rel.pk}/", None),
        ("directory-filtered", CUSTOMER, "/partners/?country=AT", None),
        (
            "admin-gdap-relationships",
            SUPPORT,
            "/admin/relationships/delegatedadminrelationship/",
            None,
        ),
        (
            "admin-terminate-confirmation",
            SUPPORT,
            "/admin/relationships/delegatedadminrelationship/",
            "terminate",
        ),
    ]
    contexts = {}
    try:
        for name, email, path, action in shots:
            if email not in contexts:
                contexts[email] = open_context(chromium_browser, live_server.url, email, lang)
            page = new_page(contexts[email])
            page.goto(path)
            if action:
                page.locator("input[name=_selected_action]").first.check()
                page.locator("select[name=action]").select_option(action)
                page.locator("button[name=index]").click()
                page.wait_for_load_state("load")
            page.screenshot(path=str(folder / f"{name}.{lang}.png"), full_page=False)
            page.close()
    finally:
        for context in contexts.values():
            context.close()
