"""The partner's leads inbox: scoping, filters, the status table, query counts."""

import pytest

from audit.models import AuditEvent
from partners.models import LEAD_TRANSITIONS, Industry, Lead, OrganizationSize
from tests.factories import TenantFactory


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


@pytest.fixture
def lead(partner_tenant, customer, listed_partner):
    return make_lead(partner_tenant, customer)


def url(tenant, lead=None):
    base = f"/api/v1/tenants/{tenant.pk}/leads"
    return f"{base}/{lead.pk}" if lead else base


def test_partner_admin_lists_leads(api_as, partner_admin, partner_tenant, lead):
    r = api_as(partner_admin).get(url(partner_tenant))
    assert r.status_code == 200
    row = r.json()["results"][0]
    assert row["id"] == str(lead.pk)
    assert row["status"] == "new"
    assert row["customer"]["name"] == "Fabrikam"
    assert row["next_statuses"] == ["contacted"]


def test_status_filter_and_search(api_as, partner_admin, partner_tenant, customer, listed_partner):
    make_lead(partner_tenant, customer, org_name="Tailspin Toys", status="contacted")
    make_lead(partner_tenant, customer, org_name="Wide World Importers")
    client = api_as(partner_admin)
    r = client.get(url(partner_tenant), {"status": "contacted"})
    assert [row["org_name"] for row in r.json()["results"]] == ["Tailspin Toys"]
    r = client.get(url(partner_tenant), {"q": "wide world"})
    assert [row["org_name"] for row in r.json()["results"]] == ["Wide World Importers"]
    assert client.get(url(partner_tenant), {"status": "bogus"}).status_code == 400


def test_foreign_tenant_cannot_read_another_partners_leads(
    api_as, outsider_admin, outsider, partner_tenant, lead
):
    client = api_as(outsider_admin)
    assert client.get(url(partner_tenant)).status_code == 404
    assert client.get(url(partner_tenant, lead)).status_code == 404
    # Its own tenant with the other partner's lead id: not found either.
    assert client.get(url(outsider, lead)).status_code == 404
    r = client.patch(url(outsider, lead), {"status": "contacted"}, format="json")
    assert r.status_code == 404
    lead.refresh_from_db()
    assert lead.status == "new"


def test_customer_does_not_see_the_partners_leads(api_as, customer_admin, customer, lead):
    r = api_as(customer_admin).get(url(customer))
    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_status_moves_along_the_table(api_as, partner_admin, partner_tenant, lead):
    client = api_as(partner_admin)
    r = client.patch(url(partner_tenant, lead), {"status": "contacted"}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "contacted"
    r = client.patch(url(partner_tenant, lead), {"status": "converted"}, format="json")
    assert r.status_code == 200
    assert [e.action for e in AuditEvent.objects.order_by("occurred_at")] == [
        "lead.contacted",
        "lead.converted",
    ]


@pytest.mark.parametrize(
    "start, target, code",
    [
        ("new", "converted", 409),
        ("new", "closed", 409),
        ("converted", "new", 409),
        ("closed", "contacted", 409),
        ("contacted", "new", 409),
        ("new", "contacted", 200),
        ("contacted", "closed", 200),
        ("new", "new", 200),
        ("new", "archived", 400),
    ],
)
def test_status_table(api_as, partner_admin, partner_tenant, lead, start, target, code):
    Lead.objects.filter(pk=lead.pk).update(status=start)
    r = api_as(partner_admin).patch(url(partner_tenant, lead), {"status": target}, format="json")
    assert r.status_code == code, r.content
    if code == 409:
        assert r.json()["code"] == "invalid_state"
    lead.refresh_from_db()
    assert lead.status == (target if code == 200 else start)


def test_table_matches_design():
    assert {(s, t) for (s, _e), t in LEAD_TRANSITIONS.items()} == {
        ("new", "contacted"),
        ("contacted", "converted"),
        ("contacted", "closed"),
    }


def test_same_status_writes_no_audit_event(api_as, partner_admin, partner_tenant, lead):
    r = api_as(partner_admin).patch(url(partner_tenant, lead), {"status": "new"}, format="json")
    assert r.status_code == 200
    assert not AuditEvent.objects.exists()


def test_partner_agent_without_roles_is_403(api_as, partner_agent, partner_tenant, lead):
    client = api_as(partner_agent)
    assert client.get(url(partner_tenant)).status_code == 403
    r = client.patch(url(partner_tenant, lead), {"status": "contacted"}, format="json")
    assert r.status_code == 403


@pytest.mark.parametrize("rows", [1, 25])
def test_leads_list_queries_do_not_grow(
    api_as, partner_admin, partner_tenant, listed_partner, rows, django_assert_max_num_queries
):
    customers = [TenantFactory(name=f"Customer {i}") for i in range(rows)]
    for customer in customers:
        make_lead(partner_tenant, customer)
    client = api_as(partner_admin)
    # Session, user, tenant, the resolver's grant sources, then count + page: the same
    # bound for one lead and for many.
    with django_assert_max_num_queries(8):
        r = client.get(url(partner_tenant))
    assert r.status_code == 200
    assert r.json()["count"] == rows


def test_inbox_page_lists_and_shows_a_lead(client_as, partner_admin, partner_tenant, lead):
    client = client_as(partner_admin)
    page = client.get(f"/t/{partner_tenant.pk}/leads/")
    assert page.status_code == 200
    assert "Fabrikam, Inc." in page.content.decode()
    detail = client.get(f"/t/{partner_tenant.pk}/leads/{lead.pk}/")
    assert detail.status_code == 200
    content = detail.content.decode()
    assert "Teams rollout." in content
    assert "Mark as contacted" in content
    r = client.post(f"/t/{partner_tenant.pk}/leads/{lead.pk}/status/", {"status": "contacted"})
    assert r.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "contacted"


def test_inbox_page_of_another_tenant_is_404(client_as, outsider_admin, partner_tenant, lead):
    client = client_as(outsider_admin)
    assert client.get(f"/t/{partner_tenant.pk}/leads/").status_code == 404
    assert client.get(f"/t/{partner_tenant.pk}/leads/{lead.pk}/").status_code == 404


def test_invalid_move_on_the_page_shows_a_message(client_as, partner_admin, partner_tenant, lead):
    client = client_as(partner_admin)
    r = client.post(
        f"/t/{partner_tenant.pk}/leads/{lead.pk}/status/", {"status": "converted"}, follow=True
    )
    assert r.status_code == 200
    assert "cannot become" in r.content.decode()
    lead.refresh_from_db()
    assert lead.status == "new"
