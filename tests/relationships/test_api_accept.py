"""Customer side: previewing, accepting and declining an invitation through its link."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agreements.models import AgreementAcceptance
from audit.models import AuditEvent
from notifications.models import OutboxMessage
from partners.models import Lead
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from tests.factories import member
from tests.relationships.conftest import (
    GLOBAL_ADMIN,
    HELPDESK,
    USER_ADMIN,
    gdap_part,
    make_lead,
)

pytestmark = pytest.mark.django_db

Status = Invitation.Status


def preview_url(token):
    return f"/api/v1/invitations/{token}"


def decline(api_as, token, user, tenant):
    return api_as(user).post(
        f"/api/v1/invitations/{token}/decline", {"tenant_id": str(tenant.pk)}, format="json"
    )


def only_invitation() -> Invitation:
    return Invitation.objects.get()


# Preview -------------------------------------------------------------------------------


def test_signed_in_user_previews_an_invitation(sent, api_as, plain_member, partner_tenant):
    token = sent(relationship_types=["gdap", "reseller"], gdap=gdap_part(HELPDESK), message="Hi")

    response = api_as(plain_member).get(preview_url(token))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["partner"] == {"tenant_id": str(partner_tenant.pk), "name": "Contoso"}
    assert [t["code"] for t in body["relationship_types"]] == ["gdap", "reseller"]
    assert all(t["description"] for t in body["relationship_types"])
    assert [r["role_definition_id"] for r in body["requested_roles"]] == [HELPDESK]
    assert body["duration"] == "P90D"
    assert body["auto_extend_duration"] == "PT0S"
    assert body["agreement"]["version"] == "1.0"
    assert body["status"] == "pending"
    assert body["expires_at"]
    assert body["message"] == "Hi"


def test_signed_out_preview_is_401(sent):
    from rest_framework.test import APIClient

    token = sent()

    response = APIClient().get(preview_url(token))

    assert response.status_code == 401


def test_preview_never_changes_state(sent, api_as, customer_admin):
    token = sent(relationship_types=["gdap"], gdap=gdap_part())
    before = AuditEvent.objects.count()

    for _ in range(3):
        assert api_as(customer_admin).get(preview_url(token)).status_code == 200

    invitation = only_invitation()
    assert invitation.status == Status.PENDING
    assert invitation.gdap_relationship.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING
    assert AuditEvent.objects.count() == before
    assert not PartnerRelationship.objects.exists()


def test_unknown_token_is_404(api_as, customer_admin):
    response = api_as(customer_admin).get(preview_url("x" * 43))

    assert response.status_code == 404


# Accepting -----------------------------------------------------------------------------


def test_billing_admin_accepts_invitation(sent, accept, customer, billing_admin, partner_tenant):
    token = sent(relationship_types=["reseller", "isv"])

    response = accept(token, billing_admin, customer)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["partner"] == {"tenant_id": str(partner_tenant.pk), "name": "Contoso"}
    assert body["relationship_types"] == ["isv", "reseller"]  # the table's order
    assert body["agreement_accepted"] is True
    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    assert relationship.types == ["isv", "reseller"]
    invitation = only_invitation()
    assert invitation.status == Status.ACCEPTED
    assert invitation.responded_by == billing_admin
    assert invitation.accepted_tenant == customer
    assert invitation.customer == customer
    acceptance = AgreementAcceptance.objects.get(tenant=customer)
    assert acceptance.accepted_by == billing_admin
    assert acceptance.version.version == "1.0"


def test_global_admin_accepts_and_sees_the_partner(sent, accept, api_as, customer, customer_admin):
    token = sent()

    assert accept(token, customer_admin, customer).status_code == 200
    response = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/partner-relationships")

    assert response.status_code == 200
    assert [r["partner"]["name"] for r in response.json()["results"]] == ["Contoso"]


def test_plain_member_cannot_accept_invitation(sent, accept, customer, plain_member):
    token = sent()

    response = accept(token, plain_member, customer)

    assert response.status_code == 403
    assert only_invitation().status == Status.PENDING
    assert not PartnerRelationship.objects.exists()


def test_member_of_another_tenant_cannot_accept_for_a_tenant_they_are_not_in(
    sent, accept, customer, outsider_admin
):
    token = sent()

    response = accept(token, outsider_admin, customer)

    assert response.status_code == 404
    assert only_invitation().status == Status.PENDING


def test_unknown_tenant_id_is_404(sent, api_as, customer_admin):
    token = sent()

    response = api_as(customer_admin).post(
        f"/api/v1/invitations/{token}/accept",
        {"tenant_id": "00000000-0000-0000-0000-000000000000", "accept_agreement": True},
        format="json",
    )

    assert response.status_code == 404
    assert only_invitation().status == Status.PENDING


def test_token_bound_to_one_tenant_cannot_be_used_in_another(
    sent, accept, customer, outsider, outsider_admin
):
    token = sent(customer_tenant_id=str(customer.pk))

    response = accept(token, outsider_admin, outsider)

    assert response.status_code == 403
    assert response.json()["code"] == "wrong_tenant"
    assert only_invitation().status == Status.PENDING
    assert not PartnerRelationship.objects.exists()


def test_partner_cannot_accept_its_own_invitation(sent, accept, partner_tenant, partner_admin):
    token = sent()

    response = accept(token, partner_admin, partner_tenant)

    assert response.status_code == 400


def test_invitation_is_single_use(sent, accept, customer, customer_admin, billing_admin):
    token = sent()
    assert accept(token, customer_admin, customer).status_code == 200

    response = accept(token, billing_admin, customer)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_expired_invitation_cannot_be_accepted(sent, accept, api_as, customer, customer_admin):
    token = sent()

    with time_machine.travel(timezone.now() + timedelta(days=90, minutes=1), tick=False):
        response = accept(token, customer_admin, customer)
        preview = api_as(customer_admin).get(preview_url(token))

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    assert preview.status_code == 200
    assert preview.json()["status"] == "expired"
    assert only_invitation().status == Status.PENDING  # stored status: the beat job's work
    assert not PartnerRelationship.objects.exists()


def test_invitation_is_still_valid_just_before_expiry(sent, accept, customer, customer_admin):
    token = sent()

    with time_machine.travel(timezone.now() + timedelta(days=89, hours=23), tick=False):
        response = accept(token, customer_admin, customer)

    assert response.status_code == 200, response.json()


def test_cancelled_invitation_cannot_be_accepted(
    send, accept, partner_api, partner_tenant, customer, customer_admin
):
    from tests.relationships.conftest import token_of

    created = send()
    token = token_of(created)
    cancel = partner_api.post(
        f"/api/v1/tenants/{partner_tenant.pk}/invitations/{created.json()['id']}/cancel"
    )
    assert cancel.status_code == 200, cancel.json()
    assert cancel.json()["status"] == "cancelled"

    response = accept(token, customer_admin, customer)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_declined_invitation_cannot_be_accepted(
    sent, accept, api_as, customer, customer_admin, django_capture_on_commit_callbacks, mailoutbox
):
    token = sent(relationship_types=["gdap"], gdap=gdap_part())
    with django_capture_on_commit_callbacks(execute=True):
        declined = decline(api_as, token, customer_admin, customer)
    assert declined.status_code == 200, declined.json()
    assert declined.json()["status"] == "declined"

    response = accept(token, customer_admin, customer)

    assert response.status_code == 409
    invitation = only_invitation()
    assert invitation.gdap_relationship.status == DelegatedAdminRelationship.Status.DECLINED
    assert [e.action for e in AuditEvent.objects.order_by("occurred_at")] == [
        "invitation.sent",
        "invitation.declined",
    ]
    assert any("pat@contoso.example" in m.to for m in mailoutbox)


def test_plain_member_cannot_decline(sent, api_as, customer, plain_member):
    token = sent()

    response = decline(api_as, token, plain_member, customer)

    assert response.status_code == 403
    assert only_invitation().status == Status.PENDING


def test_declined_twice_is_409(sent, api_as, customer, customer_admin):
    token = sent()
    assert decline(api_as, token, customer_admin, customer).status_code == 200

    assert decline(api_as, token, customer_admin, customer).status_code == 409


# Resend ----------------------------------------------------------------------------------


def resend(partner_api, partner_tenant, invitation_id):
    return partner_api.post(
        f"/api/v1/tenants/{partner_tenant.pk}/invitations/{invitation_id}/resend"
    )


def test_resend_issues_a_new_link_and_the_old_one_stops_working(
    send,
    partner_api,
    partner_tenant,
    accept,
    customer,
    customer_admin,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    from tests.relationships.conftest import token_of

    created = send()
    old = token_of(created)
    old_expiry = only_invitation().expires_at
    later = timezone.now() + timedelta(days=3)

    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = resend(partner_api, partner_tenant, created.json()["id"])

    assert response.status_code == 200, response.json()
    new = token_of(response)
    assert new != old
    assert response.json()["resent_count"] == 1
    invitation = only_invitation()
    assert invitation.expires_at > old_expiry  # the expiry restarts
    assert invitation.last_sent_at > invitation.sent_at
    (mail,) = mailoutbox
    assert response.json()["approval_url"] in mail.body
    assert partner_api.get(preview_url(old)).status_code == 404
    assert accept(old, customer_admin, customer).status_code == 404
    assert accept(new, customer_admin, customer).status_code == 200


def test_resend_twice_within_10_minutes_is_rate_limited(send, partner_api, partner_tenant):
    invitation_id = send().json()["id"]
    start = timezone.now() + timedelta(minutes=11)

    with time_machine.travel(start, tick=False):
        first = resend(partner_api, partner_tenant, invitation_id)
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        second = resend(partner_api, partner_tenant, invitation_id)
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        third = resend(partner_api, partner_tenant, invitation_id)

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["code"] == "rate_limited"
    assert third.status_code == 200
    assert third.json()["resent_count"] == 2


def test_resend_right_after_sending_is_rate_limited(send, partner_api, partner_tenant):
    invitation_id = send().json()["id"]

    response = resend(partner_api, partner_tenant, invitation_id)

    assert response.status_code == 429


def test_resend_and_cancel_need_a_pending_invitation(
    send, partner_api, partner_tenant, accept, customer, customer_admin
):
    from tests.relationships.conftest import token_of

    created = send()
    accept(token_of(created), customer_admin, customer)
    url = f"/api/v1/tenants/{partner_tenant.pk}/invitations/{created.json()['id']}"

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert partner_api.post(url + "/resend").status_code == 409
    assert partner_api.post(url + "/cancel").status_code == 409


def test_plain_member_of_the_partner_cannot_resend_or_cancel(
    send, api_as, partner_agent, partner_tenant
):
    invitation_id = send().json()["id"]
    url = f"/api/v1/tenants/{partner_tenant.pk}/invitations/{invitation_id}"

    assert api_as(partner_agent).post(url + "/cancel").status_code == 403
    assert api_as(partner_agent).post(url + "/resend").status_code == 403
    assert only_invitation().status == Status.PENDING


# The agreement ----------------------------------------------------------------------------


def test_acceptance_without_the_agreement_is_refused_and_writes_nothing(
    sent, accept, customer, customer_admin
):
    token = sent(relationship_types=["gdap", "reseller"], gdap=gdap_part())
    events = AuditEvent.objects.count()
    mails = OutboxMessage.objects.count()

    response = accept(token, customer_admin, customer, accept_agreement=False)
    missing = accept(token, customer_admin, customer, accept_agreement=None)

    assert response.status_code == 400
    assert response.json()["code"] == "agreement_required"
    assert missing.status_code in (400,)
    assert not PartnerRelationship.objects.exists()
    assert not AgreementAcceptance.objects.exists()
    invitation = only_invitation()
    assert invitation.status == Status.PENDING
    assert invitation.gdap_relationship.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING
    assert AuditEvent.objects.count() == events
    assert OutboxMessage.objects.count() == mails


def test_agreement_flag_is_not_needed_once_accepted(sent, accept, api_as, customer, customer_admin):
    agreed = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/agreement/accept",
        {"version": "1.0", "attest": True},
        format="json",
    )
    assert agreed.status_code == 200, agreed.json()
    token = sent()

    body = {"tenant_id": str(customer.pk)}
    response = api_as(customer_admin).post(f"/api/v1/invitations/{token}/accept", body)

    assert response.status_code == 200, response.json()
    assert AgreementAcceptance.objects.count() == 1
    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1


# GDAP roles ----------------------------------------------------------------------------


def test_customer_approves_a_subset_of_the_requested_roles(sent, accept, customer, customer_admin):
    token = sent(relationship_types=["gdap"], gdap=gdap_part(HELPDESK, USER_ADMIN))

    response = accept(token, customer_admin, customer, approved_role_definition_ids=[HELPDESK])

    assert response.status_code == 200, response.json()
    roles = response.json()["admin_roles"]
    assert [(r["role_definition_id"], r["source"]) for r in roles] == [(HELPDESK, "gdap")]
    rel = DelegatedAdminRelationship.objects.get()
    assert rel.status == DelegatedAdminRelationship.Status.ACTIVE
    assert rel.customer == customer
    assert [str(r.id) for r in rel.approved_roles.all()] == [HELPDESK]
    assert roles[0]["relationship_id"] == str(rel.pk)
    assert rel.end_at - rel.activated_at == timedelta(days=90)


def test_without_a_subset_every_requested_role_is_approved(sent, accept, customer, customer_admin):
    token = sent(relationship_types=["gdap"], gdap=gdap_part(HELPDESK, USER_ADMIN))

    response = accept(token, customer_admin, customer)

    assert response.status_code == 200
    assert {r["role_definition_id"] for r in response.json()["admin_roles"]} == {
        HELPDESK,
        USER_ADMIN,
    }


def test_approving_a_role_not_requested_is_refused(sent, accept, customer, customer_admin):
    token = sent(relationship_types=["gdap"], gdap=gdap_part(HELPDESK))

    response = accept(
        token, customer_admin, customer, approved_role_definition_ids=[HELPDESK, GLOBAL_ADMIN]
    )

    assert response.status_code == 400
    assert not PartnerRelationship.objects.exists()
    assert not AgreementAcceptance.objects.exists()
    assert only_invitation().status == Status.PENDING


def test_approving_an_empty_list_is_refused(sent, accept, customer, customer_admin):
    token = sent(relationship_types=["gdap"], gdap=gdap_part(HELPDESK))

    response = accept(token, customer_admin, customer, approved_role_definition_ids=[])

    assert response.status_code == 400
    assert only_invitation().status == Status.PENDING


def test_approving_roles_of_an_invitation_without_roles_is_refused(
    sent, accept, customer, customer_admin
):
    token = sent()

    response = accept(token, customer_admin, customer, approved_role_definition_ids=[HELPDESK])

    assert response.status_code == 400
    assert not PartnerRelationship.objects.exists()


def test_advisor_grant_reads_as_advisor(sent, accept, customer, customer_admin):
    token = sent(relationship_types=["advisor"], gdap=gdap_part(HELPDESK))

    response = accept(token, customer_admin, customer)

    assert response.status_code == 200
    assert [r["source"] for r in response.json()["admin_roles"]] == ["advisor"]


# Extending, audit, mail, leads -------------------------------------------------------------


def test_second_invitation_extends_the_relationship(sent, accept, customer, customer_admin):
    first = sent(relationship_types=["reseller"])
    assert accept(first, customer_admin, customer).status_code == 200
    started = PartnerRelationship.objects.get().started_at
    second = sent(relationship_types=["isv", "reseller"])

    response = accept(second, customer_admin, customer)

    assert response.status_code == 200, response.json()
    relationship = PartnerRelationship.objects.get()
    assert relationship.types == ["isv", "reseller"]
    assert relationship.started_at == started
    event = AuditEvent.objects.filter(action="invitation.accepted").order_by("-occurred_at")[0]
    assert event.after["added_types"] == ["isv"]


def test_acceptance_writes_exactly_the_expected_audit_events(
    sent, accept, customer, customer_admin, partner_tenant
):
    token = sent(relationship_types=["gdap", "reseller"], gdap=gdap_part(HELPDESK))
    since = timezone.now()

    assert accept(token, customer_admin, customer).status_code == 200

    events = AuditEvent.objects.filter(occurred_at__gte=since).order_by("occurred_at")
    assert sorted(e.action for e in events) == [
        "agreement.accepted",
        "gdap.approved",
        "invitation.accepted",
    ]
    assert all(e.actor == customer_admin for e in events)
    assert all(e.target_tenant_id == customer.pk for e in events)
    accepted = events.get(action="invitation.accepted")
    assert accepted.object_id == str(only_invitation().pk)
    assert accepted.after["relationship_types"] == ["gdap", "reseller"]


def test_partner_admins_are_mailed_on_acceptance(
    sent, accept, customer, customer_admin, django_capture_on_commit_callbacks, mailoutbox
):
    token = sent()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert accept(token, customer_admin, customer).status_code == 200

    (mail,) = [m for m in mailoutbox if m.to == ["pat@contoso.example"]]
    assert "Fabrikam" in mail.subject
    # The customer's admins get their own confirmation (test_acceptance_confirmation.py).
    assert {m.to[0] for m in mailoutbox} == {"pat@contoso.example", customer_admin.email}


def test_partner_admin_reading_german_gets_the_mail_in_german(
    sent, accept, customer, customer_admin, partner_tenant, partner_admin
):
    german = member(partner_tenant, "Global Administrator", email="gerd@contoso.example")
    german.language = "de"
    german.save(update_fields=["language"])
    token = sent()

    assert accept(token, customer_admin, customer).status_code == 200

    english = OutboxMessage.objects.get(template="invitation_accepted", to=partner_admin.email)
    deutsch = OutboxMessage.objects.get(template="invitation_accepted", to=german.email)
    assert english.language.startswith("en")
    assert deutsch.language == "de"
    _german_subject_differs(english, deutsch)


def _german_subject_differs(english, deutsch):
    assert english.subject != deutsch.subject
    assert "Fabrikam" in deutsch.subject


def test_accepting_an_invitation_from_a_lead_converts_the_lead(
    send, accept, customer, customer_admin, partner_tenant
):
    from tests.relationships.conftest import token_of

    lead = make_lead(partner_tenant, customer)
    response = send(lead_id=str(lead.pk))

    assert accept(token_of(response), customer_admin, customer).status_code == 200
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED


# Expiry (the beat job's service) ---------------------------------------------------------


def test_expire_stale_marks_expired_invitations_once(sent, customer):
    sent(relationship_types=["gdap"], gdap=gdap_part())
    sent()

    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        first = services.expire_stale()
        second = services.expire_stale()

    assert (first, second) == (2, 0)
    assert set(Invitation.objects.values_list("status", flat=True)) == {Status.EXPIRED}
    rel = DelegatedAdminRelationship.objects.get()
    assert rel.status == DelegatedAdminRelationship.Status.EXPIRED
    events = AuditEvent.objects.filter(action="invitation.expired")
    assert events.count() == 2
    assert {e.actor_kind for e in events} == {"system"}


def test_expire_stale_leaves_live_invitations(sent):
    sent()

    assert services.expire_stale() == 0
    assert only_invitation().status == Status.PENDING


# Authorising a partner is the customer's own act ------------------------------------------


def test_partner_staff_with_delegated_admin_cannot_accept_their_own_invitation(
    sent, accept, customer, partner_tenant, partner_agent
):
    from tests.gdap_factories import grant

    grant(partner_tenant, customer, partner_agent, "Global Administrator")
    token = sent(relationship_types=["gdap"], gdap=gdap_part(GLOBAL_ADMIN, name="More"))

    response = accept(token, partner_agent, customer)

    assert response.status_code == 403
    assert only_invitation().status == Status.PENDING
    assert not PartnerRelationship.objects.exists()


def test_partner_staff_with_delegated_admin_cannot_decline_for_the_customer(
    sent, api_as, customer, partner_tenant, partner_agent
):
    from tests.gdap_factories import grant

    grant(partner_tenant, customer, partner_agent, "Billing Administrator")
    token = sent()

    response = decline(api_as, token, partner_agent, customer)

    assert response.status_code == 403
    assert only_invitation().status == Status.PENDING
