"""The customer's partners list (partner relationships, customer side) pages in SQL
(issue 16) and answers exactly what it answered when it loaded every partner and sliced a
Python list: the oracle is the former implementation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agreements import selectors as agreements
from relationships.api.partner_relationships import PartnerRelationshipSerializer
from relationships.models import DelegatedAdminRelationship, PartnerRelationship
from relationships.selectors.partner_relationships import admin_roles_by_partner
from tests.factories import MembershipFactory, TenantFactory, UserFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
NAMES = ["Zeta IT", "acme cloud", "Bravo AG", "Älpler", "Bravo", "delta", "Echo", "Foxtrot"]


def legacy_partners_of(customer) -> list:
    """partners_of() before issue 16: every row loaded, enriched, then sliced."""
    relationships = list(
        PartnerRelationship.objects.filter(customer=customer)
        .exclude(types=[])
        .select_related("partner", "partner__partner_profile")
        .order_by("partner__name")
    )
    admin_roles = admin_roles_by_partner(customer, [r.partner_id for r in relationships])
    accepted = agreements.has_accepted(customer)
    for r in relationships:
        r.admin_roles = admin_roles.get(r.partner_id, [])
        r.agreement_accepted = accepted
    return relationships


def seed(customer, n, start=0):
    statuses = [Status.ACTIVE, Status.CREATED, Status.EXPIRED, Status.TERMINATED]
    for i in range(start, start + n):
        partner = TenantFactory(name=NAMES[i % len(NAMES)] + (f" {i}" if i >= len(NAMES) else ""))
        types = [] if i % 7 == 6 else (["gdap", "reseller"] if i % 2 else ["isv"])
        PartnerRelationship.objects.create(customer=customer, partner=partner, types=types)
        for k in range(i % 3):
            DelegatedAdminRelationshipFactory(
                partner=partner,
                customer=customer,
                status=statuses[(i + k) % len(statuses)],
                roles=["Helpdesk Administrator", "User Administrator"][: k + 1],
            )
        if i % 4 == 1:  # a user account of the partner in the customer, with a role
            MembershipFactory(
                user=UserFactory(),
                tenant=customer,
                partner_tenant=partner,
                roles=["Security Reader"],
            )
    other = TenantFactory(name=f"Aaa other {start}")
    PartnerRelationship.objects.create(customer=other, partner=TenantFactory(), types=["isv"])


@pytest.fixture
def customer_client(customer):
    client = APIClient()
    client.force_login(member(customer, "Global Administrator"))
    return client


@pytest.mark.parametrize("size", [2, 3, 20])
def test_every_page_answers_what_the_python_slice_answered(customer, customer_client, size):
    seed(customer, 10)
    url = f"/api/v1/tenants/{customer.pk}/partner-relationships"
    rows = legacy_partners_of(customer)
    pages = -(-len(rows) // size)

    for page in range(1, pages + 1):
        body = customer_client.get(url, {"page": page, "page_size": size}).json()
        expected = PartnerRelationshipSerializer(
            rows[(page - 1) * size : page * size], many=True
        ).data
        assert body["count"] == len(rows)
        assert body["results"] == [dict(r) for r in expected], page


@pytest.mark.parametrize(
    "path",
    ["/api/v1/tenants/{tid}/partner-relationships", "/t/{tid}/settings/partners/"],
)
def test_queries_do_not_grow_from_3_to_30_partners(
    customer, customer_client, path, django_assert_max_num_queries
):
    url = path.format(tid=customer.pk)
    seed(customer, 3)
    with CaptureQueriesContext(connection) as few:
        assert customer_client.get(url, {"page_size": 100}).status_code == 200
    seed(customer, 27, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert customer_client.get(url, {"page_size": 100}).status_code == 200
