"""The partner's Customers page links to the work each relationship type allows."""

import pytest

from relationships.models import PartnerRelationship


@pytest.mark.parametrize(
    ("types", "link"),
    [
        (["reseller"], "/subscriptions/"),
        (["mpsa_partner"], "/subscriptions/"),
        (["oem"], "/devices/"),
        (["industry_partner"], "/industry-apps/"),
    ],
)
def test_customers_page_links_to_the_types_work(
    client_as, partner_profile, partner_tenant, partner_admin, customer, types, link
):
    PartnerRelationship.objects.create(customer=customer, partner=partner_tenant, types=types)

    response = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/partner/customers/")

    assert response.status_code == 200
    assert f"/t/{partner_tenant.pk}/partner/customers/{customer.pk}{link}" in response.text


def test_isv_gets_no_work_link(client_as, partner_profile, partner_tenant, partner_admin, customer):
    PartnerRelationship.objects.create(customer=customer, partner=partner_tenant, types=["isv"])

    response = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/partner/customers/")

    assert response.status_code == 200
    for work in ("/subscriptions/", "/devices/", "/industry-apps/"):
        assert f"/partner/customers/{customer.pk}{work}" not in response.text
