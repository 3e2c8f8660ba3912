"""The invitation landing page: choose the tenant, accept agreement & authorize, decline."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agreements.models import AgreementAcceptance
from audit.models import AuditEvent
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.relationships.conftest import HELPDESK, USER_ADMIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(partner_admin, partner_tenant, partner_profile):
    """Send an invitation through the service; returns (invitation, raw token)."""

    def _invite(roles=(HELPDESK, USER_ADMIN), types=("gdap", "reseller"), **kwargs):
        gdap = None
        if roles:
            gdap = {
                "display_name": kwargs.pop("display_name", "Contoso helpdesk"),
                "duration": timedelta(days=90),
                "role_ids": [uuid.UUID(r) for r in roles],
                "auto_extend_duration": timedelta(0),
            }
        return services.send_invitation(
            by=partner_admin,
            partner=partner_tenant,
            email=kwargs.pop("email", "alice@fabrikam.example"),
            relationship_types=list(types),
            message=kwargs.pop("message", "We look forward to working with you."),
            gdap_request=gdap,
            **kwargs,
        )

    return _invite


def url(raw):
    return f"/invitations/{raw}/"


def accept_body(tenant, roles=(HELPDESK, USER_ADMIN), agreement=True, **extra):
    body = {"tenant": str(tenant.pk), "action": "accept", "roles": list(roles), **extra}
    if agreement:
        body["accept_agreement"] = "on"
    return body


# Reading the page ----------------------------------------------------------------------------


def test_customer_admin_sees_the_accept_page(client_as, customer_admin, customer, invite):
    _inv, raw = invite()

    response = client_as(customer_admin).get(url(raw))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Accept agreement & authorize partner" in page
    assert "Contoso" in page
    assert "We look forward to working with you." in page
    assert "Helpdesk Administrator" in page and "User Administrator" in page
    assert "Sells products to the tenant." in page  # what the reseller type means
    assert 'name="accept_agreement"' in page
    assert "/agreements/1.0/" in page and 'target="_blank"' in page
    assert page.count('name="roles"') == 2 and page.count("checked") >= 2


def test_get_changes_nothing(client_as, customer_admin, invite):
    inv, raw = invite()
    events = AuditEvent.objects.count()

    for _ in range(2):
        assert client_as(customer_admin).get(url(raw)).status_code == 200

    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING
    assert AuditEvent.objects.count() == events
    assert not PartnerRelationship.objects.exists()
    assert not AgreementAcceptance.objects.exists()
    assert inv.gdap_relationship.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING


def test_signed_out_visitor_is_sent_to_sign_in(client, invite):
    _inv, raw = invite()

    response = client.get(url(raw))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_token_answers_a_clear_404(client_as, customer_admin):
    response = client_as(customer_admin).get(url("not-a-real-token"))

    assert response.status_code == 404
    assert "replaced by a newer one" in response.content.decode()


def test_replaced_token_after_resend_is_404(client_as, customer_admin, partner_admin, invite):
    inv, raw = invite()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        services.resend_invitation(by=partner_admin, partner=inv.partner, invitation_id=inv.pk)
        response = client_as(customer_admin).get(url(raw))

    assert response.status_code == 404


def test_plain_member_sees_who_can_accept(
    client_as, plain_member, customer_admin, billing_admin, invite
):
    _inv, raw = invite()

    response = client_as(plain_member).get(url(raw))

    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot accept this invitation" in page
    assert customer_admin.email in page and billing_admin.email in page
    assert billing_admin.name in page
    assert plain_member.email not in page.split("Who can accept")[-1].split("</ul>")[0]


def test_plain_member_cannot_accept_by_post(client_as, plain_member, customer, invite):
    inv, raw = invite()

    response = client_as(plain_member).post(url(raw), accept_body(customer))

    assert response.status_code == 403
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING
    assert not PartnerRelationship.objects.exists()


def test_user_with_several_tenants_chooses_one(client_as, customer_admin, customer, invite):
    other = TenantFactory(name="Fabrikam Labs")
    MembershipFactory(user=customer_admin, tenant=other, roles=["Global Administrator"])
    _inv, raw = invite()
    client = client_as(customer_admin)

    response = client.get(url(raw))

    assert response.status_code == 200
    page = response.content.decode()
    assert "For which organisation do you accept?" in page
    assert f"?tenant={customer.pk}" in page and f"?tenant={other.pk}" in page

    response = client.get(url(raw) + f"?tenant={other.pk}")
    assert response.status_code == 200
    assert "Invitation for Fabrikam Labs" in response.content.decode()


def test_invitation_naming_a_tenant_is_only_offered_there(
    client_as, customer_admin, customer, invite
):
    other = TenantFactory(name="Fabrikam Labs")
    MembershipFactory(user=customer_admin, tenant=other, roles=["Global Administrator"])
    _inv, raw = invite(customer=customer)
    client = client_as(customer_admin)

    assert "Invitation for Fabrikam<" in client.get(url(raw)).content.decode()
    response = client.get(url(raw) + f"?tenant={other.pk}")

    assert response.status_code == 400
    page = response.content.decode()
    assert f'?tenant={customer.pk}"' in page
    assert f'<a class="btn" href="/invitations/{raw}/?tenant={other.pk}"' not in page


def test_wrong_tenant_post_shows_the_error_on_the_page(client_as, customer_admin, customer, invite):
    other = TenantFactory(name="Fabrikam Labs")
    MembershipFactory(user=customer_admin, tenant=other, roles=["Global Administrator"])
    inv, raw = invite(customer=customer)

    response = client_as(customer_admin).post(url(raw), accept_body(other))

    assert response.status_code == 403
    assert "can only be used there" in response.content.decode()
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING


def test_outsider_opening_a_named_invitation_is_told_where_it_belongs(
    client_as, outsider_admin, customer, invite
):
    _inv, raw = invite(customer=customer)

    response = client_as(outsider_admin).get(url(raw))

    assert response.status_code == 200
    assert "can only be accepted there" in response.content.decode()
    assert 'name="accept_agreement"' not in response.content.decode()


# Accepting -----------------------------------------------------------------------------------


def test_customer_admin_accepts_through_the_page(
    client_as,
    customer_admin,
    customer,
    partner_tenant,
    invite,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    inv, raw = invite()
    client = client_as(customer_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(raw), accept_body(customer))

    assert response.status_code == 302
    assert response["Location"] == (
        f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/?new={partner_tenant.pk}"
    )
    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    assert relationship.types == ["gdap", "reseller"]
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.ACCEPTED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.accepted", "agreement.accepted", "gdap.approved"} <= actions
    assert AgreementAcceptance.objects.filter(tenant=customer).count() == 1
    assert any("pat@contoso.example" in m.to for m in mailoutbox)

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "is-new" in html and "Contoso is now your partner" in html
    assert "Helpdesk Administrator" in html


def test_billing_admin_approves_a_subset_of_the_roles(client_as, billing_admin, customer, invite):
    inv, raw = invite()

    response = client_as(billing_admin).post(url(raw), accept_body(customer, roles=[HELPDESK]))

    assert response.status_code == 302
    rel = DelegatedAdminRelationship.objects.get(pk=inv.gdap_relationship_id)
    assert rel.status == DelegatedAdminRelationship.Status.ACTIVE
    assert [str(r.id) for r in rel.approved_roles.all()] == [HELPDESK]
    assert {str(r.id) for r in rel.requested_roles.all()} == {HELPDESK, USER_ADMIN}


def test_no_role_ticked_is_refused_on_the_page(client_as, customer_admin, customer, invite):
    inv, raw = invite()

    response = client_as(customer_admin).post(url(raw), accept_body(customer, roles=[]))

    assert response.status_code == 400
    assert "Approve at least one role" in response.content.decode()
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING


def test_missing_attestation_shows_an_error(client_as, customer_admin, customer, invite):
    inv, raw = invite()

    response = client_as(customer_admin).post(url(raw), accept_body(customer, agreement=False))

    assert response.status_code == 400
    assert "Accept the customer agreement to authorise the partner." in response.content.decode()
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING
    assert not PartnerRelationship.objects.exists()
    # The roles the admin chose are still ticked.
    assert response.content.decode().count("checked") >= 2


def test_tenant_that_accepted_the_agreement_gets_a_note_instead(
    client_as, customer_admin, customer, invite
):
    from agreements import selectors, services

    services.accept_agreement(
        by=customer_admin, tenant=customer, version=selectors.current_version().version, attest=True
    )
    _inv, raw = invite(roles=(), types=("reseller",))
    client = client_as(customer_admin)

    page = client.get(url(raw)).content.decode()
    assert "has already accepted" in page and 'name="accept_agreement"' not in page

    response = client.post(url(raw), {"tenant": str(customer.pk), "action": "accept"})
    assert response.status_code == 302
    assert PartnerRelationship.objects.get(customer=customer).types == ["reseller"]


def test_used_token_answers_a_clear_page(client_as, customer_admin, customer, invite):
    _inv, raw = invite()
    client = client_as(customer_admin)
    assert client.post(url(raw), accept_body(customer)).status_code == 302

    for response in (client.get(url(raw)), client.post(url(raw), accept_body(customer))):
        assert response.status_code == 409
        assert "already been accepted" in response.content.decode()


def test_expired_invitation_answers_a_clear_page(client_as, customer_admin, invite):
    _inv, raw = invite()

    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = client_as(customer_admin).get(url(raw))

    assert response.status_code == 409
    assert "has expired" in response.content.decode()


def test_cancelled_invitation_answers_a_clear_page(
    client_as, customer_admin, partner_admin, invite
):
    inv, raw = invite()
    services.cancel_invitation(by=partner_admin, partner=inv.partner, invitation_id=inv.pk)

    response = client_as(customer_admin).get(url(raw))

    assert response.status_code == 409
    assert "withdrawn" in response.content.decode()


# Declining -----------------------------------------------------------------------------------


def test_customer_admin_declines(client_as, customer_admin, customer, invite):
    inv, raw = invite()
    client = client_as(customer_admin)

    confirm = client.get(url(raw) + f"?tenant={customer.pk}&decline=1")
    assert confirm.status_code == 200 and "Decline the invitation from Contoso?" in (
        confirm.content.decode()
    )
    response = client.post(url(raw), {"tenant": str(customer.pk), "action": "decline"})

    assert response.status_code == 302
    assert response["Location"] == f"/t/{customer.pk}/settings/invitations/"
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.DECLINED
    assert inv.gdap_relationship.status == DelegatedAdminRelationship.Status.DECLINED
    assert AuditEvent.objects.filter(action="invitation.declined").count() == 1
    assert not PartnerRelationship.objects.exists()
    assert client.get(url(raw)).status_code == 409


def test_member_without_roles_elsewhere_cannot_decline(client_as, plain_member, customer, invite):
    inv, raw = invite()

    response = client_as(plain_member).post(
        url(raw), {"tenant": str(customer.pk), "action": "decline"}
    )

    assert response.status_code == 403
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.PENDING


def test_user_in_no_tenant_is_asked_to_create_one(client_as, invite):
    _inv, raw = invite()

    response = client_as(UserFactory(email="new@example.com")).get(url(raw))

    assert response.status_code == 200
    assert "/t/new/" in response.content.decode()


def test_partner_member_does_not_get_its_own_tenant_offered(client_as, partner_admin, invite):
    _inv, raw = invite()

    response = client_as(partner_admin).get(url(raw))

    assert response.status_code == 200
    assert 'name="accept_agreement"' not in response.content.decode()


def test_german_page(client_as, customer_admin, invite):
    _inv, raw = invite()
    customer_admin.language = "de"
    customer_admin.save(update_fields=["language"])

    response = client_as(customer_admin).get(url(raw))

    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
