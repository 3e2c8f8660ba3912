"""WCAG 2.1 AA in a real browser: axe-core (shipped inside axe-playwright-python, nothing
fetched) scans every page state of the demo walk in English and German and fails on any
serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.walk import new_page, open_context, page_states, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_page_of_the_walk_passes_axe(chromium_browser, live_server, settings, lang):
    settings.SITE_URL = live_server.url
    demo = seed_demo()
    axe = Axe()
    found = {}
    states = page_states(demo)
    assert len(states) >= 25
    contexts = {}
    try:
        for name, email, path in states:
            if email not in contexts:
                contexts[email] = open_context(chromium_browser, live_server.url, email, lang)
            page = new_page(contexts[email])
            response = page.goto(path)
            assert response.status < 400, f"{name}: {response.status}"
            assert page.locator("html").get_attribute("lang") == lang
            problems = serious(axe.run(page, options=WCAG_21_AA))
            if problems:
                found[name] = problems
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
