"""The starting product catalog, loaded by a data migration; support staff keep it after.

Prices are illustrative list prices per licence and term (a month, or a year for annual
commitments). Ids are derived from the SKU, so they are the same in every installation.
"""

import uuid
from decimal import Decimal

NAMESPACE = uuid.UUID("6b1f4c2e-8d55-4f0e-9a57-2a4f3c1d0b11")

# (sku, name, summary, unit price, currency, term)
PRODUCTS = [
    (
        "M365-BB-M",
        "Microsoft 365 Business Basic",
        "Web and mobile Office apps, Teams, Exchange mailbox and 1 TB OneDrive.",
        "7.20",
        "USD",
        "monthly",
    ),
    (
        "M365-BB-A",
        "Microsoft 365 Business Basic (annual)",
        "Business Basic with a one-year commitment.",
        "72.00",
        "USD",
        "annual",
    ),
    (
        "M365-BS-M",
        "Microsoft 365 Business Standard",
        "Business Basic plus desktop Office apps, webinars and bookings.",
        "15.00",
        "USD",
        "monthly",
    ),
    (
        "M365-BP-M",
        "Microsoft 365 Business Premium",
        "Business Standard plus Intune, Entra ID P1 and Defender for Business.",
        "26.40",
        "USD",
        "monthly",
    ),
    (
        "O365-E3-A",
        "Office 365 E3 (annual)",
        "Office apps, Exchange, SharePoint and Teams for the enterprise.",
        "276.00",
        "USD",
        "annual",
    ),
    (
        "M365-E3-A",
        "Microsoft 365 E3 (annual)",
        "Office 365 E3 with Windows Enterprise, Intune and Entra ID P1.",
        "432.00",
        "USD",
        "annual",
    ),
    (
        "M365-E5-A",
        "Microsoft 365 E5 (annual)",
        "E3 plus advanced security, compliance, analytics and Teams Phone.",
        "684.00",
        "USD",
        "annual",
    ),
    (
        "INTUNE-P1-M",
        "Microsoft Intune Plan 1",
        "Device and app management for phones, tablets and PCs.",
        "8.00",
        "USD",
        "monthly",
    ),
    (
        "TEAMS-PHONE-M",
        "Teams Phone Standard",
        "Cloud calling in Teams: phone numbers, voicemail, call transfer.",
        "10.00",
        "USD",
        "monthly",
    ),
    (
        "DEF-BUS-M",
        "Microsoft Defender for Business",
        "Endpoint protection, detection and response for small businesses.",
        "3.00",
        "USD",
        "monthly",
    ),
    (
        "DEF-O365-P1-M",
        "Defender for Office 365 Plan 1",
        "Protection against phishing and malware in mail and collaboration.",
        "2.00",
        "USD",
        "monthly",
    ),
    (
        "ENTRA-P1-M",
        "Microsoft Entra ID P1",
        "Conditional Access, self-service password reset, group-based access.",
        "6.00",
        "USD",
        "monthly",
    ),
    (
        "EXO-P1-M",
        "Exchange Online (Plan 1)",
        "Business mail and calendar with a 50 GB mailbox.",
        "4.00",
        "USD",
        "monthly",
    ),
]


def product_id(sku: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, sku)


def load(product_model) -> int:
    """Create the catalog's missing products (existing ones are left as staff keep them)."""
    created = 0
    for sku, name, summary, price, currency, term in PRODUCTS:
        _obj, made = product_model.objects.get_or_create(
            sku=sku,
            defaults={
                "id": product_id(sku),
                "name": name,
                "summary": summary,
                "unit_price": Decimal(price),
                "currency": currency,
                "term": term,
            },
        )
        created += made
    return created
