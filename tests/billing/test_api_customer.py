"""The customer's own billing: direct purchases, changes, suspension, cancellation."""

import pytest

from billing.models import Subscription
from tests.billing.conftest import subscription, url
from tests.factories import member


def test_billing_admin_buys_directly(api_as, customer, billing_admin, product):
    response = api_as(billing_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 12}
    )

    assert response.status_code == 201, response.json()
    created = Subscription.objects.get(pk=response.json()["id"])
    assert created.channel == "direct" and created.partner is None
    assert created.bought_by == billing_admin
    assert created.renewal_date > created.bought_at.date()


def test_plain_member_gets_403(api_as, customer, plain_member, product):
    client = api_as(plain_member)
    bought = subscription(customer)

    assert client.get(url(customer)).status_code == 403
    assert (
        client.post(url(customer), {"product_id": str(product.pk), "quantity": 1}).status_code
        == 403
    )
    assert client.patch(url(customer, bought.pk), {"quantity": 2}).status_code == 403
    assert client.get(f"/api/v1/tenants/{customer.pk}/settings").status_code == 403


def test_global_reader_reads_but_cannot_buy(api_as, customer, product):
    reader = member(customer, "Global Reader", email="gina@fabrikam.example")
    subscription(customer)
    client = api_as(reader)

    listed = client.get(url(customer))
    bought = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})

    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert bought.status_code == 403
    assert bought.json()["code"] == "permission_denied"


def test_change_quantity_then_suspend_reactivate_cancel(api_as, customer, billing_admin):
    bought = subscription(customer, quantity=5)
    client = api_as(billing_admin)

    assert client.patch(url(customer, bought.pk), {"quantity": 9}).json()["quantity"] == 9
    assert client.patch(url(customer, bought.pk), {"status": "suspended"}).json()["status"] == (
        "suspended"
    )
    # Suspended: the quantity is frozen.
    frozen = client.patch(url(customer, bought.pk), {"quantity": 3})
    assert frozen.status_code == 409 and frozen.json()["code"] == "invalid_state"
    assert client.patch(url(customer, bought.pk), {"status": "active"}).json()["status"] == "active"
    cancelled = client.patch(url(customer, bought.pk), {"status": "cancelled"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"]


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_a_cancelled_subscription_stays_cancelled(api_as, customer, billing_admin, status):
    bought = subscription(customer, status="cancelled")

    response = api_as(billing_admin).patch(url(customer, bought.pk), {"status": status})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_status_filter(api_as, customer, billing_admin):
    subscription(customer)
    subscription(customer, status="cancelled")

    response = api_as(billing_admin).get(url(customer), {"status": "cancelled"})

    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["cancelled"]


def test_products_are_listed_for_any_signed_in_user(api_as, api, outsider_admin):
    response = api_as(outsider_admin).get("/api/v1/products", {"page_size": 100})

    assert response.status_code == 200
    skus = {p["sku"] for p in response.json()["results"]}
    assert {"M365-BB-M", "M365-E3-A", "M365-E5-A", "INTUNE-P1-M", "DEF-BUS-M"} <= skus
    first = response.json()["results"][0]
    assert set(first) == {"id", "sku", "name", "summary", "unit_price", "currency", "term"}


def test_products_need_a_sign_in(api):
    response = api.get("/api/v1/products")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_retired_products_are_not_listed_nor_sold(api_as, customer, billing_admin, product):
    product.is_active = False
    product.save()
    client = api_as(billing_admin)

    listed = client.get("/api/v1/products", {"page_size": 100})
    bought = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})

    assert product.sku not in {p["sku"] for p in listed.json()["results"]}
    assert bought.status_code == 400
    assert "product_id" in bought.json()["errors"]
