"""Partner-side pages: sent invitations, the invitation form, customers."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import NotFound
from partners.models import Industry, Lead, OrganizationSize
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from relationships.selectors import get_invitation_by_token
from tests.factories import TenantFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.relationships.conftest import GLOBAL_ADMIN, HELPDESK, USER_ADMIN

pytestmark = pytest.mark.django_db


def page(tenant, rest=""):
    return f"/t/{tenant.pk}/partner/{rest}"


def sent(partner_admin, partner_tenant, email="alice@fabrikam.example", **kwargs):
    return services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email=email,
        relationship_types=kwargs.pop("relationship_types", ["reseller"]),
        **kwargs,
    )


def make_lead(partner, customer, **fields):
    data = {
        "country": "DE",
        "city": "Berlin",
        "contact_name": "Alice Admin",
        "email": "alice@fabrikam.example",
        "org_size": OrganizationSize.objects.get(slug="51-250"),
        "org_name": "Fabrikam, Inc.",
        "industry": Industry.objects.get(slug="healthcare"),
        "business_needs": "Teams rollout.",
    }
    data.update(fields)
    return Lead.objects.create(partner=partner, customer=customer, **data)


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Sent invitations ----------------------------------------------------------------------------


def test_partner_admin_lists_sent_invitations(
    client_as, partner_admin, partner_tenant, partner_profile, customer
):
    sent(partner_admin, partner_tenant, customer=customer)
    sent(
        partner_admin,
        partner_tenant,
        email="dan@tailspin.example",
        relationship_types=["gdap"],
        gdap_request={
            "display_name": "Tailspin helpdesk",
            "duration": timedelta(days=30),
            "role_ids": [uuid.UUID(HELPDESK)],
            "auto_extend_duration": timedelta(0),
        },
    )

    response = client_as(partner_admin).get(page(partner_tenant, "invitations/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "alice@fabrikam.example" in html and "Fabrikam" in html
    assert "dan@tailspin.example" in html and "Helpdesk Administrator" in html
    assert "Reseller" in html and "Pending" in html
    assert html.count(">Resend") == 2 and 'data-dialog="cancel-' in html


def test_partner_agent_without_roles_gets_403(client_as, partner_agent, partner_tenant):
    assert client_as(partner_agent).get(page(partner_tenant, "invitations/")).status_code == 403
    assert client_as(partner_agent).get(page(partner_tenant, "customers/")).status_code == 403


def test_outsider_gets_404(client_as, outsider_admin, partner_tenant):
    client = client_as(outsider_admin)
    for rest in ("invitations/", "invitations/new/", "customers/"):
        assert client.get(page(partner_tenant, rest)).status_code == 404


def test_status_filter_reads_expired_past_expiry(
    client_as, partner_admin, partner_tenant, partner_profile
):
    sent(partner_admin, partner_tenant, email="old@example.com")
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        sent(partner_admin, partner_tenant, email="new@example.com")
        client = client_as(partner_admin)
        pending = client.get(page(partner_tenant, "invitations/?status=pending")).content
        expired = client.get(page(partner_tenant, "invitations/?status=expired")).content

    assert b"new@example.com" in pending and b"old@example.com" not in pending
    assert b"old@example.com" in expired and b"new@example.com" not in expired


@pytest.mark.parametrize("path", ["invitations/", "customers/"])
def test_list_queries_do_not_grow(
    client_as, partner_admin, partner_tenant, partner_profile, path, django_assert_max_num_queries
):
    client = client_as(partner_admin)

    def add(n):
        for _ in range(n):
            customer = TenantFactory()
            PartnerRelationship.objects.create(
                customer=customer, partner=partner_tenant, types=["gdap", "reseller"]
            )
            DelegatedAdminRelationshipFactory(
                partner=partner_tenant, customer=customer, roles=["Helpdesk Administrator"]
            )
            sent(
                partner_admin,
                partner_tenant,
                customer=customer,
                relationship_types=["gdap"],
                gdap_request={
                    "display_name": f"Req {uuid.uuid4().hex[:8]}",
                    "duration": timedelta(days=30),
                    "role_ids": [uuid.UUID(HELPDESK), uuid.UUID(USER_ADMIN)],
                    "auto_extend_duration": timedelta(0),
                },
            )

    add(1)
    few = queries_for(client, page(partner_tenant, path))
    add(9)
    many = queries_for(client, page(partner_tenant, path))
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(page(partner_tenant, path))


def test_resend_shows_the_new_link_once(
    client_as,
    partner_admin,
    partner_tenant,
    partner_profile,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    inv, raw = sent(partner_admin, partner_tenant)
    client = client_as(partner_admin)

    response = client.post(page(partner_tenant, f"invitations/{inv.pk}/resend/"), follow=True)
    assert "once every 10 minutes" in response.content.decode()

    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(partner_tenant, f"invitations/{inv.pk}/resend/"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "/invitations/" in html and raw not in html
    inv.refresh_from_db()
    assert inv.resent_count == 1
    assert mailoutbox and mailoutbox[-1].to == ["alice@fabrikam.example"]
    with pytest.raises(NotFound):
        get_invitation_by_token(raw)


def test_cancel_through_the_confirmation(client_as, partner_admin, partner_tenant, partner_profile):
    inv, _raw = sent(partner_admin, partner_tenant)
    client = client_as(partner_admin)

    confirm = client.get(page(partner_tenant, f"invitations/{inv.pk}/cancel/"))
    assert confirm.status_code == 200
    response = client.post(page(partner_tenant, f"invitations/{inv.pk}/cancel/"))

    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.CANCELLED
    assert AuditEvent.objects.filter(action="invitation.cancelled").count() == 1
    # A second cancel is refused with a message, not a 500.
    again = client.post(page(partner_tenant, f"invitations/{inv.pk}/cancel/"), follow=True)
    assert again.status_code == 200 and "cancelled" in again.content.decode()


def test_another_partners_invitation_is_404(
    client_as, partner_admin, partner_tenant, partner_profile, outsider, outsider_admin
):
    inv, _raw = sent(partner_admin, partner_tenant)
    client = client_as(outsider_admin)

    assert client.get(page(outsider, f"invitations/{inv.pk}/cancel/")).status_code == 404
    assert client.post(page(outsider, f"invitations/{inv.pk}/cancel/")).status_code == 404
    assert client.post(page(outsider, f"invitations/{inv.pk}/resend/")).status_code == 404


# The invitation form -------------------------------------------------------------------------


def test_form_offers_the_profiles_assignable_types(
    client_as, partner_admin, partner_tenant, partner_profile
):
    response = client_as(partner_admin).get(page(partner_tenant, "invitations/new/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="reseller"' in html and 'value="gdap"' in html
    assert 'value="industry_partner"' not in html
    assert "Sells products to the tenant." in html  # the `does` line
    assert 'name="gdap_roles"' in html and "data-blocks-auto-extend" in html


def test_without_a_profile_the_form_links_to_it(client_as, partner_admin, partner_tenant):
    response = client_as(partner_admin).get(page(partner_tenant, "invitations/new/"))

    assert response.status_code == 200
    assert f"/t/{partner_tenant.pk}/partner/profile/" in response.content.decode()
    assert 'name="email"' not in response.content.decode()


def test_send_through_the_form(
    client_as,
    partner_admin,
    partner_tenant,
    partner_profile,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(partner_admin).post(
            page(partner_tenant, "invitations/new/"),
            {
                "email": "alice@fabrikam.example",
                "relationship_types": ["gdap", "reseller"],
                "message": "Hello!",
                "gdap_display_name": "Fabrikam helpdesk",
                "gdap_duration_days": "90",
                "gdap_roles": [HELPDESK, USER_ADMIN],
                "gdap_auto_extend": "on",
            },
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "We emailed the approval link to alice@fabrikam.example." in html
    inv = Invitation.objects.get()
    assert inv.relationship_types == ["gdap", "reseller"] and inv.message == "Hello!"
    rel = inv.gdap_relationship
    assert rel.status == DelegatedAdminRelationship.Status.APPROVAL_PENDING
    assert rel.duration == timedelta(days=90) and rel.auto_extend_duration == timedelta(days=180)
    assert {str(r.id) for r in rel.requested_roles.all()} == {HELPDESK, USER_ADMIN}
    assert len(mailoutbox) == 1
    link = html.split('id="approval-url" class="mono" value="')[1].split('"')[0]
    assert link in mailoutbox[0].body


def test_global_admin_with_auto_extend_is_refused_on_the_form(
    client_as, partner_admin, partner_tenant, partner_profile
):
    response = client_as(partner_admin).post(
        page(partner_tenant, "invitations/new/"),
        {
            "email": "alice@fabrikam.example",
            "relationship_types": ["gdap"],
            "gdap_display_name": "Fabrikam GA",
            "gdap_duration_days": "90",
            "gdap_roles": [GLOBAL_ADMIN],
            "gdap_auto_extend": "on",
        },
    )

    assert response.status_code == 400
    assert "Auto-extend is not available" in response.content.decode()
    assert not Invitation.objects.exists()


def test_service_errors_show_on_the_form(client_as, partner_admin, partner_tenant, partner_profile):
    # GDAP type without roles: refused by the service, shown by the field.
    response = client_as(partner_admin).post(
        page(partner_tenant, "invitations/new/"),
        {"email": "alice@fabrikam.example", "relationship_types": ["gdap"]},
    )

    assert response.status_code == 400
    assert "A GDAP invitation needs the roles" in response.content.decode()
    assert not Invitation.objects.exists()


def test_partner_agent_cannot_send(client_as, partner_agent, partner_tenant, partner_profile):
    response = client_as(partner_agent).post(
        page(partner_tenant, "invitations/new/"),
        {"email": "alice@fabrikam.example", "relationship_types": ["reseller"]},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_lead_prefills_the_form_and_is_linked(
    client_as, partner_admin, partner_tenant, partner_profile, customer
):
    lead = make_lead(partner_tenant, customer)
    client = client_as(partner_admin)

    form = client.get(page(partner_tenant, f"invitations/new/?lead={lead.pk}"))

    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="alice@fabrikam.example"' in html
    assert f'value="{lead.pk}"' in html and "This invitation answers the lead" in html
    response = client.post(
        page(partner_tenant, "invitations/new/"),
        {"email": "alice@fabrikam.example", "relationship_types": ["reseller"], "lead": lead.pk},
    )
    assert response.status_code == 200
    inv = Invitation.objects.get()
    assert inv.lead_id == lead.pk and inv.customer_id == customer.pk


def test_foreign_lead_is_404(
    client_as, partner_admin, partner_tenant, partner_profile, customer, outsider
):
    foreign = make_lead(outsider, customer)

    response = client_as(partner_admin).get(
        page(partner_tenant, f"invitations/new/?lead={foreign.pk}")
    )

    assert response.status_code == 404


# Customers -----------------------------------------------------------------------------------


def test_customers_page_lists_types_agreement_and_gdap(
    client_as, partner_admin, partner_tenant, partner_profile, customer
):
    PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["gdap", "reseller"]
    )
    DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, display_name="Fabrikam helpdesk"
    )

    response = client_as(partner_admin).get(page(partner_tenant, "customers/"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Fabrikam" in html and "Reseller" in html and "Not accepted" in html
    assert "Fabrikam helpdesk" in html and "Active" in html
    assert "End relationship types" in html


def test_end_relationship_types_through_the_page(
    client_as,
    partner_admin,
    partner_tenant,
    partner_profile,
    customer,
    customer_admin,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    PartnerRelationship.objects.create(
        customer=customer, partner=partner_tenant, types=["gdap", "reseller"]
    )
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    client = client_as(partner_admin)
    url = page(partner_tenant, f"customers/{customer.pk}/end-types/")

    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Choose at least one type" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"relationship_types": ["gdap"]})

    assert response.status_code == 302
    assert PartnerRelationship.objects.get(customer=customer).types == ["reseller"]
    rel.refresh_from_db()
    assert rel.status == DelegatedAdminRelationship.Status.TERMINATED
    assert AuditEvent.objects.filter(action="relationship.types_ended").count() == 1
    assert any(customer_admin.email in m.to for m in mailoutbox)


def test_end_types_of_a_stranger_is_404(
    client_as, partner_admin, partner_tenant, partner_profile, outsider
):
    response = client_as(partner_admin).post(
        page(partner_tenant, f"customers/{outsider.pk}/end-types/"),
        {"relationship_types": ["reseller"]},
    )

    assert response.status_code == 404
