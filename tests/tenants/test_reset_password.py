"""Password resets: shown once, restricted roles reach non-admins only, audited."""

import pytest

from audit.models import AuditEvent
from tests.factories import MembershipFactory, TenantFactory, member


@pytest.fixture
def helpdesk(customer):
    return member(customer, "Helpdesk Administrator", email="hanna@fabrikam.example")


def url(tenant, user):
    return f"/api/v1/tenants/{tenant.id}/users/{user.id}/reset-password"


def test_helpdesk_resets_a_plain_members_password(api_as, customer, helpdesk, plain_member):
    response = api_as(helpdesk).post(url(customer, plain_member))

    assert response.status_code == 200
    temporary = response.json()["temporary_password"]
    assert response["Cache-Control"] == "no-store"
    plain_member.refresh_from_db()
    assert plain_member.check_password(temporary)
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor == helpdesk and event.target_tenant == customer


def test_helpdesk_cannot_reset_an_admins_password(api_as, customer, helpdesk, customer_admin):
    response = api_as(helpdesk).post(url(customer, customer_admin))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_global_admin_resets_an_admins_password(api_as, customer, customer_admin, helpdesk):
    response = api_as(customer_admin).post(url(customer, helpdesk))

    assert response.status_code == 200


def test_plain_member_cannot_reset(api_as, customer, plain_member, helpdesk):
    assert api_as(plain_member).post(url(customer, helpdesk)).status_code == 403


def test_user_of_several_organisations_is_refused(api_as, customer, customer_admin, plain_member):
    MembershipFactory(user=plain_member, tenant=TenantFactory(name="Elsewhere"))

    response = api_as(customer_admin).post(url(customer, plain_member))

    assert response.status_code == 409


def test_foreign_user_is_404(api_as, customer, customer_admin, outsider_admin):
    assert api_as(customer_admin).post(url(customer, outsider_admin)).status_code == 404


def test_reset_page_shows_the_password_once(client_as, customer, helpdesk, plain_member):
    client = client_as(helpdesk)
    page = f"/t/{customer.id}/users/{plain_member.id}/reset-password/"

    assert client.get(page).status_code == 200
    response = client.post(page)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert b"temporary-password" in response.content
    pane = client.get(f"/t/{customer.id}/users/{plain_member.id}/")
    assert b"reset-password" in pane.content
