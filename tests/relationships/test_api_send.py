"""Partner side: sending invitations (validation, permissions, the mail, the token)."""

import pytest
from django.conf import settings

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from partners.models import Lead
from relationships.models import DelegatedAdminRelationship, Invitation
from tests.factories import TenantFactory, member
from tests.partners.conftest import make_listing
from tests.relationships.conftest import (
    GLOBAL_ADMIN,
    HELPDESK,
    USER_ADMIN,
    gdap_part,
    make_lead,
    token_of,
)

pytestmark = pytest.mark.django_db

UNKNOWN_ROLE = "00000000-0000-0000-0000-000000000001"


def invitations_url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/invitations"


def test_partner_admin_sends_an_invitation(send, partner_tenant):
    response = send(relationship_types=["reseller", "isv"], message="Hello Fabrikam")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["id"] and body["expires_at"]
    assert body["approval_url"].startswith(settings.SITE_URL + "/invitations/")
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.partner == partner_tenant
    assert invitation.relationship_types == ["reseller", "isv"]
    days = (invitation.expires_at - invitation.created_at).days
    assert days == settings.INVITATION_TTL_DAYS - 1 or days == settings.INVITATION_TTL_DAYS
    assert [e.action for e in AuditEvent.objects.all()] == ["invitation.sent"]


def test_sent_list_rows_carry_the_sending_fields(send, partner_api, partner_tenant):
    send()

    response = partner_api.get(invitations_url(partner_tenant) + "?direction=sent")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    for field in ("sent_at", "resent_count", "last_sent_at", "expires_at", "status"):
        assert field in row, field
    assert row["status"] == "pending" and row["resent_count"] == 0
    assert row["partner"]["tenant_id"] == str(partner_tenant.pk)


def test_the_mail_goes_through_the_outbox_with_the_link(
    send, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(email="Alice@Fabrikam.example", message="See you soon")

    assert response.status_code == 201
    url = response.json()["approval_url"]
    row = OutboxMessage.objects.get(template="invitation")
    assert row.to == "alice@fabrikam.example"
    # Sent: the row keeps the mail readable, the link masked (tests/security).
    assert url not in row.body_text and "/invitations/•••/" in row.body_text
    (mail,) = mailoutbox
    assert mail.to == ["alice@fabrikam.example"]
    assert "Contoso" in mail.subject
    assert url in mail.body
    assert "See you soon" in mail.body


def test_token_has_256_bits_and_only_its_hash_is_stored(send):
    from django.db import connection

    response = send()

    token = token_of(response)
    assert len(token) >= 43  # token_urlsafe(32): 32 random bytes
    invitation = Invitation.objects.get(pk=response.json()["id"])
    assert invitation.token_hash != token
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {Invitation._meta.db_table} WHERE id = %s",
            [invitation.pk.hex if connection.vendor == "sqlite" else str(invitation.pk)],
        )
        row = cursor.fetchone()
    assert row is not None
    assert not any(token in str(value) for value in row)


def test_two_invitations_have_different_tokens(send):
    assert token_of(send()) != token_of(send())


# Relationship types -------------------------------------------------------------------


def test_type_not_offered_by_the_profile_is_refused(api_as, partner_admin, partner_tenant):
    make_listing("Contoso", tenant=partner_tenant, relationship_types=("reseller",))

    response = api_as(partner_admin).post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["oem"]},
        format="json",
    )

    assert response.status_code == 400
    assert "relationship_types" in response.json()["errors"]
    assert not Invitation.objects.exists()


def test_industry_partner_is_available_to_assign(api_as, partner_admin, partner_tenant):
    make_listing(
        "Contoso", tenant=partner_tenant, relationship_types=("reseller", "industry_partner")
    )

    response = api_as(partner_admin).post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["industry_partner"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["relationship_types"] == ["industry_partner"]


@pytest.mark.parametrize("types", [[], ["no_such_type"]])
def test_types_are_required_and_known(send, types):
    response = send(relationship_types=types)

    assert response.status_code == 400
    assert "relationship_types" in response.json()["errors"]


def test_invalid_email_is_refused(send):
    response = send(email="not-an-email")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]


# The GDAP part --------------------------------------------------------------------------


def test_gdap_part_is_stored_as_a_request_awaiting_approval(send):
    response = send(relationship_types=["gdap"], gdap=gdap_part(HELPDESK, USER_ADMIN))

    assert response.status_code == 201, response.json()
    invitation = Invitation.objects.get(pk=response.json()["id"])
    rel = invitation.gdap_relationship
    assert rel.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING
    assert {str(r.id) for r in rel.requested_roles.all()} == {HELPDESK, USER_ADMIN}
    assert response.json()["gdap"]["duration"] == "P90D"


