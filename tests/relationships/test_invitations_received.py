"""Invitations the recipient sees: every invitation addressed to a tenant's admins by
email (for each of their tenants where they may accept), not only those naming the
tenant, in every state with its date; the partner sees the same history."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from relationships import services
from relationships.models import Invitation
from tests.factories import MembershipFactory, TenantFactory, member
from tests.relationships.conftest import token_of

pytestmark = pytest.mark.django_db


def received_api(api_as, user, tenant, query=""):
    return api_as(user).get(f"/api/v1/tenants/{tenant.pk}/invitations?direction=received{query}")


def received_page(client_as, user, tenant, query=""):
    return client_as(user).get(f"/t/{tenant.pk}/settings/invitations/{query}")


def invite(partner_admin, partner_tenant, email, **kwargs):
    kwargs.setdefault("relationship_types", ["reseller"])
    invitation, _raw = services.send_invitation(
        by=partner_admin, partner=partner_tenant, email=email, **kwargs
    )
    return invitation


def test_invitation_without_a_tenant_reaches_the_recipients_tenants(
    api_as, client_as, partner_profile, partner_admin, partner_tenant, customer, customer_admin
):
    # Alice also runs a second tenant; in a third she is a plain member (cannot accept).
    second = TenantFactory(name="Fabrikam Labs")
    MembershipFactory(user=customer_admin, tenant=second, roles=["Billing Administrator"])
    third = TenantFactory(name="Fabrikam Club")
    MembershipFactory(user=customer_admin, tenant=third)
    invite(partner_admin, partner_tenant, "Alice@Fabrikam.example")

    for tenant in (customer, second):
        response = received_api(api_as, customer_admin, tenant)
        assert response.status_code == 200
        (row,) = response.json()["results"]
        assert (row["email"], row["status"]) == ("alice@fabrikam.example", "pending")
        assert row["customer_tenant_id"] is None
    third_admin = member(third, "Global Administrator")
    assert received_api(api_as, third_admin, third).json()["count"] == 0

    page = received_page(client_as, customer_admin, customer)
    assert page.status_code == 200
    assert "Contoso" in page.content.decode() and "Pending" in page.content.decode()


def test_invitation_to_a_member_who_cannot_accept_is_not_listed(
    api_as, partner_profile, partner_admin, partner_tenant, customer, customer_admin, plain_member
):
    invite(partner_admin, partner_tenant, plain_member.email)

    assert received_api(api_as, customer_admin, customer).json()["count"] == 0


def test_other_tenants_invitations_stay_hidden(
    api_as, partner_profile, partner_admin, partner_tenant, customer, customer_admin, outsider
):
    member(outsider, "Global Administrator", email="olga@northwind.example")
    invite(partner_admin, partner_tenant, "olga@northwind.example")
    invite(partner_admin, partner_tenant, "alice@fabrikam.example", customer=outsider)

    assert received_api(api_as, customer_admin, customer).json()["count"] == 0


def test_a_declined_invitation_stays_on_both_sides_with_its_date(
    api_as,
    client_as,
    sent,
    partner_admin,
    partner_tenant,
    customer,
    customer_admin,
):
    token = sent()  # to alice@fabrikam.example, no customer tenant chosen
    declined_at = timezone.now() + timedelta(hours=2)
    with time_machine.travel(declined_at, tick=False):
        response = api_as(customer_admin).post(
            f"/api/v1/invitations/{token}/decline", {"tenant_id": str(customer.pk)}, format="json"
        )
    assert response.status_code == 200, response.json()

    (row,) = received_api(api_as, customer_admin, customer).json()["results"]
    assert row["status"] == "declined"
    assert row["responded_at"].startswith(declined_at.strftime("%Y-%m-%dT%H:%M"))
    (sent_row,) = (
        api_as(partner_admin)
        .get(f"/api/v1/tenants/{partner_tenant.pk}/invitations?status=declined")
        .json()["results"]
    )
    assert sent_row["status"] == "declined"

    html = received_page(client_as, customer_admin, customer).content.decode()
    assert "Declined" in html
    html = client_as(partner_admin).get(f"/t/{partner_tenant.pk}/partner/invitations/").content
    assert "Declined" in html.decode()


def test_every_state_with_its_date_and_a_status_filter(
    api_as, client_as, send, accept, partner_admin, partner_tenant, customer, customer_admin
):
    later = timezone.now() + timedelta(days=1)
    pending = send()
    accepted = send()
    declined = send()
    cancelled = send()
    expired = send()
    with time_machine.travel(later, tick=False):
        assert accept(token_of(accepted), customer_admin, customer).status_code == 200
        api_as(customer_admin).post(
            f"/api/v1/invitations/{token_of(declined)}/decline",
            {"tenant_id": str(customer.pk)},
            format="json",
        )
        api_as(partner_admin).post(
            f"/api/v1/tenants/{partner_tenant.pk}/invitations/{cancelled.json()['id']}/cancel"
        )
    Invitation.objects.filter(pk=expired.json()["id"]).update(expires_at=later)

    with time_machine.travel(later + timedelta(hours=1), tick=False):
        rows = received_api(api_as, customer_admin, customer).json()["results"]
        by_id = {r["id"]: r for r in rows}
        assert {by_id[r.json()["id"]]["status"] for r in (pending, accepted)} == {
            "pending",
            "accepted",
        }
        assert by_id[declined.json()["id"]]["status"] == "declined"
        assert by_id[cancelled.json()["id"]]["status"] == "cancelled"
        assert by_id[expired.json()["id"]]["status"] == "expired"
        assert by_id[expired.json()["id"]]["status_changed_at"].startswith(
            later.strftime("%Y-%m-%dT%H:%M")
        )
        only_cancelled = received_api(api_as, customer_admin, customer, "&status=cancelled")
        assert [r["id"] for r in only_cancelled.json()["results"]] == [cancelled.json()["id"]]

        page = received_page(client_as, customer_admin, customer, "?status=expired")
        html = page.content.decode()
        assert page.status_code == 200
        assert "Expired" in html and html.count('class="inv-row"') == 1
        partner_html = (
            client_as(partner_admin)
            .get(f"/t/{partner_tenant.pk}/partner/invitations/?status=cancelled")
            .content.decode()
        )
        assert "Cancelled" in partner_html


def test_received_page_queries_do_not_grow(
    client_as,
    partner_profile,
    partner_admin,
    partner_tenant,
    customer,
    customer_admin,
    django_assert_max_num_queries,
):
    client = client_as(customer_admin)
    url = f"/t/{customer.pk}/settings/invitations/"
    invite(partner_admin, partner_tenant, "alice@fabrikam.example")
    client.get(url)
    for _ in range(20):
        invite(partner_admin, partner_tenant, "alice@fabrikam.example", customer=customer)

    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
