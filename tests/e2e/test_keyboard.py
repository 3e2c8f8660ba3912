"""Keyboard only: accepting an invitation (with a server-side error on the way), removing
a partner's roles through the confirmation dialog, and filtering and paging the directory.
No mouse: Tab to a control, then Space or Enter."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from relationships import services as relationship_services
from roles.models import RoleDefinition
from tests.e2e.walk import CUSTOMER, PARTNER, new_page, open_context, seed_demo
from tests.factories import TenantFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
                text: (el.innerText || el.value || "").trim(),
                label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : "",
                describedby: el.getAttribute("aria-describedby") || "",
                invalid: el.getAttribute("aria-invalid") || "",
            };
        }"""
    )


def tab_to(page, matches, limit=150, back=False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies matches(info)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if matches(info):
            return info
    raise AssertionError(f"never reached the control; last focus: {focused(page)}")


def described_text(page, ids: str) -> str:
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids.split() if i)


def test_keyboard_accepts_an_invitation_after_a_form_error(chromium_browser, live_server, settings):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    tailspin = TenantFactory(name="Tailspin Toys", slug="tailspin", country="AT")
    member(tailspin, "Global Administrator", email="admin@tailspin.example")
    helpdesk = RoleDefinition.objects.get(name="Helpdesk Administrator")
    _invitation, token = relationship_services.send_invitation(
        by=demo.user(PARTNER),
        partner=demo.contoso,
        email="admin@tailspin.example",
        relationship_types=["gdap"],
        customer=tailspin,
        gdap_request={
            "display_name": "Tailspin helpdesk",
            "duration": timedelta(days=90),
            "role_ids": [helpdesk.pk],
            "auto_extend_duration": timedelta(0),
        },
    )
    context = open_context(chromium_browser, live_server.url, "admin@tailspin.example")
    try:
        page = new_page(context)
        page.goto(f"/invitations/{token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Accept agreement & authorize partner"
        )

        # Submit without ticking the agreement: the server answers with the form error.
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Accept & authorize")
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        expect(page.locator(".errors")).to_be_visible()

        # Focus starts at the invalid field, and its message is tied to it.
        info = focused(page)
        assert info["type"] == "checkbox" and info["invalid"] == "true"
        message = page.locator(".attest-check .errors").inner_text()
        assert message and message in described_text(page, info["describedby"])

        # Tick it with Space, then accept with Enter.
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Accept & authorize")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/settings/partners/[0-9a-f-]+/\?new="))
        assert "Contoso" in page.locator("tr.is-new").inner_text()
        # The refused submit answered 400 (a form error), which Chromium logs; nothing else.
        assert [e for e in page.console_errors if "status of 400" not in e] == []
    finally:
        context.close()


def test_keyboard_removes_a_partners_roles_through_the_dialog(
    chromium_browser, live_server, settings
):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    context = open_context(chromium_browser, live_server.url, CUSTOMER)
    try:
        page = new_page(context)
        page.goto(f"/t/{demo.fabrikam.pk}/settings/partners/")

        # Open the partner's details pane from its row; focus moves to the pane's title.
        tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("Contoso"))
        page.keyboard.press("Enter")
        expect(page.locator("#pane-title")).to_be_focused()

        # The dialog opener is a button: Space opens it, focus goes to Cancel.
        opener = tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Remove roles")
        assert opener["tag"] == "button"
        page.keyboard.press("Space")
        dialog = page.locator("dialog.confirm[open]")
        expect(dialog).to_be_visible()
        # Focus starts on the harmless choice (the button that just closes the dialog).
        assert page.evaluate("document.activeElement.getAttribute('formmethod')") == "dialog"

        # Escape closes it and gives focus back to the opener.
        page.keyboard.press("Escape")
        expect(page.locator("dialog.confirm[open]")).to_have_count(0)
        assert focused(page)["text"] == "Remove roles"

        # Open again, go back to the confirm button, press Enter.
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        page.keyboard.press("Shift+Tab")
        assert focused(page)["text"] == "Yes"
        page.keyboard.press("Enter")
        page.wait_for_selector("text=no longer holds admin roles")
        assert page.console_errors == []
    finally:
        context.close()


def test_keyboard_filters_and_pages_the_directory(chromium_browser, live_server, settings):
    settings.SITE_URL = live_server.url
    seed_demo()
    context = open_context(chromium_browser, live_server.url, CUSTOMER)
    try:
        page = new_page(context)
        page.goto("/partners/")
        total = page.locator("#directory-total").inner_text()

        # Tick a country with Space: the results update and the count is announced by a
        # live region that stays in the page.
        info = tab_to(
            page, lambda f: f["type"] == "checkbox" and f["id"].startswith("facet-country")
        )
        country = info["label"]
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"country="))
        expect(page.locator("#directory-total")).not_to_have_text(total)
        live = page.locator("[data-live]")
        expect(live).to_have_attribute("role", "status")
        expect(live).to_contain_text("partner")
        assert live.inner_text() == page.locator("#directory-total").inner_text()
        assert country  # a label was read out for the box

        # Untick it again, then page through the results by keyboard: focus stays in the
        # results (the count), not on the page body.
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"^(?!.*country=)"))
        tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Next")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"page=2"))
        expect(page.locator("#directory-total")).to_be_focused()
        assert "Page 2" in page.locator(".pagination-status").inner_text()
    finally:
        context.close()
