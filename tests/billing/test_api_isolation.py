"""Every billing endpoint: foreign tenants and foreign ids answer 404; bad input 400 JSON."""

import uuid

import pytest

from audit.models import AuditEvent
from billing.models import Subscription
from tests.billing.conftest import subscription, url

ENDPOINTS = [
    ("get", "/api/v1/tenants/{tid}/subscriptions", None),
    ("post", "/api/v1/tenants/{tid}/subscriptions", "buy"),
    ("patch", "/api/v1/tenants/{tid}/subscriptions/{sid}", {"quantity": 2}),
    ("patch", "/api/v1/tenants/{tid}/subscriptions/{sid}", {"status": "cancelled"}),
    ("get", "/api/v1/tenants/{tid}/settings", None),
    ("patch", "/api/v1/tenants/{tid}/settings", {"mpsa_share_purchases": True}),
]


def _call(client, method, path, body, product):
    if body == "buy":
        body = {"product_id": str(product.pk), "quantity": 1}
    return getattr(client, method)(path, body or {}, format="json")


@pytest.mark.parametrize(("method", "route", "body"), ENDPOINTS)
def test_outsider_gets_404_on_the_customer(
    api_as, customer, outsider_admin, product, method, route, body
):
    bought = subscription(customer)
    path = route.format(tid=customer.pk, sid=bought.pk)

    response = _call(api_as(outsider_admin), method, path, body, product)

    assert response.status_code == 404, response.json()
    assert response.json()["code"] == "not_found"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("method", "route", "body"), [e for e in ENDPOINTS if "{sid}" in e[1]])
def test_foreign_subscription_id_in_own_tenant_gets_404(
    api_as, customer, outsider, outsider_admin, product, method, route, body
):
    foreign = subscription(customer)

    response = _call(
        api_as(outsider_admin), method, route.format(tid=outsider.pk, sid=foreign.pk), body, product
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    foreign.refresh_from_db()
    assert (foreign.quantity, foreign.status) == (5, "active")


@pytest.mark.parametrize("sid", ["not-a-uuid", "0", str(uuid.uuid4())])
def test_malformed_or_unknown_subscription_id_gets_404(api_as, customer, billing_admin, sid):
    response = api_as(billing_admin).patch(url(customer) + f"/{sid}", {"quantity": 2})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


BAD_BUYS = [
    {},
    {"quantity": 1},
    {"product_id": "not-a-uuid", "quantity": 1},
    {"product_id": str(uuid.uuid4()), "quantity": 1},
    {"product_id": "PRODUCT", "quantity": 0},
    {"product_id": "PRODUCT", "quantity": -3},
    {"product_id": "PRODUCT", "quantity": "many"},
    {"product_id": "PRODUCT", "quantity": 10**9},
    {"product_id": "PRODUCT", "quantity": 1.5},
    {"product_id": "PRODUCT", "quantity": None},
    {"product_id": "PRODUCT", "quantity": 1, "partner_tenant_id": "x"},
]


@pytest.mark.parametrize("body", BAD_BUYS)
def test_bad_purchase_input_gets_400(api_as, customer, billing_admin, product, body):
    body = {k: (str(product.pk) if v == "PRODUCT" else v) for k, v in body.items()}

    response = api_as(billing_admin).post(url(customer), body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]
    assert not Subscription.objects.exists()


BAD_PATCHES = [
    {},
    {"quantity": 2, "status": "cancelled"},
    {"quantity": 0},
    {"quantity": "two"},
    {"status": "deleted"},
    {"status": None},
]


@pytest.mark.parametrize("body", BAD_PATCHES)
def test_bad_change_input_gets_400(api_as, customer, billing_admin, body):
    bought = subscription(customer)

    response = api_as(billing_admin).patch(url(customer, bought.pk), body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    bought.refresh_from_db()
    assert (bought.quantity, bought.status) == (5, "active")


@pytest.mark.parametrize("body", [{}, {"mpsa_share_purchases": "perhaps"}, [True]])
def test_bad_settings_input_gets_400(api_as, customer, billing_admin, body):
    response = api_as(billing_admin).patch(
        f"/api/v1/tenants/{customer.pk}/settings", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_list_body_gets_400(api_as, customer, billing_admin):
    response = api_as(billing_admin).post(url(customer), [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_bad_status_filter_gets_400(api_as, customer, billing_admin):
    response = api_as(billing_admin).get(url(customer), {"status": "gone"})

    assert response.status_code == 400
