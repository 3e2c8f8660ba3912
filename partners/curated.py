"""Seed values of the curated lists (industries, products, services, organisation sizes).

The data migration loads them; support staff extend the lists in Django admin. The names
are marked for translation so the seeded ones read in German too; names added later in
admin show as entered.
"""

from django.utils.translation import gettext_noop

INDUSTRIES = [
    ("agriculture", gettext_noop("Agriculture")),
    ("automotive", gettext_noop("Automotive")),
    ("construction", gettext_noop("Construction")),
    ("education", gettext_noop("Education")),
    ("energy", gettext_noop("Energy and utilities")),
    ("financial-services", gettext_noop("Financial services")),
    ("government", gettext_noop("Government and public sector")),
    ("healthcare", gettext_noop("Healthcare")),
    ("hospitality", gettext_noop("Hospitality and travel")),
    ("legal", gettext_noop("Legal services")),
    ("manufacturing", gettext_noop("Manufacturing")),
    ("media", gettext_noop("Media and entertainment")),
    ("nonprofit", gettext_noop("Nonprofit")),
    ("professional-services", gettext_noop("Professional services")),
    ("real-estate", gettext_noop("Real estate")),
    ("retail", gettext_noop("Retail and consumer goods")),
    ("telecommunications", gettext_noop("Telecommunications")),
    ("transportation", gettext_noop("Transportation and logistics")),
]

PRODUCTS = [
    ("microsoft-365", gettext_noop("Microsoft 365")),
    ("exchange-online", gettext_noop("Exchange Online")),
    ("sharepoint", gettext_noop("SharePoint")),
    ("teams", gettext_noop("Microsoft Teams")),
    ("entra-id", gettext_noop("Microsoft Entra ID")),
    ("intune", gettext_noop("Microsoft Intune")),
    ("defender", gettext_noop("Microsoft Defender")),
    ("purview", gettext_noop("Microsoft Purview")),
    ("azure", gettext_noop("Azure")),
    ("dynamics-365", gettext_noop("Dynamics 365")),
    ("power-platform", gettext_noop("Power Platform")),
    ("windows", gettext_noop("Windows")),
    ("copilot", gettext_noop("Microsoft Copilot")),
]

SERVICES = [
    ("consulting", gettext_noop("Consulting")),
    ("deployment", gettext_noop("Deployment")),
    ("migration", gettext_noop("Migration")),
    ("managed-services", gettext_noop("Managed services")),
    ("security-assessment", gettext_noop("Security assessment")),
    ("licensing", gettext_noop("Licensing")),
    ("training", gettext_noop("Training")),
    ("support", gettext_noop("Technical support")),
    ("custom-development", gettext_noop("Custom development")),
    ("device-provisioning", gettext_noop("Device provisioning")),
]

ORGANIZATION_SIZES = [
    ("1-10", gettext_noop("1 to 10 employees")),
    ("11-50", gettext_noop("11 to 50 employees")),
    ("51-250", gettext_noop("51 to 250 employees")),
    ("251-1000", gettext_noop("251 to 1,000 employees")),
    ("1001-10000", gettext_noop("1,001 to 10,000 employees")),
    ("10001-plus", gettext_noop("More than 10,000 employees")),
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
