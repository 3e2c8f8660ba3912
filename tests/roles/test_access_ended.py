"""When delegated access has ended: the agent who used it gets a page that says so and since
when; anyone else still gets the plain 404. And an ended relationship shows its real end."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from relationships import services
from relationships.models import DelegatedAdminRelationship
from tests.factories import SecurityGroupFactory, TenantFactory, member
from tests.gdap_factories import grant

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status


def home(tenant):
    return f"/t/{tenant.pk}/"


def test_agent_whose_access_was_terminated_is_told_since_when(
    client_as, partner_tenant, partner_admin, partner_agent, customer, customer_admin
):
    assignment = grant(partner_tenant, customer, partner_agent, display_name="Fabrikam helpdesk")
    client = client_as(partner_agent)
    assert client.get(home(customer)).status_code == 200
    ended = timezone.now() + timedelta(days=3)
    with time_machine.travel(ended, tick=False):
        services.terminate_relationship(
            by=customer_admin, tenant=customer, relationship_id=assignment.relationship_id
        )

    with time_machine.travel(ended + timedelta(days=1), tick=False):
        response = client.get(home(customer) + "users/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your delegated access to Fabrikam has ended" in html
    assert "Fabrikam helpdesk" in html and "Contoso" in html
    assert "terminated" in html
    assert ended.strftime("%Y-%m-%dT%H:%M") in html  # <time datetime="...">
    assert f'href="/t/{partner_tenant.pk}/"' in html  # back to the agent's own tenant


def test_agent_whose_access_expired_without_the_sweep_is_told_too(
    client_as, partner_tenant, partner_agent, customer
):
    assignment = grant(partner_tenant, customer, partner_agent, duration=timedelta(days=10))
    end = assignment.relationship.end_at

    with time_machine.travel(end + timedelta(hours=5), tick=False):
        response = client_as(partner_agent).get(home(customer))

    assert response.status_code == 403
    html = response.content.decode()
    assert "has ended" in html and "expired" in html
    assert end.strftime("%Y-%m-%dT%H:%M") in html


@pytest.mark.parametrize("who", ["outsider", "other_partner_member", "colleague_not_in_group"])
def test_anyone_else_still_gets_the_plain_404(
    client_as, who, partner_tenant, partner_admin, partner_agent, customer, outsider_admin
):
    assignment = grant(partner_tenant, customer, partner_agent)
    services.terminate_relationship(
        by=partner_admin, tenant=partner_tenant, relationship_id=assignment.relationship_id
    )
    other_partner = TenantFactory(name="Litware")
    users = {
        "outsider": outsider_admin,
        "other_partner_member": member(other_partner, "Global Administrator"),
        "colleague_not_in_group": member(partner_tenant, email="colleague@contoso.example"),
    }

    response = client_as(users[who]).get(home(customer))

    assert response.status_code == 404
    assert "has ended" not in response.content.decode()


def test_unknown_tenant_and_the_api_answer_404_as_before(
    client_as, api_as, partner_tenant, partner_admin, partner_agent, customer
):
    assignment = grant(partner_tenant, customer, partner_agent)
    services.terminate_relationship(
        by=partner_admin, tenant=partner_tenant, relationship_id=assignment.relationship_id
    )

    assert client_as(partner_agent).get(home(TenantFactory())).status_code == 404
    response = api_as(partner_agent).get(f"/api/v1/tenants/{customer.pk}/users")
    assert response.status_code == 404


def test_an_agent_who_left_the_partner_gets_404(
    client_as, partner_tenant, partner_admin, partner_agent, customer
):
    assignment = grant(partner_tenant, customer, partner_agent)
    services.terminate_relationship(
        by=partner_admin, tenant=partner_tenant, relationship_id=assignment.relationship_id
    )
    partner_agent.memberships.filter(tenant=partner_tenant).delete()

    assert client_as(partner_agent).get(home(customer)).status_code == 404


def test_an_agent_with_another_active_relationship_keeps_working(
    client_as, partner_tenant, partner_admin, partner_agent, customer
):
    old = grant(partner_tenant, customer, partner_agent)
    grant(partner_tenant, customer, partner_agent, display_name="Second")
    services.terminate_relationship(
        by=partner_admin, tenant=partner_tenant, relationship_id=old.relationship_id
    )

    assert client_as(partner_agent).get(home(customer)).status_code == 200


# The real end ----------------------------------------------------------------------------------


def test_terminated_relationship_shows_when_it_ended_not_the_planned_end(
    client_as, api_as, partner_tenant, partner_admin, partner_agent, customer
):
    assignment = grant(partner_tenant, customer, partner_agent, duration=timedelta(days=700))
    rel = assignment.relationship
    planned = rel.end_at
    ended = timezone.now() + timedelta(days=2)
    with time_machine.travel(ended, tick=False):
        services.terminate_relationship(
            by=partner_admin, tenant=partner_tenant, relationship_id=rel.pk
        )

    body = api_as(partner_admin).get(
        f"/api/v1/tenants/{partner_tenant.pk}/delegated-admin-relationships/{rel.pk}"
    )
    assert body.status_code == 200
    assert body.json()["status"] == "terminated"
    assert body.json()["end_date_time"].startswith(ended.strftime("%Y-%m-%dT%H:%M"))
    customers = api_as(partner_admin).get(f"/api/v1/tenants/{partner_tenant.pk}/customers")
    assert customers.status_code == 200

    client = client_as(partner_admin)
    listed = client.get(f"/t/{partner_tenant.pk}/gdap/").content.decode()
    assert ended.date().isoformat() in listed
    assert planned.date().isoformat() not in listed
    pane = client.get(f"/t/{partner_tenant.pk}/gdap/{rel.pk}/").content.decode()
    assert planned.strftime("%Y-%m-%dT%H:%M") not in pane
    assert ended.strftime("%Y-%m-%dT%H:%M") in pane


def test_expired_relationship_shows_its_end_even_when_swept_late(partner_tenant, customer):
    group_owner = SecurityGroupFactory(tenant=partner_tenant)
    assert group_owner  # a partner with a group, as in life
    from tests.gdap_factories import DelegatedAdminRelationshipFactory

    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, duration=timedelta(days=1)
    )
    late = rel.end_at + timedelta(hours=3)
    with time_machine.travel(late, tick=False):
        services.sweep_due()
    rel.refresh_from_db()

    assert rel.status == Status.EXPIRED
    assert rel.ended_at == late
    assert rel.real_end(late) == rel.end_at
