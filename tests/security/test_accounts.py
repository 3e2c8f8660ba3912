"""An account belongs to its holder (issue 12, finding 1, critical).

The attack: sign up, create a tenant, add an existing account (support staff, a
superuser, anyone) by email, then reset its password and sign in as it. Now adding an
existing account only invites it; nothing touches its credentials until its holder
accepts, and no tenant ever touches the credentials of staff or of an account that
belongs to another tenant.
"""

import pytest

from people import services as people
from people.models import MembershipInvitation
from tenants.models import Membership, User
from tests.factories import TenantFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def attacker(db):
    """Anyone who signed up: the Global Administrator of a tenant they just created."""
    user = UserFactory(email="mallory@evil.example")
    tenant = people.create_tenant(by=user, name="Evil Corp", country="DE")
    return user, tenant


@pytest.fixture
def staff(db):
    return User.objects.create_user("sam@liaison.example", "pw", is_staff=True)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@liaison.example", "pw")


def users_url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/users"


@pytest.mark.parametrize("victim_kind", ["staff", "superuser", "lone", "member_elsewhere"])
def test_adding_an_existing_account_only_invites_it(
    api_as, attacker, staff, superuser, victim_kind, customer
):
    user, tenant = attacker
    victims = {
        "staff": staff,
        "superuser": superuser,
        "lone": UserFactory(email="lone@example.com"),
        "member_elsewhere": member(customer, "Global Administrator", email="g@fabrikam.example"),
    }
    victim = victims[victim_kind]
    password = victim.password

    response = api_as(user).post(users_url(tenant), {"email": victim.email}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "invited"
    assert MembershipInvitation.objects.filter(pk=body["invitation_id"], user=victim).exists()
    assert not Membership.objects.filter(tenant=tenant, user=victim).exists()
    # Not a member: the victim is out of reach of every user action.
    reset = api_as(user).post(f"{users_url(tenant)}/{victim.pk}/reset-password")
    assert reset.status_code == 404
    victim.refresh_from_db()
    assert victim.password == password


def test_the_holder_accepts_while_signed_in(api_as, attacker):
    user, tenant = attacker
    holder = UserFactory(email="holder@example.com")
    invited = api_as(user).post(users_url(tenant), {"email": holder.email}, format="json")
    invitation_id = invited.json()["invitation_id"]

    # Nobody else can answer it.
    other = UserFactory(email="other@example.com")
    url = f"/api/v1/me/membership-invitations/{invitation_id}/accept"
    assert api_as(other).post(url).status_code == 404
    assert api_as(holder).get("/api/v1/me/membership-invitations").json()["count"] == 1

    response = api_as(holder).post(url)

    assert response.status_code == 200
    assert Membership.objects.filter(tenant=tenant, user=holder).exists()
    assert api_as(holder).post(url).status_code == 409  # once


def test_staff_cannot_become_a_tenant_member(api_as, attacker, staff):
    user, tenant = attacker
    invited = api_as(user).post(users_url(tenant), {"email": staff.email}, format="json")
    url = f"/api/v1/me/membership-invitations/{invited.json()['invitation_id']}/accept"

    response = api_as(staff).post(url)

    assert response.status_code == 403
    assert not Membership.objects.filter(user=staff).exists()


def test_staff_cannot_create_a_tenant(staff):
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        people.create_tenant(by=staff, name="Support Co", country="DE")


def test_no_tenant_resets_the_password_of_an_account_of_another_tenant(
    api_as, customer, customer_admin
):
    shared = member(customer, email="shared@example.com")
    other = TenantFactory()
    Membership.objects.create(user=shared, tenant=other)
    password = shared.password

    response = api_as(customer_admin).post(f"{users_url(customer)}/{shared.pk}/reset-password")

    assert response.status_code == 409
    shared.refresh_from_db()
    assert shared.password == password


def test_a_staff_member_record_is_never_reset(api_as, customer, customer_admin, staff):
    # A membership made before this rule (or by hand) still gives no reach over staff.
    Membership.objects.create(user=staff, tenant=customer)
    password = staff.password

    response = api_as(customer_admin).post(f"{users_url(customer)}/{staff.pk}/reset-password")

    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.password == password
