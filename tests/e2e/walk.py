"""The demo, walked in a real browser: the page states the accessibility scan and the
layout checks visit, and helpers to open them as a demo user in a language and width.

The data is seed_demo's (the same tenants, users and relationships `make run` shows), so
every list has rows and every row its actions.
"""

import re
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.test import Client

from agreements.defaults import publish_default
from agreements.models import AgreementVersion
from billing.models import Subscription
from devices.models import AutopilotDevice
from relationships.models import DelegatedAdminRelationship
from tenants.models import Tenant, User
from tests.partners.conftest import load_curated_lists

CUSTOMER = "admin@fabrikam.example"
PARTNER = "admin@contoso.example"
CHROMIUM_LANG = {"en": "en-GB", "de": "de-DE"}


@dataclass
class Demo:
    fabrikam: Tenant
    contoso: Tenant
    invitation_path: str

    def user(self, email) -> User:
        return User.objects.get(email=email)


def seed_demo() -> Demo:
    # Transactional tests flush the data migrations' rows: put back what the demo reads.
    load_curated_lists()
    if not AgreementVersion.objects.exists():
        publish_default(AgreementVersion)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    link = re.search(r"https?://\S+(/invitations/[\w-]+/)", out.getvalue())
    return Demo(
        fabrikam=Tenant.objects.get(slug="fabrikam"),
        contoso=Tenant.objects.get(slug="contoso"),
        invitation_path=link.group(1) if link else "",
    )


def page_states(demo: Demo) -> list[tuple[str, str | None, str]]:
    """(name, who is signed in, path) of every page state the walk visits."""
    fab, con = demo.fabrikam.pk, demo.contoso.pk
    member = demo.user("user@fabrikam.example").pk
    subscription = Subscription.objects.filter(tenant=demo.fabrikam).first().pk
    device = AutopilotDevice.objects.filter(tenant=demo.fabrikam).first().pk
    rel = DelegatedAdminRelationship.objects.filter(partner=demo.contoso).first().pk
    return [
        ("landing", None, "/"),
        ("sign-in", None, "/accounts/login/"),
        ("directory", CUSTOMER, "/partners/"),
        ("directory-filtered", CUSTOMER, "/partners/?country=DE&q=cloud"),
        ("partner-page", CUSTOMER, f"/partners/{con}/"),
        ("customer-home", CUSTOMER, f"/t/{fab}/"),
        ("users", CUSTOMER, f"/t/{fab}/users/"),
        ("user-pane", CUSTOMER, f"/t/{fab}/users/{member}/"),
        ("user-add", CUSTOMER, f"/t/{fab}/users/new/"),
        ("groups", CUSTOMER, f"/t/{fab}/groups/"),
        ("billing", CUSTOMER, f"/t/{fab}/billing/"),
        ("billing-pane", CUSTOMER, f"/t/{fab}/billing/{subscription}/"),
        ("devices", CUSTOMER, f"/t/{fab}/devices/"),
        ("device-pane", CUSTOMER, f"/t/{fab}/devices/{device}/"),
        ("partner-relationships", CUSTOMER, f"/t/{fab}/settings/partners/"),
        ("partner-relationship-pane", CUSTOMER, f"/t/{fab}/settings/partners/{con}/"),
        ("invitations-received", CUSTOMER, f"/t/{fab}/settings/invitations/"),
        ("agreement", CUSTOMER, f"/t/{fab}/settings/agreement/"),
        ("audit", CUSTOMER, f"/t/{fab}/audit/"),
        ("support-requests", CUSTOMER, f"/t/{fab}/support/"),
        ("invitation-landing", CUSTOMER, demo.invitation_path),
        ("api-tokens", CUSTOMER, "/profile/tokens/"),
        ("partner-home", PARTNER, f"/t/{con}/"),
        ("partner-invitations", PARTNER, f"/t/{con}/partner/invitations/"),
        ("partner-customers", PARTNER, f"/t/{con}/partner/customers/"),
        ("gdap", PARTNER, f"/t/{con}/gdap/"),
        ("gdap-pane", PARTNER, f"/t/{con}/gdap/{rel}/"),
        ("leads", PARTNER, f"/t/{con}/leads/"),
        ("partner-profile", PARTNER, f"/t/{con}/partner/profile/"),
    ]


def open_context(browser, base_url, email=None, lang="en", width=1280, height=800):
    """A browser context of `email` (None: signed out) showing the portal in `lang`."""
    context = browser.new_context(
        base_url=base_url,
        locale=CHROMIUM_LANG[lang],
        viewport={"width": width, "height": height},
    )
    cookies = [{"name": "django_language", "value": lang, "url": base_url}]
    if email:
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value})
        cookies[-1]["url"] = base_url
    context.add_cookies(cookies)
    return context


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return page
