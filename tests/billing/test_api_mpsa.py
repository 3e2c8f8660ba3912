"""MPSA partners: each sees its own purchases; all of them, while the customer allows it."""

import pytest

from billing.models import TenantSettings
from tests.billing.conftest import subscription, url

SETTINGS = "/api/v1/tenants/{}/settings"


@pytest.fixture
def purchases(customer, mpsa_a, mpsa_b, reseller):
    return {
        "a": subscription(customer, channel="mpsa_partner", partner=mpsa_a),
        "b": subscription(customer, sku="DEF-BUS-M", channel="mpsa_partner", partner=mpsa_b),
        "reseller": subscription(
            customer, sku="EXO-P1-M", channel="reseller", partner=reseller.partner
        ),
        "direct": subscription(customer, sku="ENTRA-P1-M"),
    }


def _ids(response):
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


def test_mpsa_sharing_is_off_by_default(api_as, customer, billing_admin):
    response = api_as(billing_admin).get(SETTINGS.format(customer.pk))

    assert response.status_code == 200
    assert response.json() == {"mpsa_share_purchases": False, "updated_at": None}


def test_the_switch_both_ways(api_as, customer, billing_admin, mpsa_a_admin, purchases):
    partner = api_as(mpsa_a_admin)
    settings_url = SETTINGS.format(customer.pk)
    own = {str(purchases["a"].pk)}
    shared = own | {str(purchases["b"].pk)}

    assert _ids(partner.get(url(customer))) == own

    api_as(billing_admin)
    on = api_as(billing_admin).patch(settings_url, {"mpsa_share_purchases": True})
    assert on.status_code == 200 and on.json()["mpsa_share_purchases"] is True
    assert _ids(api_as(mpsa_a_admin).get(url(customer))) == shared

    off = api_as(billing_admin).patch(settings_url, {"mpsa_share_purchases": False})
    assert off.status_code == 200 and off.json()["mpsa_share_purchases"] is False
    assert _ids(api_as(mpsa_a_admin).get(url(customer))) == own
    assert TenantSettings.objects.get(tenant=customer).mpsa_share_purchases is False


def test_mpsa_partner_buys_and_manages_only_its_own_purchases(
    api_as, customer, mpsa_a_admin, purchases, product, accepted
):
    client = api_as(mpsa_a_admin)

    bought = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})
    own = client.patch(url(customer, purchases["a"].pk), {"quantity": 2})
    other = client.patch(url(customer, purchases["b"].pk), {"quantity": 2})
    settings = client.get(SETTINGS.format(customer.pk))

    assert bought.status_code == 201, bought.json()
    assert bought.json()["channel"] == "mpsa_partner"
    assert own.status_code == 200, own.json()
    assert other.status_code == 404
    assert settings.status_code == 403


def test_mpsa_partner_purchase_needs_the_agreement(api_as, customer, mpsa_a_admin, product):
    response = api_as(mpsa_a_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 1}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "agreement_required"


def test_customer_orders_through_its_mpsa_partner(
    api_as, customer, billing_admin, mpsa_a, mpsa_a_admin, product
):
    response = api_as(billing_admin).post(
        url(customer),
        {"product_id": str(product.pk), "quantity": 2, "partner_tenant_id": str(mpsa_a.pk)},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "mpsa_partner"
    assert _ids(api_as(mpsa_a_admin).get(url(customer))) == {response.json()["id"]}


def test_global_reader_reads_settings_but_cannot_change_them(api_as, customer):
    from tests.factories import member

    reader = member(customer, "Global Reader", email="gina@fabrikam.example")
    client = api_as(reader)

    assert client.get(SETTINGS.format(customer.pk)).status_code == 200
    assert client.patch(
        SETTINGS.format(customer.pk), {"mpsa_share_purchases": True}
    ).status_code == (403)
