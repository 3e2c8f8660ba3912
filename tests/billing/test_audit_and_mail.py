"""Every change writes one audit event (the partner as acting tenant when it acts); the
customer's billing admins are mailed when a partner buys, changes or cancels."""

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from tests.billing.conftest import subscription, url


def _events():
    return list(AuditEvent.objects.order_by("occurred_at"))


def test_reseller_changes_are_audited_once_each_with_the_partner_acting(
    api_as, customer, partner_tenant, partner_admin, billing_admin, reseller, accepted, product
):
    client = api_as(partner_admin)
    before = AuditEvent.objects.count()

    sid = client.post(url(customer), {"product_id": str(product.pk), "quantity": 3}).json()["id"]
    client.patch(url(customer, sid), {"quantity": 6})
    client.patch(url(customer, sid), {"quantity": 6})  # no change: no event
    client.patch(url(customer, sid), {"status": "cancelled"})
    client.patch(url(customer, sid), {"status": "cancelled"})  # already: no event

    events = _events()[before:]
    assert [e.action for e in events] == [
        "subscription.purchased",
        "subscription.quantity_changed",
        "subscription.cancelled",
    ]
    for event in events:
        assert event.acting_tenant_id == partner_tenant.pk
        assert event.target_tenant_id == customer.pk
        assert event.actor == partner_admin
        assert event.object_id == sid
    assert events[1].before == {"quantity": 3} and events[1].after == {"quantity": 6}


def test_partner_actions_mail_the_customers_billing_admins(
    api_as,
    customer,
    customer_admin,
    billing_admin,
    plain_member,
    partner_admin,
    reseller,
    accepted,
    product,
):
    client = api_as(partner_admin)
    sid = client.post(url(customer), {"product_id": str(product.pk), "quantity": 3}).json()["id"]
    client.patch(url(customer, sid), {"quantity": 4})
    client.patch(url(customer, sid), {"status": "cancelled"})

    mails = OutboxMessage.objects.order_by("created_at")
    by_template = {}
    for mail in mails:
        by_template.setdefault(mail.template, set()).add(mail.to)
    admins = {customer_admin.email, billing_admin.email}
    assert by_template == {
        "subscription_purchased": admins,
        "subscription_changed": admins,
        "subscription_cancelled": admins,
    }
    purchased = mails.filter(template="subscription_purchased").first()
    assert "Contoso" in purchased.subject and product.name in purchased.subject
    assert "/billing/" in purchased.body_text


def test_customer_actions_are_audited_without_mail(api_as, customer, billing_admin, product):
    client = api_as(billing_admin)
    sid = client.post(url(customer), {"product_id": str(product.pk), "quantity": 3}).json()["id"]
    client.patch(url(customer, sid), {"status": "suspended"})
    client.patch(url(customer, sid), {"status": "active"})
    client.patch(f"/api/v1/tenants/{customer.pk}/settings", {"mpsa_share_purchases": True})
    client.patch(f"/api/v1/tenants/{customer.pk}/settings", {"mpsa_share_purchases": True})

    assert [e.action for e in _events()] == [
        "subscription.purchased",
        "subscription.suspended",
        "subscription.reactivated",
        "billing_settings.changed",
    ]
    assert all(e.acting_tenant_id == customer.pk for e in _events())
    assert not OutboxMessage.objects.exists()


def test_refused_changes_write_nothing(
    api_as, customer, indirect_admin, indirect, reseller, accepted
):
    other = subscription(customer, channel="reseller", partner=reseller.partner)

    api_as(indirect_admin).patch(url(customer, other.pk), {"status": "cancelled"})

    assert not AuditEvent.objects.exists()
    assert not OutboxMessage.objects.exists()
