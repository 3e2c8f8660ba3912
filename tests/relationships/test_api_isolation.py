"""Isolation (another tenant's ids answer 404) and lists whose queries do not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import selectors as agreements
from agreements.models import AgreementAcceptance
from relationships import services
from relationships.models import Invitation, PartnerRelationship
from roles import catalog
from roles.permissions import role_id
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.partners.conftest import make_listing
from tests.relationships.conftest import ASSIGNABLE, client_for, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def contoso_invitation(send, customer):
    response = send(customer_tenant_id=str(customer.pk))
    assert response.status_code == 201
    return response.json()["id"], token_of(response)


# Another tenant's admin, with Fabrikam's and Contoso's ids -----------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/tenants/{customer}/invitations"),
        ("get", "/api/v1/tenants/{customer}/partner-relationships"),
        ("get", "/api/v1/tenants/{customer}/partner-relationships/{partner}"),
        ("post", "/api/v1/tenants/{customer}/partner-relationships/{partner}/remove-roles"),
        ("post", "/api/v1/tenants/{customer}/partner-relationships/{partner}/request-end"),
        ("get", "/api/v1/tenants/{customer}/agreement"),
        ("post", "/api/v1/tenants/{customer}/agreement/accept"),
        ("get", "/api/v1/tenants/{partner}/invitations"),
        ("post", "/api/v1/tenants/{partner}/invitations"),
        ("post", "/api/v1/tenants/{partner}/invitations/{invitation}/resend"),
        ("post", "/api/v1/tenants/{partner}/invitations/{invitation}/cancel"),
        ("get", "/api/v1/tenants/{partner}/customers"),
        ("post", "/api/v1/tenants/{partner}/customers/{customer}/end-types"),
    ],
)
def test_outsider_gets_404_on_others_tenants(
    accepted, contoso_invitation, outsider_admin, customer, partner_tenant, method, path
):
    url = path.format(
        customer=customer.pk, partner=partner_tenant.pk, invitation=contoso_invitation[0]
    )
    body = {"relationship_types": ["reseller"], "version": "1.0", "attest": True}

    response = getattr(client_for(outsider_admin), method)(url, body, format="json")

    assert response.status_code == 404, (url, response.json())


@pytest.fixture
def northwind_partner(outsider):
    return make_listing("Northwind", tenant=outsider, relationship_types=ASSIGNABLE)


def test_another_partner_cannot_touch_contoso_invitations(
    accepted, contoso_invitation, northwind_partner, outsider, outsider_admin
):
    api = client_for(outsider_admin)
    base = f"/api/v1/tenants/{outsider.pk}/invitations/{contoso_invitation[0]}"

    assert api.post(base + "/resend").status_code == 404
    assert api.post(base + "/cancel").status_code == 404
    assert api.get(f"/api/v1/tenants/{outsider.pk}/invitations?direction=sent").json()["count"] == 0
    assert Invitation.objects.get(pk=contoso_invitation[0]).status == "pending"


def test_another_partner_cannot_end_contoso_types(
    accepted, northwind_partner, outsider, outsider_admin, customer
):
    response = client_for(outsider_admin).post(
        f"/api/v1/tenants/{outsider.pk}/customers/{customer.pk}/end-types",
        {"relationship_types": ["reseller"]},
        format="json",
    )

    assert response.status_code == 404
    assert PartnerRelationship.objects.get().types == ["gdap", "reseller"]


@pytest.mark.parametrize("action", ["", "/remove-roles", "/request-end"])
def test_customer_without_that_partner_gets_404(
    accepted, outsider, outsider_admin, partner_tenant, action
):
    url = f"/api/v1/tenants/{outsider.pk}/partner-relationships/{partner_tenant.pk}{action}"
    api = client_for(outsider_admin)

    response = api.get(url) if not action else api.post(url)

    assert response.status_code == 404


def test_malformed_ids_are_404(accepted, customer, customer_admin, partner_admin, partner_tenant):
    assert (
        client_for(customer_admin)
        .get(f"/api/v1/tenants/{customer.pk}/partner-relationships/not-a-uuid")
        .status_code
        == 404
    )
    assert (
        client_for(partner_admin)
        .post(f"/api/v1/tenants/{partner_tenant.pk}/invitations/not-a-uuid/cancel")
        .status_code
        == 404
    )


def test_received_list_shows_only_invitations_to_this_tenant(
    contoso_invitation, sent, outsider, outsider_admin
):
    sent(customer_tenant_id=str(outsider.pk))

    response = client_for(outsider_admin).get(f"/api/v1/tenants/{outsider.pk}/invitations")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["customer_tenant_id"] == str(outsider.pk)


# Constant queries ------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries)


def grow(make_rows, client, url, max_queries, django_assert_max_num_queries, expected_count):
    make_rows(3)
    few = count_queries(client, url)
    make_rows(27)
    with django_assert_max_num_queries(max_queries):
        many = count_queries(client, url)
    assert client.get(url + ("&" if "?" in url else "?") + "page_size=100").json()["count"] == (
        expected_count
    )
    assert many == few


def test_sent_invitations_list_queries_do_not_grow(
    partner_profile, partner_admin, partner_tenant, django_assert_max_num_queries
):
    def make_rows(n):
        for i in range(n):
            gdap = None
            if i % 2:
                gdap = {
                    "display_name": f"Grant {Invitation.objects.count()}",
                    "duration": timedelta(days=30),
                    "role_ids": [role_id("Helpdesk Administrator")],
                    "auto_extend_duration": timedelta(0),
                }
            services.send_invitation(
                by=partner_admin,
                partner=partner_tenant,
                email=f"c{i}@example.com",
                customer=TenantFactory(),
                relationship_types=["gdap"] if gdap else ["reseller"],
                gdap_request=gdap,
            )

    grow(
        make_rows,
        client_for(partner_admin),
        f"/api/v1/tenants/{partner_tenant.pk}/invitations?direction=sent&page_size=100",
        12,
        django_assert_max_num_queries,
        30,
    )


def test_received_invitations_list_queries_do_not_grow(
    customer, customer_admin, django_assert_max_num_queries
):
    def make_rows(n):
        for _ in range(n):
            partner = TenantFactory()
            make_listing(partner.name, tenant=partner, relationship_types=ASSIGNABLE)
            admin = UserFactory()
            MembershipFactory(user=admin, tenant=partner, roles=["Global Administrator"])
            services.send_invitation(
                by=admin,
                partner=partner,
                email="alice@fabrikam.example",
                customer=customer,
                relationship_types=["gdap"],
                gdap_request={
                    "display_name": "Grant",
                    "duration": timedelta(days=30),
                    "role_ids": [role_id("Helpdesk Administrator")],
                    "auto_extend_duration": timedelta(0),
                },
            )

    grow(
        make_rows,
        client_for(customer_admin),
        f"/api/v1/tenants/{customer.pk}/invitations?page_size=100",
        12,
        django_assert_max_num_queries,
        30,
    )


def test_customers_list_queries_do_not_grow(
    partner_tenant, partner_admin, django_assert_max_num_queries
):
    version = agreements.current_version()

    def make_rows(n):
        for i in range(n):
            customer = TenantFactory()
            PartnerRelationship.objects.create(
                customer=customer, partner=partner_tenant, types=["gdap", "reseller"]
            )
            DelegatedAdminRelationshipFactory(
                partner=partner_tenant, customer=customer, roles=["User Administrator"]
            )
            if i % 2:
                AgreementAcceptance.objects.create(
                    tenant=customer, version=version, attestation="x", name="A", email="a@x.io"
                )

    grow(
        make_rows,
        client_for(partner_admin),
        f"/api/v1/tenants/{partner_tenant.pk}/customers?page_size=100",
        12,
        django_assert_max_num_queries,
        30,
    )


def test_partner_relationships_list_queries_do_not_grow(
    customer, customer_admin, django_assert_max_num_queries
):
    reader = catalog.get_roles([role_id("Global Reader")])

    def make_rows(n):
        for _ in range(n):
            partner = TenantFactory()
            make_listing(partner.name, tenant=partner, relationship_types=ASSIGNABLE)
            PartnerRelationship.objects.create(
                customer=customer, partner=partner, types=["gdap", "partner_user_account"]
            )
            DelegatedAdminRelationshipFactory(
                partner=partner, customer=customer, roles=["User Administrator"]
            )
            account = MembershipFactory(tenant=customer, partner_tenant=partner)
            account.roles.set(reader)

    grow(
        make_rows,
        client_for(customer_admin),
        f"/api/v1/tenants/{customer.pk}/partner-relationships?page_size=100",
        14,
        django_assert_max_num_queries,
        30,
    )
