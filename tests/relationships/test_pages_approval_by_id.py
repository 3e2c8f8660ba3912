"""The approval page by GDAP relationship id, as Microsoft builds the customer's link.

A Graph client that locked a relationship for approval can give the customer
/partners/invitation/granularAdminRelationships/{id}/ without another call. The address is
no secret: it opens only for the customer's own administrators (for any tenant's, when the
relationship names no customer), and reads 404 for everyone else.
"""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation
from relationships.tokens import relationship_approval_url
from tests.factories import member
from tests.gdap_factories import DelegatedAdminRelationshipFactory, grant
from tests.relationships.conftest import HELPDESK

pytestmark = pytest.mark.django_db
Status = DelegatedAdminRelationship.Status


@pytest.fixture
def partner_tenant(partner_tenant, partner_profile):
    return partner_tenant


def url(rel):
    return f"/partners/invitation/granularAdminRelationships/{rel.pk}/"


@pytest.fixture
def locked(partner_admin, partner_tenant):
    """lockForApproval on a relationship (optionally naming a customer); returns it."""

    def _locked(customer=None):
        rel = services.create_relationship(
            by=partner_admin,
            partner=partner_tenant,
            display_name="Contoso helpdesk",
            duration=timedelta(days=90),
            role_ids=[HELPDESK],
            customer=customer,
        )
        services.lock_for_approval(by=partner_admin, partner=partner_tenant, relationship_id=rel.pk)
        return rel

    return _locked


def test_the_address_is_built_from_the_relationship_id(locked, customer, site_url):
    rel = locked(customer)

    assert relationship_approval_url(rel.pk) == site_url + url(rel)


def test_the_customers_admin_approves_through_it(client_as, customer_admin, customer, locked):
    rel = locked(customer)
    client = client_as(customer_admin)

    page = client.get(url(rel))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Contoso helpdesk" in body or "Helpdesk Administrator" in body
    assert f'action="{url(rel)}"' in body
    response = client.post(
        url(rel),
        {
            "tenant": str(customer.pk),
            "action": "accept",
            "roles": [HELPDESK],
            "accept_agreement": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rel.refresh_from_db()
    assert rel.status == Status.ACTIVE
    assert AuditEvent.objects.filter(action="gdap.approved").count() == 1


def test_the_customers_admin_declines_through_it(client_as, customer_admin, customer, locked):
    rel = locked(customer)

    response = client_as(customer_admin).post(
        url(rel), {"tenant": str(customer.pk), "action": "decline"}
    )

    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.status == Status.DECLINED
    assert Invitation.objects.get().status == Invitation.Status.DECLINED


@pytest.mark.parametrize("who", ["plain_member", "outsider_admin", "partner_admin"])
def test_nobody_else_gets_anything(request, client_as, customer, locked, who):
    rel = locked(customer)
    user = request.getfixturevalue(who)

    get = client_as(user).get(url(rel))
    post = client_as(user).post(
        url(rel), {"tenant": str(customer.pk), "action": "accept", "roles": [HELPDESK]}
    )

    assert get.status_code == 404
    assert post.status_code == 404
    assert "Contoso helpdesk" not in get.content.decode()
    rel.refresh_from_db()
    assert rel.status == Status.APPROVAL_PENDING


def test_delegated_admins_of_the_customer_are_nobody_here(
    client_as, customer, partner_tenant, locked, outsider
):
    rel = locked(customer)
    # Another partner's agent holds Global Administrator in Fabrikam through GDAP.
    agent = member(outsider, email="agent@northwind.example")
    grant(outsider, customer, agent, "Global Administrator")

    assert client_as(agent).get(url(rel)).status_code == 404


def test_without_a_named_customer_any_tenants_own_admin_may_open_it(
    client_as, outsider_admin, locked
):
    rel = locked()

    assert client_as(outsider_admin).get(url(rel)).status_code == 200


def test_unknown_or_malformed_ids_are_404(client_as, customer_admin):
    client = client_as(customer_admin)

    assert client.get("/partners/invitation/granularAdminRelationships/nope/").status_code == 404
    missing = DelegatedAdminRelationshipFactory(status=Status.CREATED)
    assert client.get(url(missing)).status_code == 404


def test_signed_out_visitors_sign_in_first(client, customer, locked):
    rel = locked(customer)

    response = client.get(url(rel))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_answered_request_shows_its_state_to_the_admin(
    client_as, customer_admin, customer, locked
):
    rel = locked(customer)
    client = client_as(customer_admin)
    client.post(url(rel), {"tenant": str(customer.pk), "action": "decline"})

    response = client.get(url(rel))

    assert response.status_code == 409
