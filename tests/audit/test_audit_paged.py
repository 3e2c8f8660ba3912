"""The audit log pages in SQL first (issue 16): two index ranges (events in the tenant;
events by it in other tenants) merged in time order, then the page's rows. Every page
answers what serializing a slice of the former OR query answered, filters included, other
tenants' events never show, and the queries do not grow with the log."""

import json

import pytest
from django.db.models import Q
from rest_framework.renderers import JSONRenderer

from audit.api import AuditEventSerializer
from audit.models import AuditEvent
from audit.services import record
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def seed(tenant, admin, n):
    other, elsewhere = TenantFactory(), TenantFactory()
    for i in range(n):
        if i % 3 == 0:  # by the tenant, in another tenant
            record("gdap.requested", actor=admin, target_tenant=other, acting_tenant=tenant)
        elif i % 3 == 1:  # in the tenant
            record("user.added", actor=admin, target_tenant=tenant)
        else:  # in the tenant, by the system
            record("invitation.expired", target_tenant=tenant, system=True)
        record("user.added", target_tenant=elsewhere, acting_tenant=other, system=True)


def former(tenant, page, size, **filters):
    rows = list(
        AuditEvent.objects.filter(Q(target_tenant=tenant) | Q(acting_tenant=tenant))
        .filter(**filters)
        .order_by("-occurred_at", "-id")
    )
    data = AuditEventSerializer(rows[(page - 1) * size : page * size], many=True).data
    return len(rows), json.loads(JSONRenderer().render(data))  # as the API sends it


@pytest.mark.parametrize("size", [1, 4, 7])
def test_pages_answer_the_former_slices(api_as, customer, customer_admin, size):
    seed(customer, customer_admin, 17)
    api = api_as(customer_admin)
    url = f"/api/v1/tenants/{customer.pk}/audit-events"
    count, _rows = former(customer, 1, size)
    for page in range(1, -(-count // size) + 1):
        body = api.get(url, {"page_size": size, "page": page}).json()
        assert (body["count"], body["results"]) == former(customer, page, size)


def test_a_filter_narrows_both_ranges(api_as, customer, customer_admin):
    seed(customer, customer_admin, 12)
    api = api_as(customer_admin)

    body = api.get(
        f"/api/v1/tenants/{customer.pk}/audit-events", {"action": "gdap.requested"}
    ).json()

    assert (body["count"], body["results"]) == former(customer, 1, 20, action="gdap.requested")
    assert body["count"] == 4


def test_queries_do_not_grow_with_the_log(api_as, customer, customer_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(customer_admin)
    url = f"/api/v1/tenants/{customer.pk}/audit-events?page_size=5"

    def queries():
        api.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    seed(customer, customer_admin, 6)
    few = queries()
    seed(customer, customer_admin, 30)
    assert queries() == few
