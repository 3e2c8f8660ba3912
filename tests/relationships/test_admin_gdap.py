# ruff: noqa: F811  (the support_staff fixture is imported, then requested by name)
"""The support console: GDAP relationships and access assignments in Django admin, with
lists, filters and search; destructive actions ask first and then make one audited
service call; support staff land in the admin; the demo's support account is a staff
member of 'Support agents', not a superuser."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from audit.models import AuditEvent
from portal.support_agents import SUPPORT_AGENT_GROUP
from relationships.models import AccessAssignment, DelegatedAdminRelationship
from tenants.models import User
from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory
from tests.partners.conftest import support_staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

RELATIONSHIPS = "/admin/relationships/delegatedadminrelationship/"
ASSIGNMENTS = "/admin/relationships/accessassignment/"


def post_action(client, changelist, action, *objs, confirm=False):
    body = {"action": action, "_selected_action": [str(o.pk) for o in objs]}
    if confirm:
        body["confirm"] = "yes"
    return client.post(changelist, body)


def test_support_agent_lists_filters_and_searches_gdap(
    client_as,
    support_staff,
    customer,
    partner_tenant,
):
    active = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, display_name="Fabrikam helpdesk"
    )
    DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        display_name="Waiting for Fabrikam",
        status=DelegatedAdminRelationship.Status.APPROVAL_PENDING,
    )
    assignment = AccessAssignmentFactory(relationship=active)
    client = client_as(support_staff)

    listed = client.get(RELATIONSHIPS)
    assert listed.status_code == 200
    assert "Fabrikam helpdesk" in listed.content.decode()
    pending = client.get(RELATIONSHIPS, {"status__exact": "approval_pending"}).content.decode()
    assert "Waiting for Fabrikam" in pending and "Fabrikam helpdesk" not in pending
    found = client.get(RELATIONSHIPS, {"q": "helpdesk"}).content.decode()
    assert "Fabrikam helpdesk" in found and "Waiting for Fabrikam" not in found

    detail = client.get(f"{RELATIONSHIPS}{active.pk}/change/").content.decode()
    assert "Helpdesk Administrator" in detail  # roles as text, assignments inline
    assert assignment.security_group.name in detail
    assert client.get(ASSIGNMENTS).status_code == 200
    assert client.get(f"{ASSIGNMENTS}{assignment.pk}/change/").status_code == 200


def test_terminating_asks_first_then_makes_one_audited_call(
    client_as,
    support_staff,
    customer,
    partner_tenant,
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    client = client_as(support_staff)

    asked = post_action(client, RELATIONSHIPS, "terminate", rel)
    assert asked.status_code == 200
    assert "Terminate these GDAP relationships?" in asked.content.decode()
    assert rel.display_name in asked.content.decode()
    rel.refresh_from_db()
    assert rel.status == DelegatedAdminRelationship.Status.ACTIVE
    assert AuditEvent.objects.count() == 0

    done = post_action(client, RELATIONSHIPS, "terminate", rel, confirm=True)
    assert done.status_code == 302
    rel.refresh_from_db()
    assert rel.status == DelegatedAdminRelationship.Status.TERMINATED
    event = AuditEvent.objects.get()
    assert event.action == "gdap.terminated"
    assert event.actor_kind == "staff" and event.after["by"] == "support"


def test_revoking_access_asks_first_then_makes_one_audited_call(
    client_as,
    support_staff,
    customer,
    partner_tenant,
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    assignment = AccessAssignmentFactory(relationship=rel)
    client = client_as(support_staff)

    assert post_action(client, ASSIGNMENTS, "revoke", assignment).status_code == 200
    assert AccessAssignment.objects.filter(pk=assignment.pk).exists()
    assert post_action(client, ASSIGNMENTS, "revoke", assignment, confirm=True).status_code == 302
    assert not AccessAssignment.objects.filter(pk=assignment.pk).exists()
    assert [e.action for e in AuditEvent.objects.all()] == ["gdap.access_removed"]


def test_a_tenant_admin_cannot_reach_the_console(client_as, customer_admin, customer):
    response = client_as(customer_admin).get(RELATIONSHIPS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_support_staff_land_in_the_admin(client_as, support_staff):
    response = client_as(support_staff).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_audit_changes_read_as_text_in_the_admin(client_as, support_staff, customer):
    from audit.services import record

    record(
        "membership.roles_changed",
        actor=None,
        target_tenant=customer,
        before={"roles": ["Global Reader"]},
        after={"roles": ["Global Administrator", "Billing Administrator"]},
    )
    event = AuditEvent.objects.get()
    page = client_as(support_staff).get(f"/admin/audit/auditevent/{event.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Global Administrator, Billing Administrator" in body
    assert "[&quot;Global" not in body and '["Global' not in body


def test_demo_support_account_is_a_support_agent_not_a_superuser(client, settings):
    settings.SITE_URL = "https://liaison.example.org"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    support = User.objects.get(email="support@liaison.example")
    assert support.is_staff and not support.is_superuser
    assert support.groups.filter(name=SUPPORT_AGENT_GROUP).exists()
    assert Group.objects.filter(name=SUPPORT_AGENT_GROUP).count() == 1
    client.force_login(support)
    assert client.get(RELATIONSHIPS).status_code == 200
    assert client.get("/").headers["Location"] == "/admin/"
    printed = out.getvalue()
    assert "https://liaison.example.org/accounts/login/" in printed
    assert "https://liaison.example.org/admin/" in printed
    assert "https://liaison.example.org/invitations/" in printed
