"""The received invitations list (the customer's inbox) pages in SQL first (issue 16): two
index ranges (naming the tenant; naming none, addressed to its admins) merged in time
order, then the page's rows. Every page answers what serializing a slice of the former
query answered, and the queries do not grow with the inbox."""

import pytest
from django.db.models import Q

from relationships import services
from relationships.api.invitations import InvitationSerializer
from relationships.models import Invitation
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def seed(partner_admin, partner_tenant, customer, admin_email, n):
    for i in range(n):
        kwargs = {"customer": customer} if i % 3 else {}
        email = admin_email if i % 3 == 0 else f"someone{i}@fabrikam.example"
        invitation, _raw = services.send_invitation(
            by=partner_admin,
            partner=partner_tenant,
            email=email,
            relationship_types=["reseller"],
            **kwargs,
        )
        if i % 4 == 1:
            services.cancel_invitation(
                by=partner_admin, partner=partner_tenant, invitation_id=invitation.pk
            )
    services.send_invitation(  # another customer's
        by=partner_admin,
        partner=partner_tenant,
        email="x@elsewhere.example",
        relationship_types=["reseller"],
        customer=TenantFactory(),
    )


def former(customer, admin_email, tid, page, size):
    """The former query: one OR over the three ways an invitation reaches the tenant."""
    rows = list(
        Invitation.objects.filter(
            Q(customer=customer)
            | Q(accepted_tenant=customer)
            | Q(customer__isnull=True, email__in=[admin_email.lower()])
        ).order_by("-created_at")
    )
    data = InvitationSerializer(
        rows[(page - 1) * size : page * size], many=True, context={"tenant_id": tid}
    ).data
    return len(rows), [dict(r) for r in data]


def test_received_pages_answer_the_former_slices(
    api_as, partner_profile, partner_admin, partner_tenant, customer, customer_admin
):
    seed(partner_admin, partner_tenant, customer, customer_admin.email, 14)
    api = api_as(customer_admin)
    for page in (1, 2, 3, 4):
        response = api.get(
            f"/api/v1/tenants/{customer.pk}/invitations?direction=received&page_size=4&page={page}"
        )
        assert response.status_code == 200
        count, rows = former(customer, customer_admin.email, customer.pk, page, 4)
        assert response.json()["count"] == count
        assert response.json()["results"] == rows


@pytest.mark.parametrize("status", ["pending", "cancelled"])
def test_received_status_filter_pages_each_range(
    api_as, partner_profile, partner_admin, partner_tenant, customer, customer_admin, status
):
    seed(partner_admin, partner_tenant, customer, customer_admin.email, 9)
    response = api_as(customer_admin).get(
        f"/api/v1/tenants/{customer.pk}/invitations?direction=received&status={status}"
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and {row["status"] for row in rows} == {status}
    assert [r["created_at"] for r in rows] == sorted((r["created_at"] for r in rows), reverse=True)


def test_received_api_queries_do_not_grow(
    api_as,
    partner_profile,
    partner_admin,
    partner_tenant,
    customer,
    customer_admin,
    django_assert_max_num_queries,
):
    api = api_as(customer_admin)
    url = f"/api/v1/tenants/{customer.pk}/invitations?direction=received&page_size=50"
    seed(partner_admin, partner_tenant, customer, customer_admin.email, 3)
    with django_assert_max_num_queries(12) as few:
        assert api.get(url).status_code == 200
    seed(partner_admin, partner_tenant, customer, customer_admin.email, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(url).status_code == 200
