"""The whole flow through the API: the partner sends, the mail is caught, the customer
opens the link, accepts the agreement and authorises, and sees the partner."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.relationships.conftest import HELPDESK, USER_ADMIN, client_for, gdap_part

pytestmark = pytest.mark.django_db


def test_partner_invites_and_customer_accepts(
    send,
    customer,
    customer_admin,
    partner_tenant,
    partner_admin,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(
            relationship_types=["gdap", "reseller"],
            gdap=gdap_part(HELPDESK, USER_ADMIN, auto_extend="P180D"),
        )
    assert sent.status_code == 201, sent.json()
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/invitations/(\S+?)/?\s", mail.body)
    token = link.group(1)

    customer_api = client_for(customer_admin)
    preview = customer_api.get(f"/api/v1/invitations/{token}")
    assert preview.status_code == 200
    assert preview.json()["status"] == "pending"
    refused = customer_api.post(
        f"/api/v1/invitations/{token}/accept", {"tenant_id": str(customer.pk)}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "agreement_required"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = customer_api.post(
            f"/api/v1/invitations/{token}/accept",
            {
                "tenant_id": str(customer.pk),
                "accept_agreement": True,
                "approved_role_definition_ids": [HELPDESK],
            },
            format="json",
        )
    assert accepted.status_code == 200, accepted.json()
    assert [r["name"] for r in accepted.json()["admin_roles"]] == ["Helpdesk Administrator"]
    assert [partner_admin.email] in [m.to for m in mailoutbox]

    partners = customer_api.get(f"/api/v1/tenants/{customer.pk}/partner-relationships").json()
    assert [p["partner"]["name"] for p in partners["results"]] == ["Contoso"]
    assert customer_api.get(f"/api/v1/tenants/{customer.pk}/agreement").json()["accepted"]
    customers = client_for(partner_admin).get(f"/api/v1/tenants/{partner_tenant.pk}/customers")
    (row,) = customers.json()["results"]
    assert row["name"] == "Fabrikam" and row["agreement_accepted"] is True
    assert row["gdap"][0]["status"] == "active"
    sent_list = client_for(partner_admin).get(
        f"/api/v1/tenants/{partner_tenant.pk}/invitations?direction=sent"
    )
    assert sent_list.json()["results"][0]["status"] == "accepted"


def test_status_filter_reads_like_the_rows(sent, partner_admin, partner_tenant):
    sent()
    url = f"/api/v1/tenants/{partner_tenant.pk}/invitations?direction=sent&status="

    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        api = client_for(partner_admin)
        pending = api.get(url + "pending").json()
        expired = api.get(url + "expired").json()

    assert pending["count"] == 0
    assert expired["count"] == 1
    assert expired["results"][0]["status"] == "expired"
