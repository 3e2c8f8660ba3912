"""The GDAP relationships list and the expiring list page in SQL first (issue 16): the
page's keys from a narrow query, then the page's rows. Every page answers what
serializing a slice of the whole list answered (the former way), filters included."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from relationships import selectors
from relationships.api.expiring import ExpiringRelationshipSerializer
from relationships.api.gdap import RelationshipSerializer
from relationships.models import DelegatedAdminRelationship
from tests.factories import TenantFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
STATUSES = [Status.ACTIVE, Status.APPROVAL_PENDING, Status.EXPIRED, Status.TERMINATED]


def seed(partner, n):
    now = timezone.now()
    for i in range(n):
        customer = TenantFactory()
        status = STATUSES[i % len(STATUSES)]
        rel = DelegatedAdminRelationshipFactory(
            partner=partner if i % 5 else customer,
            customer=customer if i % 5 else partner,
            status=status,
            duration=timedelta(days=10 + 37 * i % 700),
            auto_extend_duration=timedelta(days=180) if i % 6 == 0 else timedelta(0),
        )
        if status in (Status.EXPIRED, Status.TERMINATED):
            rel.activated_at = now - timedelta(days=40 + i)
            rel.end_at = rel.activated_at + timedelta(days=20)
            rel.ended_at = rel.end_at
            rel.save()
    DelegatedAdminRelationshipFactory()  # another partner's


@pytest.fixture
def partner_client(partner_tenant):
    client = APIClient()
    client.force_login(member(partner_tenant, "Global Administrator"))
    return client


def legacy(serializer, rows, tid, page, size):
    rows = list(rows)
    data = serializer(rows[(page - 1) * size : page * size], many=True, context={"tenant_id": tid})
    return len(rows), [dict(r) for r in data.data]


@pytest.mark.parametrize("params", [{}, {"status": "active"}, {"side": "customer"}])
def test_gdap_list_pages_answer_the_former_slices(partner_tenant, partner_client, params):
    seed(partner_tenant, 14)
    tid = str(partner_tenant.pk)
    url = f"/api/v1/tenants/{tid}/delegated-admin-relationships"
    qs = selectors.relationships_of(partner_tenant, side=params.get("side", ""))
    qs = qs.order_by("-created_at")
    if "status" in params:
        qs = [r for r in qs if r.status_at(timezone.now()) == params["status"]]

    for page in (1, 2, 3):
        count, rows = legacy(RelationshipSerializer, qs, tid, page, 5)
        response = partner_client.get(url, {**params, "page": page, "page_size": 5})
        if not rows:
            assert response.status_code == 404
            continue
        assert response.json()["count"] == count
        assert response.json()["results"] == rows, page


@pytest.mark.parametrize("params", [{}, {"window": "later"}, {"window": "expired"}])
def test_expiring_pages_answer_the_former_slices(partner_tenant, partner_client, params):
    seed(partner_tenant, 14)
    tid = str(partner_tenant.pk)
    url = f"/api/v1/tenants/{tid}/delegated-admin-relationships/expiring"
    from relationships.filters import ExpiringFilter

    qs = ExpiringFilter(params, queryset=selectors.expiring_of(partner_tenant)).qs

    for page in (1, 2, 3):
        count, rows = legacy(ExpiringRelationshipSerializer, qs, tid, page, 4)
        response = partner_client.get(url, {**params, "page": page, "page_size": 4})
        if not rows:
            assert response.status_code == 404
            continue
        assert response.json()["count"] == count
        assert response.json()["results"] == rows, page


def test_gdap_list_queries_do_not_grow(
    partner_tenant, partner_client, django_assert_max_num_queries
):
    url = f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships?page_size=50"
    seed(partner_tenant, 3)
    with django_assert_max_num_queries(12) as few:
        assert partner_client.get(url).status_code == 200
    seed(partner_tenant, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert partner_client.get(url).status_code == 200
