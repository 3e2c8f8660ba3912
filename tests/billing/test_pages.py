"""The customer's billing page and the partner's page per customer."""

import pytest

from audit.models import AuditEvent
from billing.models import Subscription, TenantSettings
from tests.billing.conftest import subscription


def billing(customer, suffix=""):
    return f"/t/{customer.pk}/billing/{suffix}"


def partner_page(partner, customer, suffix=""):
    return f"/t/{partner.pk}/partner/customers/{customer.pk}/subscriptions/{suffix}"


# Customer side ---------------------------------------------------------------------------


def test_billing_page_lists_subscriptions_with_channel_and_partner(
    client_as, customer, billing_admin, reseller
):
    subscription(customer, channel="reseller", partner=reseller.partner)

    response = client_as(billing_admin).get(billing(customer))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Microsoft 365 Business Premium" in html
    assert "through Contoso" in html
    assert "Buy a subscription" in html
    assert "Let my MPSA partners see purchases made through each other" in html


def test_billing_is_in_the_navigation(client_as, customer, billing_admin):
    response = client_as(billing_admin).get(f"/t/{customer.pk}/")

    assert f'href="/t/{customer.pk}/billing/"' in response.content.decode()


def test_plain_member_gets_403(client_as, customer, plain_member):
    assert client_as(plain_member).get(billing(customer)).status_code == 403


def test_outsider_gets_404(client_as, customer, outsider_admin):
    assert client_as(outsider_admin).get(billing(customer)).status_code == 404


def test_buy_on_the_page(client_as, customer, billing_admin, product):
    response = client_as(billing_admin).post(
        billing(customer, "buy/"), {"product": str(product.pk), "quantity": "4"}
    )

    created = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == billing(customer, f"{created.pk}/")
    assert (created.quantity, created.channel) == (4, "direct")


@pytest.mark.parametrize(
    "data", [{}, {"product": "nope", "quantity": "1"}, {"product": "", "quantity": "-1"}]
)
def test_bad_buy_shows_the_form_errors(client_as, customer, billing_admin, data):
    response = client_as(billing_admin).post(billing(customer, "buy/"), data)

    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not Subscription.objects.exists()


def test_pane_change_quantity_and_cancel(client_as, customer, billing_admin):
    bought = subscription(customer)
    client = client_as(billing_admin)

    pane = client.get(
        billing(customer, f"{bought.pk}/"), headers={"HX-Request": "true", "HX-Target": "pane"}
    )
    assert pane.status_code == 200
    assert 'id="pane-title"' in pane.content.decode()
    assert "<html" not in pane.content.decode()

    changed = client.post(billing(customer, f"{bought.pk}/quantity/"), {"quantity": "11"})
    assert changed.status_code == 302
    confirm = client.get(billing(customer, f"{bought.pk}/cancel/"))
    assert confirm.status_code == 200 and "Cancel Microsoft 365 Business Premium?" in (
        confirm.content.decode()
    )
    cancelled = client.post(billing(customer, f"{bought.pk}/cancel/"))
    assert cancelled.status_code == 302
    bought.refresh_from_db()
    assert (bought.quantity, bought.status) == (11, "cancelled")


def test_bad_quantity_on_the_page_is_400_not_500(client_as, customer, billing_admin):
    bought = subscription(customer)

    response = client_as(billing_admin).post(
        billing(customer, f"{bought.pk}/quantity/"), {"quantity": "zero"}
    )

    assert response.status_code == 400
    bought.refresh_from_db()
    assert bought.quantity == 5


def test_mpsa_switch_on_the_page(client_as, customer, billing_admin):
    client = client_as(billing_admin)

    client.post(billing(customer, "settings/"), {"mpsa_share_purchases": "on"})
    assert TenantSettings.objects.get(tenant=customer).mpsa_share_purchases is True
    client.post(billing(customer, "settings/"), {})
    assert TenantSettings.objects.get(tenant=customer).mpsa_share_purchases is False
    assert AuditEvent.objects.filter(action="billing_settings.changed").count() == 2


