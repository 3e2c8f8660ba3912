"""Relationship housekeeping: who created each invitation and GDAP request and when, the
partner's internal reference note, and cleaning up old pending invitations (filter by
age, cancel many: each its own audit event)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation
from tests.factories import member
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.relationships.conftest import token_of

pytestmark = pytest.mark.django_db


def invitations_url(tenant, suffix=""):
    return f"/api/v1/tenants/{tenant.pk}/invitations{suffix}"


def rel_url(tenant, rel):
    return f"/api/v1/tenants/{tenant.pk}/delegated-admin-relationships/{rel.pk}"


# Who created it, and when ------------------------------------------------------------------


def test_invitations_show_who_created_them_and_when(send, partner_api, partner_tenant):
    created = send()
    assert created.status_code == 201

    (row,) = partner_api.get(invitations_url(partner_tenant)).json()["results"]

    assert row["created_by"]["email"] == "pat@contoso.example"
    assert row["created_at"]


def test_gdap_requests_show_who_created_them_to_the_partner_only(
    api_as, partner_admin, partner_tenant, customer, customer_admin
):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, created_by=partner_admin
    )

    mine = api_as(partner_admin).get(rel_url(partner_tenant, rel)).json()
    theirs = api_as(customer_admin).get(rel_url(customer, rel)).json()

    assert mine["created_by"]["email"] == partner_admin.email
    assert mine["created_date_time"]
    assert theirs["created_by"] is None  # the partner's staff stay the partner's business


# The internal reference -------------------------------------------------------------------


def test_partner_sets_an_invitations_reference_once_audited(
    send, partner_api, partner_tenant, customer, customer_admin, api_as
):
    invitation_id = send(customer_tenant_id=str(customer.pk)).json()["id"]

    response = partner_api.patch(
        invitations_url(partner_tenant, f"/{invitation_id}"),
        {"reference": " CRM-4711 "},
        format="json",
    )
    again = partner_api.patch(
        invitations_url(partner_tenant, f"/{invitation_id}"), {"reference": "CRM-4711"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["reference"] == "CRM-4711"
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="invitation.reference_changed").count() == 1
    event = AuditEvent.objects.get(action="invitation.reference_changed")
    assert (event.before, event.after) == ({"reference": ""}, {"reference": "CRM-4711"})
    received = api_as(customer_admin).get(invitations_url(customer, "?direction=received"))
    assert received.json()["results"][0]["reference"] is None  # internal: never the customer's


def test_reference_is_checked_and_only_the_partners_managers_set_it(
    send, api_as, partner_api, partner_tenant, customer, customer_admin
):
    invitation_id = send(customer_tenant_id=str(customer.pk)).json()["id"]
    url = invitations_url(partner_tenant, f"/{invitation_id}")
    reader = member(partner_tenant, "Global Reader")

    too_long = partner_api.patch(url, {"reference": "x" * 201}, format="json")
    by_reader = api_as(reader).patch(url, {"reference": "A"}, format="json")
    by_customer = api_as(customer_admin).patch(
        invitations_url(customer, f"/{invitation_id}"), {"reference": "A"}, format="json"
    )

    assert too_long.status_code == 400 and "reference" in too_long.json()["errors"]
    assert by_reader.status_code == 403
    assert by_customer.status_code == 404
    assert Invitation.objects.get().reference == ""


def test_partner_sets_a_gdap_requests_reference_in_any_status(
    api_as, partner_admin, partner_tenant, customer, customer_admin
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = api_as(partner_admin).patch(
        rel_url(partner_tenant, rel), {"reference": "Ticket 99"}, format="json"
    )
    by_customer = api_as(customer_admin).patch(
        rel_url(customer, rel), {"reference": "Mine"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["reference"] == "Ticket 99"
    assert response.json()["status"] == "active"
    assert by_customer.status_code == 404  # as for any partner-only change of the customer
    rel.refresh_from_db()
    assert rel.reference == "Ticket 99"
    assert AuditEvent.objects.filter(action="gdap.reference_changed").count() == 1
    assert api_as(customer_admin).get(rel_url(customer, rel)).json()["reference"] is None


def test_an_active_relationship_still_refuses_other_changes(
    api_as, partner_admin, partner_tenant, customer
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = api_as(partner_admin).patch(
        rel_url(partner_tenant, rel), {"display_name": "New name"}, format="json"
    )

    assert response.status_code == 409


# Cleaning up old pending invitations -------------------------------------------------------


def test_filter_by_age_and_cancel_many(
    send, accept, partner_api, partner_tenant, customer, customer_admin
):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=45), tick=False):
        old = [send().json()["id"] for _ in range(3)]
        accepted = send(customer_tenant_id=str(customer.pk))
    assert accept(token_of(accepted), customer_admin, customer).status_code == 200
    fresh = send().json()["id"]

    aged = partner_api.get(invitations_url(partner_tenant, "?status=pending&older_than=30"))
    assert aged.status_code == 200
    assert sorted(r["id"] for r in aged.json()["results"]) == sorted(old)
    assert partner_api.get(invitations_url(partner_tenant, "?older_than=x")).status_code == 400

    ids = [*old, accepted.json()["id"], "not-a-uuid"]
    response = partner_api.post(
        invitations_url(partner_tenant, "/bulk-cancel"), {"invitation_ids": ids}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["cancelled"], body["refused"]) == (3, 2)
    by_id = {r["id"]: r for r in body["results"]}
    assert {by_id[i]["status"] for i in old} == {"cancelled"}
    assert by_id[accepted.json()["id"]]["code"] == "invalid_state"
    assert by_id["not-a-uuid"]["code"] == "not_found"
    assert Invitation.objects.get(pk=fresh).status == "pending"
    assert AuditEvent.objects.filter(action="invitation.cancelled").count() == 3


def test_bulk_cancel_cannot_reach_another_partners_invitations(
    api_as, outsider, outsider_admin, send, partner_tenant
):
    invitation_id = send().json()["id"]

    response = api_as(outsider_admin).post(
        invitations_url(outsider, "/bulk-cancel"), {"invitation_ids": [invitation_id]}
    )

    assert response.status_code in (200, 403)
    assert Invitation.objects.get().status == "pending"


def test_cancelling_a_gdap_request_invitation_ends_the_request(send, partner_api, partner_tenant):
    from tests.relationships.conftest import gdap_part

    invitation_id = send(relationship_types=["gdap"], gdap=gdap_part()).json()["id"]

    partner_api.post(
        invitations_url(partner_tenant, "/bulk-cancel"), {"invitation_ids": [invitation_id]}
    )

    rel = DelegatedAdminRelationship.objects.get()
    assert rel.status == "expired"


# The pages ---------------------------------------------------------------------------------


def test_invitations_page_shows_creator_reference_and_cleans_up(
    client_as, partner_admin, partner_tenant, partner_profile
):
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        old, _raw = services.send_invitation(
            by=partner_admin,
            partner=partner_tenant,
            email="old@example.com",
            relationship_types=["reseller"],
        )
    recent, _raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="new@example.com",
        relationship_types=["isv"],
    )
    client = client_as(partner_admin)
    url = f"/t/{partner_tenant.pk}/partner/invitations/"

    saved = client.post(f"{url}{old.pk}/reference/", {"reference": "CRM-1"})
    page = client.get(url + "?status=pending&older_than=30")
    html = page.content.decode()
    cancelled = client.post(f"{url}cancel/", {"invitations": [str(old.pk)]}, follow=True)

    assert saved.status_code == 302
    assert page.status_code == 200
    assert "old@example.com" in html and "new@example.com" not in html
    assert "pat@contoso.example" in html and "CRM-1" in html
    assert 'name="invitations"' in html
    assert cancelled.status_code == 200
    (message,) = cancelled.context["messages"]
    assert "1 invitation cancelled" in str(message)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("cancelled", "pending")


def test_gdap_pane_shows_creator_and_reference_to_the_partner_only(
    client_as, partner_admin, partner_tenant, customer, customer_admin
):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, created_by=partner_admin
    )
    client = client_as(partner_admin)

    saved = client.post(f"/t/{partner_tenant.pk}/gdap/{rel.pk}/reference/", {"reference": "T-7"})
    mine = client.get(f"/t/{partner_tenant.pk}/gdap/{rel.pk}/").content.decode()
    theirs = client_as(customer_admin).get(f"/t/{customer.pk}/gdap/{rel.pk}/").content.decode()
    by_customer = client_as(customer_admin).post(
        f"/t/{customer.pk}/gdap/{rel.pk}/reference/", {"reference": "X"}
    )

    assert saved.status_code == 302
    assert "T-7" in mine and "pat@contoso.example" in mine
    assert "T-7" not in theirs and "pat@contoso.example" not in theirs
    assert by_customer.status_code == 404
