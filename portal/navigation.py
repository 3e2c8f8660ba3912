"""The left navigation of tenant pages: one registry, filtered by the access resolver.

Features add their pages here; the layout shows an item only when the signed-in user
holds its permission in the current tenant (and, for partner pages, when the tenant is a
partner).
"""

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roles import permissions as p


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # reversed with the tenant id as its only argument (unless tenant_url=False)
    permission: str | None = None
    section: str = "tenant"  # "tenant" | "partner" | "settings"
    partner_only: bool = False
    tenant_url: bool = True
    # Where, and as what, a tenant that is not (yet) a partner sees a Partner Center item:
    # a customer-only tenant has no Partner Center section.
    customer_section: str | None = None
    customer_label: str | None = None

    def url(self, tenant) -> str:
        return reverse(self.url_name, args=[tenant.pk] if self.tenant_url else [])

    def for_tenant(self, tenant) -> "NavItem":
        """The item as tenant sees it (customer-only tenants: its customer section/label)."""
        if tenant.is_partner or self.section != "partner":
            return self
        return replace(
            self,
            section=self.customer_section or self.section,
            label=self.customer_label or self.label,
        )


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "tenant_home"),
    # The directory is open to everyone signed in: always one click away.
    NavItem(_("Find a partner"), "directory", tenant_url=False),
    NavItem(_("Users"), "tenant_users", p.USERS_READ),
    NavItem(_("Security groups"), "tenant_groups", p.USERS_READ),
    NavItem(_("Support requests"), "support_requests", p.SUPPORT_MANAGE),
    NavItem(_("Devices"), "devices", p.DEVICES_MANAGE),
    NavItem(_("Industry apps"), "industry_apps", p.PARTNERS_READ),
    NavItem(_("Billing"), "billing_subscriptions", p.BILLING_READ),
    NavItem(_("Audit log"), "tenant_audit", p.AUDIT_READ, section="settings"),
    # Partner Center: the profile is open to every tenant, so that it can become a partner.
    NavItem(
        _("Partner profile"),
        "partner_profile",
        p.PARTNERS_READ,
        section="partner",
        customer_section="settings",
        customer_label=_("Become a partner"),
    ),
    NavItem(_("Leads"), "partner_leads", p.PARTNERS_READ, section="partner", partner_only=True),
    # GDAP: partners request roles here; customers read the relationships they are part of.
    NavItem(
        _("GDAP relationships"),
        "gdap_relationships",
        p.PARTNERS_READ,
        section="partner",
        customer_section="settings",
    ),
    NavItem(
        _("Expiring relationships"),
        "gdap_expiring",
        p.PARTNERS_READ,
        section="partner",
        customer_section="settings",
    ),
    # Invitations and relationships: the partner's side, then the customer's settings.
    NavItem(
        _("Invitations"),
        "partner_invitations",
        p.PARTNERS_READ,
        section="partner",
        partner_only=True,
    ),
    NavItem(
        _("Customers"), "partner_customers", p.PARTNERS_READ, section="partner", partner_only=True
    ),
    NavItem(
        _("Partner relationships"), "partner_relationships", p.PARTNERS_READ, section="settings"
    ),
    NavItem(_("Customer agreement"), "customer_agreement", p.PARTNERS_READ, section="settings"),
    NavItem(
        _("Invitations received"),
        "tenant_invitations_received",
        p.PARTNERS_READ,
        section="settings",
    ),
]

SECTIONS = {
    "tenant": _("Manage"),
    "partner": _("Partner Center"),
    "settings": _("Settings"),
}


def items_for(tenant, tenant_access) -> list[tuple[str, list[NavItem]]]:
    """The sections and items the user may see in tenant, in registry order."""
    visible = [
        item.for_tenant(tenant)
        for item in NAV_ITEMS
        if (item.permission is None or tenant_access.has(item.permission))
        and (not item.partner_only or tenant.is_partner)
    ]
    return [
        (title, [item for item in visible if item.section == key])
        for key, title in SECTIONS.items()
        if any(item.section == key for item in visible)
    ]
