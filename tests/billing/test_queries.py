"""Lists cost the same number of queries for 3 rows as for 30."""

import pytest

from tests.billing.conftest import subscription, url
from tests.factories import TenantFactory, UserFactory


def _fill(customer, partner, n):
    buyers = [UserFactory() for _ in range(3)]
    for i in range(n):
        subscription(
            customer,
            channel="reseller" if i % 2 else "direct",
            partner=partner if i % 2 else None,
            bought_by=buyers[i % 3],
        )


@pytest.mark.parametrize("rows", [3, 30])
def test_customer_list(
    api_as, customer, billing_admin, partner_tenant, django_assert_max_num_queries, rows
):
    _fill(customer, partner_tenant, rows)
    client = api_as(billing_admin)

    with django_assert_max_num_queries(8):
        response = client.get(url(customer), {"page_size": 100})

    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_reseller_and_mpsa_lists(
    api_as,
    customer,
    partner_admin,
    partner_tenant,
    reseller,
    mpsa_a,
    mpsa_a_admin,
    django_assert_max_num_queries,
    rows,
):
    _fill(customer, partner_tenant, rows)
    for _ in range(rows // 3):
        subscription(customer, channel="mpsa_partner", partner=mpsa_a)
        subscription(customer, channel="mpsa_partner", partner=TenantFactory())

    from tests.relationships.conftest import client_for

    as_reseller, as_mpsa = client_for(partner_admin), client_for(mpsa_a_admin)

    with django_assert_max_num_queries(9):
        reseller_view = as_reseller.get(url(customer), {"page_size": 100})
    with django_assert_max_num_queries(10):
        mpsa_view = as_mpsa.get(url(customer), {"page_size": 100})

    assert reseller_view.json()["count"] == rows + 2 * (rows // 3)
    assert mpsa_view.json()["count"] == rows // 3


def test_products(api_as, plain_member, django_assert_max_num_queries):
    client = api_as(plain_member)

    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/products")

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_billing_page(
    client_as, customer, billing_admin, partner_tenant, django_assert_max_num_queries, rows
):
    _fill(customer, partner_tenant, rows)
    client = client_as(billing_admin)

    with django_assert_max_num_queries(20):
        response = client.get(f"/t/{customer.pk}/billing/")

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_partner_page(
    client_as,
    customer,
    partner_admin,
    partner_tenant,
    reseller,
    accepted,
    django_assert_max_num_queries,
    rows,
):
    _fill(customer, partner_tenant, rows)
    client = client_as(partner_admin)

    with django_assert_max_num_queries(24):
        response = client.get(
            f"/t/{partner_tenant.pk}/partner/customers/{customer.pk}/subscriptions/"
        )

    assert response.status_code == 200