def test_gdap_type_needs_the_gdap_part(send):
    response = send(relationship_types=["gdap"])

    assert response.status_code == 400
    assert "gdap" in response.json()["errors"]


@pytest.mark.parametrize("duration", ["P0D", "P731D", "PT0S"])
def test_gdap_duration_runs_from_1_to_730_days(send, duration):
    response = send(relationship_types=["gdap"], gdap=gdap_part(duration=duration))

    assert response.status_code == 400, response.json()
    assert not Invitation.objects.exists()
    assert not DelegatedAdminRelationship.objects.exists()


@pytest.mark.parametrize("duration", ["P1D", "P730D"])
def test_gdap_duration_bounds_are_inclusive(send, duration):
    response = send(relationship_types=["gdap"], gdap=gdap_part(duration=duration))

    assert response.status_code == 201, response.json()


def test_global_admin_with_auto_extend_is_refused(send):
    response = send(
        relationship_types=["gdap"], gdap=gdap_part(GLOBAL_ADMIN, HELPDESK, auto_extend="P180D")
    )

    assert response.status_code == 400, response.json()
    assert not DelegatedAdminRelationship.objects.exists()


def test_unknown_role_is_refused(send):
    response = send(relationship_types=["gdap"], gdap=gdap_part(UNKNOWN_ROLE))

    assert response.status_code == 400, response.json()


def test_advisor_may_ask_only_for_global_and_helpdesk_administrator(send):
    refused = send(relationship_types=["advisor"], gdap=gdap_part(USER_ADMIN))
    allowed = send(relationship_types=["advisor"], gdap=gdap_part(GLOBAL_ADMIN, HELPDESK))

    assert refused.status_code == 400, refused.json()
    assert "gdap" in refused.json()["errors"]
    assert allowed.status_code == 201, allowed.json()


def test_roles_need_a_type_that_asks_for_roles(send):
    response = send(relationship_types=["reseller"], gdap=gdap_part(HELPDESK))

    assert response.status_code == 400
    assert "gdap" in response.json()["errors"]


# Leads, profile, permissions --------------------------------------------------------------


def test_lead_is_converted_into_an_invitation(send, partner_tenant, customer):
    lead = make_lead(partner_tenant, customer)

    response = send(lead_id=str(lead.pk))

    assert response.status_code == 201, response.json()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    assert Invitation.objects.get().customer == customer


def test_lead_of_another_partner_is_not_found(send, customer):
    other = TenantFactory(name="Other partner")
    lead = make_lead(other, customer)

    response = send(lead_id=str(lead.pk))

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_tenant_without_profile_cannot_invite(api_as, partner_admin, partner_tenant):
    response = api_as(partner_admin).post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["reseller"]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_partner_cannot_invite_its_own_tenant(send, partner_tenant):
    response = send(customer_tenant_id=str(partner_tenant.pk))

    assert response.status_code == 400


def test_unknown_customer_tenant_is_a_bad_request(send):
    response = send(customer_tenant_id="00000000-0000-0000-0000-000000000000")

    assert response.status_code == 400
    assert "customer_tenant_id" in response.json()["errors"]


def test_plain_member_of_the_partner_cannot_send(
    api_as, partner_agent, partner_profile, partner_tenant
):
    response = api_as(partner_agent).post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["reseller"]},
        format="json",
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_partner_billing_admin_can_send(api_as, partner_profile, partner_tenant):
    billing = member(partner_tenant, "Billing Administrator", email="bill@contoso.example")

    response = api_as(billing).post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["reseller"]},
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_plain_member_of_the_partner_cannot_list(api_as, partner_agent, partner_tenant, send):
    send()

    response = api_as(partner_agent).get(invitations_url(partner_tenant))

    assert response.status_code == 403


def test_signed_out_cannot_send(api, partner_profile, partner_tenant):
    response = api.post(
        invitations_url(partner_tenant),
        {"email": "a@fabrikam.example", "relationship_types": ["reseller"]},
        format="json",
    )

    assert response.status_code in (401, 403)
    assert response.status_code == 401


def test_unknown_direction_is_a_bad_request(partner_api, partner_tenant):
    response = partner_api.get(invitations_url(partner_tenant) + "?direction=sideways")

    assert response.status_code == 400


def test_partner_message_is_escaped_in_the_html_mail(send):
    response = send(message='<a href="https://evil.example">click</a>')

    assert response.status_code == 201
    row = OutboxMessage.objects.get(template="invitation")
    assert '<a href="https://evil.example">' not in row.body_html
    assert "&lt;a href=" in row.body_html
