"""Partner purchases wait for the customer's acceptance of the newest agreement."""

from audit.models import AuditEvent
from billing.models import Subscription
from tests.billing.conftest import accept_agreement, publish_new_version, subscription, url


def test_reseller_purchase_refused_before_the_agreement(
    api_as, customer, partner_admin, reseller, product
):
    response = api_as(partner_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 10}
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "agreement_required"
    assert "must accept the customer agreement" in response.json()["detail"]
    assert not Subscription.objects.exists()
    assert not AuditEvent.objects.filter(action="subscription.purchased").exists()


def test_reseller_purchase_allowed_after_the_agreement(
    api_as, customer, partner_tenant, partner_admin, reseller, accepted, product
):
    response = api_as(partner_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 10}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "reseller"
    assert body["partner"] == {"tenant_id": str(partner_tenant.pk), "name": "Contoso"}
    assert body["quantity"] == 10
    assert body["status"] == "active"
    assert body["bought_by"]["email"] == partner_admin.email
    assert body["product"]["sku"] == "M365-BP-M"


def test_refused_again_when_a_new_version_is_published(
    api_as, customer, customer_admin, partner_admin, reseller, accepted, product
):
    bought = subscription(customer, channel="reseller", partner=reseller.partner)
    publish_new_version()
    client = api_as(partner_admin)

    buy = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})
    change = client.patch(url(customer, bought.pk), {"quantity": 7})
    cancel = client.patch(url(customer, bought.pk), {"status": "cancelled"})

    assert buy.status_code == 409 and buy.json()["code"] == "agreement_required"
    assert change.status_code == 409 and change.json()["code"] == "agreement_required"
    assert cancel.status_code == 409 and cancel.json()["code"] == "agreement_required"
    bought.refresh_from_db()
    assert (bought.quantity, bought.status) == (5, "active")

    accept_agreement(customer, customer_admin)
    again = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})
    assert again.status_code == 201, again.json()


def test_customer_direct_purchase_needs_no_agreement(api_as, customer, billing_admin, product):
    response = api_as(billing_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 3}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "direct"
    assert response.json()["partner"] is None
