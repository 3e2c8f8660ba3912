"""Resellers, indirect resellers and what a partner relationship lets them reach."""

import pytest

from billing.models import Subscription
from tests.billing.conftest import relate, subscription, url
from tests.factories import member


@pytest.fixture
def setup(customer, reseller, indirect, accepted):
    """One subscription bought through each reseller."""
    return {
        "reseller_sub": subscription(customer, channel="reseller", partner=reseller.partner),
        "indirect_sub": subscription(
            customer, sku="DEF-BUS-M", channel="indirect_reseller", partner=indirect.partner
        ),
    }


def test_reseller_sees_and_manages_every_subscription(api_as, customer, partner_admin, setup):
    direct = subscription(customer)
    client = api_as(partner_admin)

    listed = client.get(url(customer))
    changed = client.patch(url(customer, setup["indirect_sub"].pk), {"quantity": 8})
    cancelled = client.patch(url(customer, direct.pk), {"status": "cancelled"})

    assert listed.json()["count"] == 3
    assert changed.status_code == 200 and changed.json()["quantity"] == 8
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_reseller_may_not_suspend(api_as, customer, partner_admin, setup):
    response = api_as(partner_admin).patch(
        url(customer, setup["reseller_sub"].pk), {"status": "suspended"}
    )

    assert response.status_code == 403
    assert Subscription.objects.get(pk=setup["reseller_sub"].pk).status == "active"


def test_indirect_reseller_buys_through_itself(
    api_as, customer, indirect_tenant, indirect_admin, setup, product
):
    response = api_as(indirect_admin).post(
        url(customer), {"product_id": str(product.pk), "quantity": 4}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "indirect_reseller"
    assert response.json()["partner"]["tenant_id"] == str(indirect_tenant.pk)


def test_indirect_reseller_sees_only_its_own(api_as, customer, indirect_admin, setup):
    response = api_as(indirect_admin).get(url(customer))

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(setup["indirect_sub"].pk)]


def test_indirect_reseller_cannot_touch_others(api_as, customer, indirect_admin, setup):
    client = api_as(indirect_admin)
    other = setup["reseller_sub"]

    change = client.patch(url(customer, other.pk), {"quantity": 50})
    cancel = client.patch(url(customer, other.pk), {"status": "cancelled"})
    own = client.patch(url(customer, setup["indirect_sub"].pk), {"status": "cancelled"})

    assert change.status_code == 404 and change.json()["code"] == "not_found"
    assert cancel.status_code == 404
    assert own.status_code == 200 and own.json()["status"] == "cancelled"
    other.refresh_from_db()
    assert (other.quantity, other.status) == (5, "active")


def test_partner_agent_without_partners_manage_gets_nothing(
    api_as, customer, partner_agent, setup, product
):
    client = api_as(partner_agent)

    listed = client.get(url(customer))
    bought = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})
    changed = client.patch(url(customer, setup["reseller_sub"].pk), {"quantity": 2})

    assert listed.status_code == 404
    assert bought.status_code == 404
    assert changed.status_code == 404


def test_ended_type_gives_no_access(
    api_as, customer, partner_tenant, partner_admin, setup, product
):
    relate(customer, partner_tenant)  # every type ended
    client = api_as(partner_admin)

    assert client.get(url(customer)).status_code == 404
    assert client.post(
        url(customer), {"product_id": str(product.pk), "quantity": 1}
    ).status_code == (404)


def test_isv_type_gives_no_access(api_as, customer, partner_tenant, partner_admin, setup):
    relate(customer, partner_tenant, "isv", "gdap")

    assert api_as(partner_admin).get(url(customer)).status_code == 404


def test_partner_for_several_must_name_one(
    api_as, customer, partner_tenant, setup, indirect_tenant, product
):
    both = member(partner_tenant, "Global Administrator", email="dual@contoso.example")
    from tenants.models import Membership

    Membership.objects.create(user=both, tenant=indirect_tenant).roles.set(
        Membership.objects.get(user=both, tenant=partner_tenant).roles.all()
    )
    client = api_as(both)

    unnamed = client.post(url(customer), {"product_id": str(product.pk), "quantity": 1})
    named = client.post(
        url(customer),
        {
            "product_id": str(product.pk),
            "quantity": 1,
            "partner_tenant_id": str(indirect_tenant.pk),
        },
    )

    assert unnamed.status_code == 400
    assert unnamed.json()["code"] == "partner_required"
    assert named.status_code == 201 and named.json()["channel"] == "indirect_reseller"


def test_naming_a_partner_one_cannot_buy_through_is_404(
    api_as, customer, partner_admin, setup, indirect_tenant, outsider, product
):
    client = api_as(partner_admin)
    for partner_id in (indirect_tenant.pk, outsider.pk, "not-a-uuid"):
        response = client.post(
            url(customer),
            {"product_id": str(product.pk), "quantity": 1, "partner_tenant_id": str(partner_id)},
        )
        assert response.status_code in (400, 404), response.json()
        if partner_id != "not-a-uuid":
            assert response.status_code == 404


def test_customer_admin_cannot_buy_through_a_reseller(
    api_as, customer, billing_admin, partner_tenant, setup, product
):
    response = api_as(billing_admin).post(
        url(customer),
        {"product_id": str(product.pk), "quantity": 1, "partner_tenant_id": str(partner_tenant.pk)},
    )

    assert response.status_code == 404
