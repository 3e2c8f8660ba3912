"""Support requests: shared helpers and a partner agent with Helpdesk Administrator via GDAP."""

import pytest

from support.models import SupportComment, SupportRequest
from tests.gdap_factories import grant


def make_request(tenant, by, *, title="Printer offline", status="open", **kwargs):
    return SupportRequest.objects.create(
        tenant=tenant,
        title=title,
        description=kwargs.pop("description", "The printer on floor 2 is offline."),
        created_by=by,
        status=status,
        **kwargs,
    )


def make_comment(support_request, by, body="Looking into it."):
    return SupportComment.objects.create(request=support_request, author=by, body=body)


def add_requests(tenant, by, n):
    """n requests with a comment each (what the list shows must not cost a query a row)."""
    start = tenant.support_requests.count()
    for i in range(start, start + n):
        make_comment(make_request(tenant, by, title=f"Request {i}"), by)


@pytest.fixture
def support_request(customer, customer_admin):
    return make_request(customer, customer_admin)


@pytest.fixture
def helpdesk_grant(partner_tenant, customer, partner_agent):
    """The partner agent holds Helpdesk Administrator in the customer through GDAP."""
    return grant(partner_tenant, customer, partner_agent, "Helpdesk Administrator")
