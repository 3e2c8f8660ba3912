"""Mail in the recipient's language: relationship types and role names in German for a
German recipient even when the customer acted in English; no doubled full stop after a
name that ends in one."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from core.text import one_full_stop
from notifications.models import OutboxMessage
from tests.relationships.conftest import HELPDESK, gdap_part

pytestmark = pytest.mark.django_db


def test_mail_is_in_the_recipients_language_with_german_type_and_role_names(
    sent, accept, customer, customer_admin, partner_tenant, partner_admin
):
    partner_admin.language = "de"
    partner_admin.save(update_fields=["language"])
    token = sent(
        customer_tenant_id=str(customer.pk),
        relationship_types=["gdap", "reseller"],
        gdap=gdap_part(HELPDESK),
    )
    with translation.override("en"):  # the customer acts in English
        assert accept(token, customer_admin, customer).status_code == 200

    to_partner = OutboxMessage.objects.get(to=partner_admin.email, template="invitation_accepted")
    assert to_partner.language == "de"
    assert "Helpdeskadministrator" in to_partner.body_text
    assert "Helpdesk Administrator" not in to_partner.body_text
    assert "Granulare delegierte Administratorberechtigungen (GDAP)" in to_partner.body_text
    assert "Granular delegated" not in to_partner.body_text
    # Its end date in the German style.
    end = timezone.localtime(timezone.now() + timedelta(days=90)).date()
    assert f"Sie enden am {end:%d.%m.%Y}." in to_partner.body_text


def test_a_partner_name_ending_in_a_full_stop_gets_no_second_one(
    sent, accept, customer, customer_admin, partner_tenant, partner_admin
):
    partner_tenant.name = "Contoso Ltd."
    partner_tenant.save(update_fields=["name"])
    token = sent(customer_tenant_id=str(customer.pk), relationship_types=["reseller"])
    assert accept(token, customer_admin, customer).status_code == 200
    message = OutboxMessage.objects.get(to=partner_admin.email, template="invitation_accepted")
    assert "Contoso Ltd.." not in message.body_text + message.body_html + message.subject
    assert "Contoso Ltd." in message.body_text
    assert one_full_stop("Sent to Contoso Ltd.. They") == "Sent to Contoso Ltd. They"
    assert one_full_stop("Wait...") == "Wait..."
