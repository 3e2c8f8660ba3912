"""Seed values of the curated lists (industries, products, services, organisation sizes).

The data migration loads them; support staff extend the lists in Django admin. The names
are marked for translation so the seeded ones read in German too; names added later in
admin show as entered.
"""

from django.utils.translation import gettext_noop as N_

INDUSTRIES = [
    ("agriculture", N_("Agriculture")),
    ("automotive", N_("Automotive")),
    ("construction", N_("Construction")),
    ("education", N_("Education")),
    ("energy", N_("Energy and utilities")),
    ("financial-services", N_("Financial services")),
    ("government", N_("Government and public sector")),
    ("healthcare", N_("Healthcare")),
    ("hospitality", N_("Hospitality and travel")),
    ("legal", N_("Legal services")),
    ("manufacturing", N_("Manufacturing")),
    ("media", N_("Media and entertainment")),
    ("nonprofit", N_("Nonprofit")),
    ("professional-services", N_("Professional services")),
    ("real-estate", N_("Real estate")),
    ("retail", N_("Retail and consumer goods")),
    ("telecommunications", N_("Telecommunications")),
    ("transportation", N_("Transportation and logistics")),
]

PRODUCTS = [
    ("microsoft-365", N_("Microsoft 365")),
    ("exchange-online", N_("Exchange Online")),
    ("sharepoint", N_("SharePoint")),
    ("teams", N_("Microsoft Teams")),
    ("entra-id", N_("Microsoft Entra ID")),
    ("intune", N_("Microsoft Intune")),
    ("defender", N_("Microsoft Defender")),
    ("purview", N_("Microsoft Purview")),
    ("azure", N_("Azure")),
    ("dynamics-365", N_("Dynamics 365")),
    ("power-platform", N_("Power Platform")),
    ("windows", N_("Windows")),
    ("copilot", N_("Microsoft Copilot")),
]

SERVICES = [
    ("consulting", N_("Consulting")),
    ("deployment", N_("Deployment")),
    ("migration", N_("Migration")),
    ("managed-services", N_("Managed services")),
    ("security-assessment", N_("Security assessment")),
    ("licensing", N_("Licensing")),
    ("training", N_("Training")),
    ("support", N_("Technical support")),
    ("custom-development", N_("Custom development")),
    ("device-provisioning", N_("Device provisioning")),
]

ORGANIZATION_SIZES = [
    ("1-10", N_("1 to 10 employees")),
    ("11-50", N_("11 to 50 employees")),
    ("51-250", N_("51 to 250 employees")),
    ("251-1000", N_("251 to 1,000 employees")),
    ("1001-10000", N_("1,001 to 10,000 employees")),
    ("10001-plus", N_("More than 10,000 employees")),
]


def load(models: dict) -> None:
    """Add the seed values that are missing; models maps list name to model class."""
    for key, rows in (
        ("industry", INDUSTRIES),
        ("product", PRODUCTS),
        ("service", SERVICES),
        ("org_size", ORGANIZATION_SIZES),
    ):
        for position, (slug, name) in enumerate(rows, start=1):
            models[key].objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position * 10}
            )
