"""After "Accept & authorize" the customer is told: a confirmation mail to its admins, and
the page moves on to the partner it just authorised (its details open), saying what
happened. The agreement-only flow (no admin roles) is the one that lacked both."""

import pytest

from relationships import services
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement_only(partner_admin, partner_tenant, partner_profile):
    """A reseller invitation: no admin roles, only the agreement and the authorisation."""
    _invitation, raw = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="alice@fabrikam.example",
        relationship_types=["reseller"],
    )
    return raw


def accept_on_page(client, raw, tenant):
    return client.post(
        f"/invitations/{raw}/",
        {"tenant": str(tenant.pk), "action": "accept", "accept_agreement": "on"},
    )


def test_agreement_only_acceptance_mails_the_customer_a_confirmation(
    client_as,
    customer,
    customer_admin,
    partner_tenant,
    agreement_only,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    billing = member(customer, "Billing Administrator", email="bob@fabrikam.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = accept_on_page(client_as(customer_admin), agreement_only, customer)

    assert response.status_code == 302
    to_customer = [m for m in mailoutbox if m.to[0].endswith("@fabrikam.example")]
    assert sorted(m.to[0] for m in to_customer) == [customer_admin.email, billing.email]
    mail = next(m for m in to_customer if m.to == [customer_admin.email])
    assert "Contoso" in mail.subject
    assert "Reseller" in mail.body
    assert "Purchases on the tenant's behalf" in mail.body  # what it unlocks
    assert "customer agreement" in mail.body.lower() and "1.0" in mail.body
    assert f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/" in mail.body
    # The partner is still told too.
    assert any(m.to == ["pat@contoso.example"] for m in mailoutbox)


def test_after_accept_the_page_opens_the_authorised_partner(
    client_as, customer, customer_admin, partner_tenant, agreement_only
):
    client = client_as(customer_admin)

    response = accept_on_page(client, agreement_only, customer)

    assert response.status_code == 302
    target = f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/?new={partner_tenant.pk}"
    assert response["Location"] == target
    page = client.get(target)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="pane-title"' in html and "Contoso" in html  # the details are open
    (message,) = page.context["messages"]
    text = str(message)
    assert "Contoso is now your partner" in text
    assert "Reseller" in text
    assert "customer agreement" in text and "accepted" in text
    assert customer_admin.email in text  # where the confirmation went


def test_the_api_acceptance_mails_the_confirmation_too(
    accept,
    customer,
    customer_admin,
    agreement_only,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = accept(agreement_only, customer_admin, customer)

    assert response.status_code == 200, response.json()
    assert any(m.to == [customer_admin.email] for m in mailoutbox)
