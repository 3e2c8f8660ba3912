""" "Contact me": validation, the two limits, mail to partner and submitter, audit."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from partners.models import Lead
from tests.factories import TenantFactory, member


def contact_url(partner):
    return f"/api/v1/directory/partners/{partner.pk}/contact"


def body(tenant, **changes):
    data = {
        "tenant_id": str(tenant.pk),
        "country": "DE",
        "city": "Berlin",
        "contact_name": "Alice Admin",
        "email": "alice@fabrikam.example",
        "phone": "+49 30 123456",
        "org_size": "51-250",
        "org_name": "Fabrikam, Inc.",
        "industry": "healthcare",
        "business_needs": "Move 200 mailboxes to Exchange Online.",
    }
    data.update(changes)
    return data


def test_customer_admin_contacts_a_partner(api_as, customer_admin, customer, listed_partner):
    customer_admin.language = "de"
    customer_admin.save()
    r = api_as(customer_admin).post(contact_url(listed_partner), body(customer), format="json")
    assert r.status_code == 201, r.content
    lead = Lead.objects.get()
    assert r.json() == {"id": str(lead.pk), "status": "new"}
    assert lead.partner_id == listed_partner.pk
    assert lead.customer == customer
    assert lead.submitted_by == customer_admin
    assert lead.org_size.slug == "51-250"
    event = AuditEvent.objects.get(action="lead.submitted")
    assert event.target_tenant_id == listed_partner.pk
    assert event.acting_tenant_id == customer.pk
    mails = {m.template: m for m in OutboxMessage.objects.all()}
    assert mails["lead_received"].to == "leads@contoso.example"
    assert mails["lead_received"].language == "en"
    assert "Move 200 mailboxes" in mails["lead_received"].body_text
    assert mails["lead_confirmation"].to == customer_admin.email
    assert mails["lead_confirmation"].language == "de"


def test_lead_mail_uses_the_partner_admins_language(
    api_as, customer_admin, customer, listed_partner, partner_admin
):
    partner_admin.language = "de"
    partner_admin.save()
    r = api_as(customer_admin).post(contact_url(listed_partner), body(customer), format="json")
    assert r.status_code == 201
    assert OutboxMessage.objects.get(template="lead_received").language == "de"


def test_contact_me_is_the_organisations_admins_act(
    api_as, plain_member, billing_admin, customer, listed_partner
):
    # A plain member does not speak for the organisation (tests/security/test_sides.py).
    r = api_as(plain_member).post(contact_url(listed_partner), body(customer), format="json")
    assert r.status_code == 403
    r = api_as(billing_admin).post(contact_url(listed_partner), body(customer), format="json")
    assert r.status_code == 201


def test_bad_input_is_400_and_stores_nothing(api_as, customer_admin, customer, listed_partner):
    data = body(customer, email="not-an-email", org_size="huge", city="", business_needs="")
    r = api_as(customer_admin).post(contact_url(listed_partner), data, format="json")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert set(errors) == {"email", "org_size", "city", "business_needs"}
    assert not Lead.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action="lead.submitted").exists()


def test_tenant_must_be_one_of_the_users(api_as, customer_admin, outsider, listed_partner):
    # Speaking for a tenant that is not yours is refused like speaking for one you may not.
    r = api_as(customer_admin).post(contact_url(listed_partner), body(outsider), format="json")
    assert r.status_code == 403
    assert not Lead.objects.exists()


def test_a_partner_cannot_contact_itself(api_as, partner_admin, partner_tenant, listed_partner):
    r = api_as(partner_admin).post(contact_url(listed_partner), body(partner_tenant), format="json")
    assert r.status_code == 400
    assert "tenant_id" in r.json()["errors"]


def test_anonymous_cannot_contact(api, customer, listed_partner):
    r = api.post(contact_url(listed_partner), body(customer), format="json")
    assert r.status_code in (401, 403)
    assert not Lead.objects.exists()


def test_unlisted_partner_is_404(api_as, customer_admin, customer, listing):
    hidden = listing("Hidden", certified=False)
    r = api_as(customer_admin).post(contact_url(hidden), body(customer), format="json")
    assert r.status_code == 404


def test_second_request_from_the_same_tenant_within_24_hours_is_refused(
    api_as, customer_admin, billing_admin, customer, listed_partner
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        r = api_as(customer_admin).post(contact_url(listed_partner), body(customer), format="json")
        assert r.status_code == 201
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        r = api_as(billing_admin).post(contact_url(listed_partner), body(customer), format="json")
        assert r.status_code == 409
        assert r.json()["code"] == "duplicate_lead"
        assert "24 hours" in r.json()["detail"]
    assert Lead.objects.count() == 1
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        r = api_as(billing_admin).post(contact_url(listed_partner), body(customer), format="json")
        assert r.status_code == 201
    assert Lead.objects.count() == 2


def test_at_most_ten_requests_per_user_per_hour(api_as, db, listing):
    user_tenants = [TenantFactory(name=f"Customer {i}") for i in range(11)]
    user = member(user_tenants[0], "Billing Administrator", email="busy@example.com")
    for tenant in user_tenants[1:]:
        member(tenant, "Billing Administrator", email="busy@example.com")
    partners = [listing(f"Partner {i}") for i in range(11)]
    client = api_as(user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(10):
            r = client.post(contact_url(partners[i]), body(user_tenants[i]), format="json")
            assert r.status_code == 201, (i, r.content)
        r = client.post(contact_url(partners[10]), body(user_tenants[10]), format="json")
        assert r.status_code == 429
        assert r.json()["code"] == "rate_limited"
    assert Lead.objects.count() == 10
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        r = client.post(contact_url(partners[10]), body(user_tenants[10]), format="json")
        assert r.status_code == 201


@pytest.mark.django_db
def test_contact_page_form_is_prefilled_and_posts(
    client_as, customer_admin, customer, listed_partner
):
    client = client_as(customer_admin)
    page = client.get(f"/partners/{listed_partner.pk}/")
    assert page.status_code == 200
    form = page.context["contact_form"]
    assert form.initial["email"] == customer_admin.email
    assert form.initial["org_name"] == customer.name
    assert form.initial["tenant_id"] == str(customer.pk)
    r = client.post(f"/partners/{listed_partner.pk}/contact/", body(customer))
    assert r.status_code == 302
    assert Lead.objects.filter(customer=customer).exists()
    again = client.post(f"/partners/{listed_partner.pk}/contact/", body(customer))
    assert again.status_code == 409
    assert "24 hours" in again.content.decode()


def test_contact_page_shows_errors_without_storing(
    client_as, customer_admin, customer, listed_partner
):
    r = client_as(customer_admin).post(
        f"/partners/{listed_partner.pk}/contact/", body(customer, email="nope")
    )
    assert r.status_code == 400
    assert not Lead.objects.exists()


def test_signed_out_visitor_is_asked_to_sign_in(client, listed_partner):
    page = client.get(f"/partners/{listed_partner.pk}/")
    assert page.status_code == 200
    assert page.context["contact_form"] is None
    assert "/accounts/login/" in page.content.decode()
    r = client.post(f"/partners/{listed_partner.pk}/contact/", {})
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]
