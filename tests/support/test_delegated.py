"""Partner staff work on support requests in a customer through GDAP (Helpdesk Administrator).

Every delegated change is audited with the partner as acting tenant and the relationship
that allowed it; past the grant's end the customer is simply not there (404).
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from support.models import SupportRequest
from tests.support.conftest import make_request

pytestmark = pytest.mark.django_db


def list_url(tenant):
    return reverse("api-support-requests", args=[tenant.pk])


def test_partner_agent_opens_a_request_in_the_customer(
    api_as, customer, partner_tenant, partner_agent, helpdesk_grant, customer_admin
):
    r = api_as(partner_agent).post(
        list_url(customer), {"title": "Reset MFA", "description": "For Carol."}, format="json"
    )

    assert r.status_code == 201
    assert r.json()["acting_partner"] == {
        "tenant_id": str(partner_tenant.pk),
        "name": partner_tenant.name,
    }
    created = SupportRequest.objects.get(pk=r.json()["id"])
    assert created.tenant == customer
    assert created.acting_partner == partner_tenant
    event = AuditEvent.objects.get()
    assert event.action == "support_request.created"
    assert event.actor == partner_agent
    assert event.target_tenant_id == customer.pk
    assert event.acting_tenant_id == partner_tenant.pk
    assert event.relationship_id == helpdesk_grant.relationship_id


def test_partner_agent_comments_and_closes_with_the_relationship_audited(
    api_as, customer, partner_tenant, partner_agent, helpdesk_grant, customer_admin
):
    support_request = make_request(customer, customer_admin)
    client = api_as(partner_agent)

    commented = client.post(
        reverse("api-support-request-comments", args=[customer.pk, support_request.pk]),
        {"body": "Done."},
        format="json",
    )
    closed = client.post(
        reverse("api-support-request-close", args=[customer.pk, support_request.pk])
    )

    assert commented.status_code == 201
    assert commented.json()["acting_partner"]["tenant_id"] == str(partner_tenant.pk)
    assert closed.status_code == 200
    events = list(AuditEvent.objects.order_by("occurred_at"))
    assert [e.action for e in events] == ["support_request.commented", "support_request.closed"]
    for event in events:
        assert event.acting_tenant_id == partner_tenant.pk
        assert event.relationship_id == helpdesk_grant.relationship_id


def test_the_customer_sees_which_partner_opened_it(
    client_as, customer, customer_admin, partner_tenant, partner_agent
):
    support_request = make_request(
        customer, partner_agent, title="Opened by the partner", acting_partner=partner_tenant
    )

    page = client_as(customer_admin).get(
        reverse("support_request", args=[customer.pk, support_request.pk])
    )

    assert page.status_code == 200
    assert f"{partner_agent.email} (partner {partner_tenant.name})" in page.content.decode()


def test_after_the_grant_ends_the_api_answers_404_and_the_page_says_it_ended(
    api_as, client_as, customer, partner_agent, helpdesk_grant, customer_admin
):
    support_request = make_request(customer, customer_admin)
    end = helpdesk_grant.relationship.end_at

    with time_machine.travel(end + timedelta(seconds=1), tick=False):
        api = api_as(partner_agent)
        assert api.get(list_url(customer)).status_code == 404
        created = api.post(list_url(customer), {"title": "T", "description": "D"}, format="json")
        assert created.status_code == 404
        page = client_as(partner_agent).get(reverse("support_requests", args=[customer.pk]))
        assert page.status_code == 403  # tests/roles/test_access_ended.py
        assert "has ended" in page.content.decode()
        close = api.post(
            reverse("api-support-request-close", args=[customer.pk, support_request.pk])
        )
        assert close.status_code == 404

    assert SupportRequest.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_partner_agent_without_the_grant_gets_404(api_as, customer, partner_agent):
    assert api_as(partner_agent).get(list_url(customer)).status_code == 404


def test_delegated_roles_outside_support_are_refused(
    api_as, customer, partner_tenant, partner_agent
):
    from tests.gdap_factories import grant

    grant(partner_tenant, customer, partner_agent, "Billing Administrator")

    assert api_as(partner_agent).get(list_url(customer)).status_code == 403
