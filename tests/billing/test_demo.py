"""The demo step: Contoso resells to Fabrikam with three subscriptions; safe to run twice."""

import io

from agreements import selectors as agreement_selectors
from billing.models import Subscription
from portal.demo import billing as billing_demo
from portal.demo import tenants as tenants_demo
from relationships.models import PartnerRelationship
from tenants.models import Tenant


class _Command:
    stdout = io.StringIO()


def test_seed_is_idempotent(db):
    tenants_demo.seed(_Command())
    fabrikam, contoso = Tenant.objects.get(slug="fabrikam"), Tenant.objects.get(slug="contoso")
    PartnerRelationship.objects.create(customer=fabrikam, partner=contoso, types=["gdap"])

    billing_demo.seed(_Command())
    billing_demo.seed(_Command())

    relationship = PartnerRelationship.objects.get(customer=fabrikam, partner=contoso)
    assert relationship.types == ["gdap", "reseller"]
    subs = Subscription.objects.filter(tenant=fabrikam)
    assert subs.count() == 3
    assert {s.channel for s in subs} == {"reseller"}
    assert {s.partner_id for s in subs} == {contoso.pk}
    assert agreement_selectors.has_accepted(fabrikam)
