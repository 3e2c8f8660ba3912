"""Each side acts for itself (issue 12, findings 4, 10 and 11).

Partner-side acts need the partner's own people; customer-side acts the customer's own
administrators. No delegated grant of any partner reaches either: partner B's staff
with Global Administrator in customer C must not touch partner A's relationship with C.
"""

import pytest

from core.errors import InvalidState, PermissionDenied, ValidationError
from partners import services as partner_services
from relationships import services
from relationships.models import DelegatedAdminRelationship
from tests.factories import TenantFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory, grant
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.django_db

HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"


@pytest.fixture
def rival():
    """Partner B, whose agent holds Global Administrator in the customer through GDAP."""
    tenant = TenantFactory(name="Rival", slug="rival")
    agent = member(tenant, "Global Administrator", email="agent@rival.example")
    return tenant, agent


@pytest.fixture
def rival_in_customer(rival, customer):
    tenant, agent = rival
    grant(tenant, customer, agent, "Global Administrator")
    return agent


@pytest.fixture
def contoso_gdap(partner_tenant, customer):
    return DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)


def test_another_partners_staff_cannot_terminate_a_relationship(
    customer, rival_in_customer, contoso_gdap
):
    with pytest.raises(PermissionDenied):
        services.terminate_relationship(
            by=rival_in_customer, tenant=customer, relationship_id=contoso_gdap.pk
        )
    contoso_gdap.refresh_from_db()
    assert contoso_gdap.status == DelegatedAdminRelationship.Status.ACTIVE


def test_another_partners_staff_cannot_remove_roles_or_ask_to_end(
    customer, partner_tenant, rival_in_customer, contoso_gdap
):
    from relationships.services.acceptance import _steps

    _steps.add_types(customer=customer, partner=partner_tenant, codes=["gdap"])
    with pytest.raises(PermissionDenied):
        services.remove_partner_roles(
            by=rival_in_customer, customer=customer, partner_id=partner_tenant.pk
        )
    with pytest.raises(PermissionDenied):
        services.request_end(by=rival_in_customer, customer=customer, partner_id=partner_tenant.pk)


def test_delegated_staff_cannot_make_the_customer_a_partner(customer, rival_in_customer):
    with pytest.raises(PermissionDenied):
        partner_services.save_partner_profile(
            by=rival_in_customer,
            tenant=customer,
            data={"name": "Fabrikam Partner", "lead_email": "x@fabrikam.example"},
        )


def test_delegated_staff_cannot_act_for_a_partner_tenant_it_manages(
    rival, partner_tenant, partner_admin
):
    """Partner A is also B's customer: B's staff there still cannot act as A."""
    tenant, agent = rival
    make_listing("Contoso", tenant=partner_tenant, relationship_types=["gdap"])
    grant(tenant, partner_tenant, agent, "Global Administrator")
    with pytest.raises(PermissionDenied):
        services.send_invitation(
            by=agent,
            partner=partner_tenant,
            email="victim@example.com",
            relationship_types=["gdap"],
            gdap_request={
                "display_name": "sneaky",
                "duration": __import__("datetime").timedelta(days=30),
                "role_ids": [HELPDESK],
            },
        )


def test_a_tenant_without_a_partner_profile_creates_no_gdap_relationship(customer_admin, customer):
    with pytest.raises(InvalidState):
        services.create_relationship(
            by=customer_admin,
            partner=customer,
            display_name="no profile",
            duration=__import__("datetime").timedelta(days=30),
            role_ids=[HELPDESK],
        )
    assert not DelegatedAdminRelationship.objects.filter(partner=customer).exists()


@pytest.mark.parametrize("role", [None, "Helpdesk Administrator"])
def test_contact_me_is_an_admin_action(customer, partner_tenant, role):
    from partners.models import Lead

    listing = make_listing("Contoso", tenant=partner_tenant)
    someone = member(customer, *([role] if role else []), email="someone@fabrikam.example")
    with pytest.raises(PermissionDenied):
        partner_services.submit_lead(
            by=someone,
            partner_id=listing.pk,
            data={
                "tenant_id": str(customer.pk),
                "country": "DE",
                "contact_name": "S",
                "email": "s@fabrikam.example",
                "org_size": "",
                "business_needs": "help",
            },
        )
    assert not Lead.objects.exists()


@pytest.mark.parametrize("kind", ["oem", "isv"])
def test_an_oem_or_isv_gets_no_partner_user_account(customer, customer_admin, partner_tenant, kind):
    from people import services as people
    from relationships.services import _steps

    _steps.add_types(customer=customer, partner=partner_tenant, codes=[kind])
    with pytest.raises(ValidationError):
        people.add_member(
            by=customer_admin,
            tenant=customer,
            email="oem-person@contoso.example",
            role_ids=["62e90394-69f5-4237-9190-012177145e10"],
            partner_tenant_id=partner_tenant.pk,
        )