def test_foreign_subscription_on_the_page_is_404(client_as, customer, outsider, outsider_admin):
    foreign = subscription(customer)
    client = client_as(outsider_admin)

    assert client.get(billing(outsider, f"{foreign.pk}/")).status_code == 404
    assert client.post(billing(outsider, f"{foreign.pk}/cancel/")).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "active"


# Partner side ----------------------------------------------------------------------------


def test_partner_page_says_the_agreement_is_needed(
    client_as, customer, partner_tenant, partner_admin, reseller, product
):
    client = client_as(partner_admin)

    page = client.get(partner_page(partner_tenant, customer))
    refused = client.post(
        partner_page(partner_tenant, customer), {"product": str(product.pk), "quantity": "3"}
    )

    assert page.status_code == 200
    assert "The customer must accept the customer agreement first." in page.content.decode()
    assert "Buy for Fabrikam" not in page.content.decode()
    assert refused.status_code == 409
    assert "The customer must accept the customer agreement first." in refused.content.decode()
    assert not Subscription.objects.exists()


def test_reseller_buys_and_manages_on_the_partner_page(
    client_as, customer, partner_tenant, partner_admin, reseller, accepted, product
):
    client = client_as(partner_admin)

    page = client.get(partner_page(partner_tenant, customer))
    bought = client.post(
        partner_page(partner_tenant, customer), {"product": str(product.pk), "quantity": "3"}
    )
    created = Subscription.objects.get()
    changed = client.post(
        partner_page(partner_tenant, customer, f"{created.pk}/quantity/"), {"quantity": "7"}
    )
    cancelled = client.post(partner_page(partner_tenant, customer, f"{created.pk}/cancel/"))

    assert page.status_code == 200 and "Buy for Fabrikam" in page.content.decode()
    assert bought.status_code == 302
    assert changed.status_code == 302 and cancelled.status_code == 302
    created.refresh_from_db()
    assert (created.channel, created.partner_id) == ("reseller", partner_tenant.pk)
    assert (created.quantity, created.status) == (7, "cancelled")


def test_indirect_reseller_page_shows_only_its_own(
    client_as, customer, indirect_tenant, indirect_admin, indirect, reseller, accepted
):
    subscription(customer, sku="EXO-P1-M", channel="reseller", partner=reseller.partner)
    own = subscription(customer, channel="indirect_reseller", partner=indirect_tenant)
    client = client_as(indirect_admin)

    page = client.get(partner_page(indirect_tenant, customer))

    rows = page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "Microsoft 365 Business Premium" in rows
    assert "Exchange Online" not in rows
    other = Subscription.objects.exclude(pk=own.pk).get()
    cancel = client.post(partner_page(indirect_tenant, customer, f"{other.pk}/cancel/"))
    assert cancel.status_code == 404
    other.refresh_from_db()
    assert other.status == "active"


def test_not_a_customer_of_this_partner_is_404(client_as, partner_tenant, partner_admin, outsider):
    assert client_as(partner_admin).get(partner_page(partner_tenant, outsider)).status_code == 404


def test_partner_agent_gets_403(client_as, customer, partner_tenant, partner_agent, reseller):
    assert client_as(partner_agent).get(partner_page(partner_tenant, customer)).status_code == 403


def test_ended_relationship_is_404(client_as, customer, partner_tenant, partner_admin, reseller):
    reseller.types = []
    reseller.save()

    assert client_as(partner_admin).get(partner_page(partner_tenant, customer)).status_code == 404


def test_isv_relationship_is_403(client_as, customer, partner_tenant, partner_admin, reseller):
    reseller.types = ["isv"]
    reseller.save()

    response = client_as(partner_admin).get(partner_page(partner_tenant, customer))

    assert response.status_code == 403
