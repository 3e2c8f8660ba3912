"""Layout at the screens people use: on every list page, at 1280 and 1920 px, in English
and German, every action button is inside the window and clickable (nothing covers or
clips it); the details pane overlays the list below 1440 px; tables scroll inside their
card; the access-assignments table fits a 320 px screen."""

import pytest
from playwright.sync_api import expect

from relationships.models import DelegatedAdminRelationship
from tests.e2e.walk import CUSTOMER, PARTNER, new_page, open_context, page_states, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIST_PAGES = {
    "users",
    "user-pane",
    "groups",
    "billing",
    "billing-pane",
    "devices",
    "device-pane",
    "partner-relationships",
    "partner-relationship-pane",
    "invitations-received",
    "support-requests",
    "api-tokens",
    "partner-invitations",
    "partner-customers",
    "gdap",
    "gdap-pane",
    "leads",
}

ACTIONS = "main .btn:visible, main button:visible"


def check_actions(page, scope, where) -> list[str]:
    """Problems with each visible action in scope: off-screen, clipped or covered."""
    problems = []
    width = page.viewport_size["width"]
    buttons = page.locator(scope).locator(".btn:visible, button:visible")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        name = button.inner_text().strip() or button.get_attribute("aria-label") or "?"
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        if box is None or box["width"] < 1:
            continue
        if box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            problems.append(f"{where}: '{name}' off-screen at x={box['x']:.0f}")
            continue
        try:
            button.click(trial=True, timeout=2_000)  # hit-tests: not covered, not clipped
        except Exception:
            problems.append(f"{where}: '{name}' cannot be clicked (covered or clipped)")
    return problems


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("width", [1280, 1920])
def test_every_action_button_is_visible_and_clickable(
    chromium_browser, live_server, settings, width, lang
):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    states = [s for s in page_states(demo) if s[0] in LIST_PAGES]
    assert len(states) == len(LIST_PAGES)
    contexts, problems = {}, []
    try:
        for name, email, path in states:
            if email not in contexts:
                contexts[email] = open_context(
                    chromium_browser, live_server.url, email, lang, width=width, height=900
                )
            page = new_page(contexts[email])
            page.goto(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"{name}: the page scrolls sideways by {overflow}px")
            pane = page.locator("#pane")
            if name.endswith("-pane"):
                expect(pane.locator("#pane-title")).to_be_visible()
                position = pane.evaluate("el => getComputedStyle(el).position")
                # Below 1440 px the pane is a flyout over the list; wider, it sits beside it.
                assert (position == "fixed") == (width < 1440), (name, width, position)
                problems += check_actions(page, "#pane", f"{name} pane")
                if width < 1440:
                    page.keyboard.press("Escape")
                    expect(pane).to_be_hidden()
            problems += check_actions(page, "main", name)
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_access_assignments_fit_a_320px_screen(chromium_browser, live_server, settings, lang):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    rel = DelegatedAdminRelationship.objects.filter(partner=demo.contoso).first()
    context = open_context(chromium_browser, live_server.url, PARTNER, lang, width=320, height=640)
    try:
        page = new_page(context)
        page.goto(f"/t/{demo.contoso.pk}/gdap/{rel.pk}/")
        table = page.locator("#pane table")
        expect(table).to_be_visible()
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        pane_box = page.locator("#pane").bounding_box()
        assert pane_box["x"] >= 0 and pane_box["x"] + pane_box["width"] <= 320.5
        # The table scrolls inside the pane (a focusable region), never the page.
        region = page.locator("#pane .table-scroll")
        assert region.get_attribute("tabindex") == "0"
    finally:
        context.close()


def test_navigation_has_find_a_partner_and_customers_no_partner_section(
    chromium_browser, live_server, settings
):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    for email, tenant, partner_section in [
        (CUSTOMER, demo.fabrikam, False),
        (PARTNER, demo.contoso, True),
    ]:
        context = open_context(chromium_browser, live_server.url, email)
        try:
            page = new_page(context)
            page.goto(f"/t/{tenant.pk}/")
            nav = page.get_by_role("navigation", name="Tenant")
            expect(nav.get_by_role("link", name="Find a partner")).to_be_visible()
            headings = nav.locator(".sidenav-heading").all_inner_texts()
            assert ("PARTNER CENTER" in [h.upper() for h in headings]) is partner_section
            page.goto("/profile/tokens/")  # outside a tenant: the top bar has it
            expect(
                page.locator(".topbar").get_by_role("link", name="Find a partner")
            ).to_be_visible()
        finally:
            context.close()
