"""Demo billing (seed_demo step): Contoso resells to Fabrikam, which accepted the customer
agreement and has three subscriptions bought through Contoso. Fixture data written
directly, not a user's action; idempotent (only what is missing is added)."""

from django.utils import timezone

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from billing import catalog
from billing.models import Product, Subscription
from billing.services import renewal_from
from partners import relationship_types as types
from relationships.models import PartnerRelationship
from tenants.models import Tenant, User

DEMO_SUBSCRIPTIONS = [("M365-BP-M", 25), ("DEF-BUS-M", 25), ("TEAMS-PHONE-M", 10)]


def seed(command) -> None:
    catalog.load(Product)
    customer = Tenant.objects.get(slug="fabrikam")
    partner = Tenant.objects.get(slug="contoso")
    relationship = PartnerRelationship.objects.filter(customer=customer, partner=partner).first()
    if relationship is None:
        PartnerRelationship.objects.create(
            customer=customer, partner=partner, types=[types.RESELLER]
        )
    elif types.RESELLER not in relationship.types:
        relationship.types = [*relationship.types, types.RESELLER]
        relationship.ended_at = None
        relationship.save(update_fields=["types", "ended_at", "updated_at"])
    version = agreement_selectors.current_version()
    if version is not None:
        admin = User.objects.get(email="admin@fabrikam.example")
        agreement_services.record_acceptance(by=admin, tenant=customer, version=version)
    buyer = User.objects.get(email="admin@contoso.example")
    today = timezone.localdate()
    for sku, quantity in DEMO_SUBSCRIPTIONS:
        product = Product.objects.get(sku=sku)
        Subscription.objects.get_or_create(
            tenant=customer,
            product=product,
            channel=Subscription.Channel.RESELLER,
            partner=partner,
            defaults={
                "quantity": quantity,
                "bought_by": buyer,
                "renewal_date": renewal_from(today, product.term),
            },
        )
    command.stdout.write("  billing: Contoso resells to Fabrikam (3 subscriptions)")
