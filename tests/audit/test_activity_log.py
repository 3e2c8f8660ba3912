"""The activity log people can read: when, who (for partner technicians: the person and the
partner), for which tenant, what and on which object, in sentences in English and German;
filters by period, action, actor, object and relationship; CSV; links from relationships."""

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.labels import ACTION_LABELS
from audit.sentences import SENTENCES
from relationships import services
from support import services as support_services
from tests.gdap_factories import grant
from tests.relationships.conftest import HELPDESK, gdap_part

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def visible_text(html: str) -> str:
    """The words on the page inside <main> (no tags, attributes or scripts)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def story(sent, accept, customer, customer_admin, partner_tenant, partner_admin, partner_agent):
    """Contoso invites Fabrikam (GDAP + reseller), Fabrikam accepts; Contoso's agent, a
    technician through GDAP, opens a support request in Fabrikam."""
    token = sent(
        customer_tenant_id=str(customer.pk),
        relationship_types=["gdap", "reseller"],
        gdap=gdap_part(HELPDESK),
    )
    assert accept(token, customer_admin, customer).status_code == 200
    grant(partner_tenant, customer, partner_agent, "Helpdesk Administrator")
    support_services.create_request(
        by=partner_agent, tenant=customer, title="Printer offline", description="Floor 2."
    )


def audit_page(client, tenant, query=""):
    response = client.get(f"/t/{tenant.pk}/audit/{query}")
    assert response.status_code == 200
    return response


def test_customer_reads_sentences_not_codes_dicts_or_ids(
    client_as, customer, customer_admin, story
):
    text = visible_text(audit_page(client_as(customer_admin), customer).content.decode())

    assert "Invited alice@fabrikam.example for Granular delegated admin (GDAP), Reseller" in text
    assert "Accepted the invitation of Contoso" in text
    assert "Opened the support request “Printer offline”" in text
    # Who: the technician with the partner they work for.
    assert "agent@contoso.example technician of Contoso" in text
    assert "{'" not in text and "invitation.sent" not in text
    assert "relationships.invitation" not in text
    assert not UUID.search(text), UUID.search(text)


def test_partners_log_says_in_which_tenant_its_technician_acted(
    client_as, partner_tenant, partner_admin, story
):
    html = audit_page(client_as(partner_admin), partner_tenant, "?action=support_request.created")
    rows = re.findall(r'<tr class="audit-row">(.*?)</tr>', html.content.decode(), re.S)

    (row,) = rows
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert "Fabrikam" in cells[2]  # for which tenant
    assert "Contoso" not in cells[2]


def test_the_log_reads_in_german(client_as, customer, customer_admin, story):
    client = client_as(customer_admin)
    client.cookies["django_language"] = "de"

    text = visible_text(audit_page(client, customer).content.decode())

    assert (
        "alice@fabrikam.example eingeladen als Granulare delegierte "
        "Administratorberechtigungen (GDAP), Reseller"
    ) in text
    assert "Techniker von Contoso" in text


def test_every_action_has_a_sentence():
    missing = sorted(set(ACTION_LABELS) - set(SENTENCES))

    assert missing == []


# Filters ----------------------------------------------------------------------------------


def test_filters_by_period_action_actor_and_object(client_as, customer, customer_admin, story):
    client = client_as(customer_admin)
    later = timezone.now() + timedelta(days=10)
    with time_machine.travel(later, tick=False):
        support_services.create_request(
            by=customer_admin, tenant=customer, title="Later one", description="x"
        )
        recent = visible_text(audit_page(client, customer, "?period=7d").content.decode())
        assert "Later one" in recent and "Printer offline" not in recent

    by_group = visible_text(audit_page(client, customer, "?action=invitation.").content.decode())
    assert "Accepted the invitation" in by_group and "support request" not in by_group

    by_actor = visible_text(
        audit_page(client, customer, "?actor=agent@contoso.example").content.decode()
    )
    assert "Printer offline" in by_actor and "Accepted the invitation" not in by_actor

    by_type = visible_text(
        audit_page(client, customer, "?object_type=support.supportrequest").content.decode()
    )
    assert "Printer offline" in by_type and "Invited" not in by_type


def test_the_action_filter_offers_labels_grouped_by_area(
    client_as, customer, customer_admin, story
):
    html = audit_page(client_as(customer_admin), customer).content.decode()

    assert '<option value="invitation.accepted">Invitation accepted</option>' in html
    assert 'value="invitation."' in html  # every invitation event at once
    assert ">invitation.accepted<" not in html


def test_bad_filters_never_fail(client_as, api_as, customer, customer_admin, story):
    client = client_as(customer_admin)
    for query in ("?period=nope", "?actor=" + "x" * 500, "?object=\x00", "?relationship=nope"):
        assert client.get(f"/t/{customer.pk}/audit/{query}").status_code == 200
    api = api_as(customer_admin)
    assert api.get(f"/api/v1/tenants/{customer.pk}/audit-events?period=nope").status_code == 400


def test_relationship_history_link_and_filter(
    client_as, customer, customer_admin, partner_tenant, partner_admin, story
):
    from relationships.models import DelegatedAdminRelationship, PartnerRelationship

    relationship = PartnerRelationship.objects.get(customer=customer, partner=partner_tenant)
    rel = DelegatedAdminRelationship.objects.filter(display_name="Contoso helpdesk").get()
    client = client_as(customer_admin)

    pane = client.get(f"/t/{customer.pk}/settings/partners/{partner_tenant.pk}/").content.decode()
    assert f'href="/t/{customer.pk}/audit/?relationship={relationship.pk}"' in pane
    gdap_pane = client.get(f"/t/{customer.pk}/gdap/{rel.pk}/").content.decode()
    assert f'href="/t/{customer.pk}/audit/?relationship={rel.pk}"' in gdap_pane
    partner_client = Client()
    partner_client.force_login(partner_admin)
    partner_customers = partner_client.get(f"/t/{partner_tenant.pk}/partner/customers/")
    assert f"/t/{partner_tenant.pk}/audit/?relationship={relationship.pk}" in (
        partner_customers.content.decode()
    )

    history = visible_text(
        audit_page(client, customer, f"?relationship={relationship.pk}").content.decode()
    )
    assert "Contoso" in history and "Accepted the invitation of Contoso" in history
    assert "Printer offline" in history  # its technician's work in the tenant
    only_gdap = visible_text(
        audit_page(client, customer, f"?relationship={rel.pk}").content.decode()
    )
    assert "Approved admin roles" in only_gdap and "Reseller" not in only_gdap
    # Another tenant's relationship id filters to nothing, and says nothing about it.
    foreign = visible_text(
        audit_page(client, customer, f"?relationship={uuid.uuid4()}").content.decode()
    )
    assert "No events match these filters." in foreign


# CSV ---------------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )


def test_csv_export_through_the_page_and_the_api(
    client_as, api_as, customer, customer_admin, story
):
    page_rows = read_csv(
        client_as(customer_admin).get(f"/t/{customer.pk}/audit/csv/?action=invitation.")
    )
    api_rows = read_csv(
        api_as(customer_admin).get(
            f"/api/v1/tenants/{customer.pk}/audit-events/export?action=invitation."
        )
    )

    assert [r["What"] for r in page_rows] == [r["What"] for r in api_rows]
    assert [r["Action"] for r in page_rows] == ["invitation.accepted", "invitation.sent"]
    assert page_rows[1]["Who"] == "pat@contoso.example"
    assert page_rows[1]["Organisation"] == "Contoso"
    assert page_rows[1]["Tenant"] == "Fabrikam"


def test_api_rows_carry_the_sentence(api_as, customer, customer_admin, story):
    rows = (
        api_as(customer_admin)
        .get(f"/api/v1/tenants/{customer.pk}/audit-events?actor=agent@contoso.example")
        .json()
    )

    (row,) = rows["results"]
    assert row["description"] == "Opened the support request “Printer offline” (normal)"
    assert row["actor"]["organisation"] == "Contoso"
    assert row["actor"]["is_partner_technician"] is True


def test_audit_page_queries_do_not_grow(
    client_as,
    customer,
    customer_admin,
    partner_tenant,
    partner_admin,
    django_assert_max_num_queries,
):
    from tests.partners.conftest import make_listing
    from tests.relationships.conftest import ASSIGNABLE

    make_listing("Contoso", tenant=partner_tenant, relationship_types=ASSIGNABLE)
    client = client_as(customer_admin)

    def invite(n):
        for i in range(n):
            services.send_invitation(
                by=partner_admin,
                partner=partner_tenant,
                email=f"c{i}@fabrikam.example",
                customer=customer,
                relationship_types=["reseller"],
            )

    invite(2)
    with django_assert_max_num_queries(30) as few:
        audit_page(client, customer)
    invite(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        audit_page(client, customer)
