"""The partner's customers list pages in SQL (issue 16) and answers exactly what it
answered when it loaded every customer and sliced a Python list: the oracle below is that
former implementation, kept here to compare every page of a seeded world against."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agreements import selectors as agreements
from agreements.models import AgreementAcceptance
from relationships.api.partner_relationships import CustomerSerializer
from relationships.models import DelegatedAdminRelationship, PartnerRelationship
from tests.factories import TenantFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
# Byte order (the databases' collation) puts upper case first: "Zeta" before "acme".
NAMES = ["Zeta Labs", "acme", "Bravo AG", "Älpler", "Bravo", "delta", "Echo", "Foxtrot", "Golf"]


def legacy_customers_of(partner) -> list:
    """customers_of() before issue 16: every row loaded, enriched, then sliced."""
    relationships = list(
        PartnerRelationship.objects.filter(partner=partner)
        .exclude(types=[])
        .select_related("customer")
        .order_by("customer__name")
    )
    ids = [r.customer_id for r in relationships]
    accepted = agreements.accepted_tenant_ids(ids)
    grants: dict = {}
    qs = (
        DelegatedAdminRelationship.objects.exclude(status=Status.CREATED)
        .filter(partner=partner, customer_id__in=ids)
        .select_related("invitation")
        .prefetch_related("approved_roles", "requested_roles")
        .order_by("-created_at")
    )
    for rel in qs:
        grants.setdefault(rel.customer_id, []).append(rel)
    for r in relationships:
        r.agreement_accepted = r.customer_id in accepted
        r.gdap_relationships = grants.get(r.customer_id, [])
    return relationships


def seed(partner, n, version=None, start=0):
    statuses = [Status.ACTIVE, Status.CREATED, Status.EXPIRED, Status.TERMINATED]
    for i in range(start, start + n):
        customer = TenantFactory(name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}"))
        types = [] if i % 7 == 6 else (["gdap", "reseller"] if i % 2 else ["isv"])
        PartnerRelationship.objects.create(
            customer=customer,
            partner=partner,
            types=types,
            started_at=timezone.now() - timedelta(days=i),
        )
        for k in range(i % 3):
            DelegatedAdminRelationshipFactory(
                partner=partner,
                customer=customer,
                status=statuses[(i + k) % len(statuses)],
                roles=["Helpdesk Administrator", "User Administrator"][: k + 1],
            )
        if version is not None and i % 2 == 0:
            AgreementAcceptance.objects.create(
                tenant=customer, version=version, attestation="yes", name="A"
            )
    # Another partner's customer never shows.
    other = TenantFactory(name=f"Aaa other {start}")
    PartnerRelationship.objects.create(customer=other, partner=TenantFactory(), types=["isv"])


@pytest.fixture
def partner_client(partner_tenant):
    client = APIClient()
    client.force_login(member(partner_tenant, "Global Administrator"))
    return client


def expected_page(partner, page, size):
    rows = legacy_customers_of(partner)
    data = CustomerSerializer(rows[(page - 1) * size : page * size], many=True).data
    return len(rows), [dict(row) for row in data]


@pytest.mark.parametrize("size", [3, 4, 20])
def test_every_page_answers_what_the_python_slice_answered(partner_tenant, partner_client, size):
    seed(partner_tenant, 12, version=agreements.current_version("customer"))
    url = f"/api/v1/tenants/{partner_tenant.pk}/customers"
    count, _ = expected_page(partner_tenant, 1, size)
    pages = -(-count // size)

    for page in range(1, pages + 1):
        body = partner_client.get(url, {"page": page, "page_size": size}).json()
        total, rows = expected_page(partner_tenant, page, size)
        assert body["count"] == total
        assert body["results"] == rows, page
        assert (body["next"] is None) == (page == pages)
    assert partner_client.get(url, {"page": pages + 1, "page_size": size}).status_code == 404


def test_a_renamed_customer_moves_in_the_order(partner_tenant, partner_client):
    seed(partner_tenant, 5)
    tenant = PartnerRelationship.objects.get(customer__name="acme").customer
    tenant.name = "AAA first"
    tenant.save()
    url = f"/api/v1/tenants/{partner_tenant.pk}/customers"

    body = partner_client.get(url).json()

    assert body["results"][0]["name"] == "AAA first"
    assert body["results"] == expected_page(partner_tenant, 1, 20)[1]


@pytest.mark.parametrize("path", ["/api/v1/tenants/{tid}/customers", "/t/{tid}/partner/customers/"])
def test_queries_do_not_grow_from_3_to_30_customers(
    partner_tenant, partner_client, path, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = path.format(tid=partner_tenant.pk)
    seed(partner_tenant, 3, version=agreements.current_version("customer"))
    with CaptureQueriesContext(connection) as few:
        assert partner_client.get(url, {"page_size": 100}).status_code == 200
    seed(partner_tenant, 27, version=agreements.current_version("customer"), start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert partner_client.get(url, {"page_size": 100}).status_code == 200
