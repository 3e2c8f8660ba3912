"""Security events are audited (issue 12, finding 7): sign-ins and failed sign-ins with IP
and user agent, an admin deleting a user's authenticator, Django group and permission
changes; and a user sees their own sign-in history."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.test import Client

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Corr3ct-Horse!"


@pytest.fixture
def person(plain_member):
    plain_member.set_password(PASSWORD)
    plain_member.save()
    return plain_member


def _sign_in(email, password):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (attack-suite)", REMOTE_ADDR="203.0.113.7")
    client.post("/accounts/login/", {"login": email, "password": password})
    return client


def test_a_sign_in_is_audited_with_ip_and_user_agent(person):
    _sign_in(person.email, PASSWORD)

    event = AuditEvent.objects.get(action="user.signed_in")
    assert event.actor == person
    assert event.ip == "203.0.113.7"
    assert event.after["user_agent"] == "Mozilla/5.0 (attack-suite)"


def test_a_failed_sign_in_is_audited_without_the_password(person):
    _sign_in(person.email, "wrong-password")

    event = AuditEvent.objects.get(action="user.sign_in_failed")
    assert event.actor_email == person.email
    assert event.object_id == str(person.pk)  # the account it was aimed at
    assert event.ip == "203.0.113.7"
    assert "wrong-password" not in str(event.after) + str(event.before)


def test_a_user_sees_their_own_sign_in_history(person, plain_member):
    _sign_in(person.email, "wrong-password")
    client = _sign_in(person.email, PASSWORD)

    page = client.get("/profile/sign-ins/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "203.0.113.7" in body
    assert "attack-suite" in body
    assert body.count("<tr") >= 3  # header, the success and the failure


def test_an_admin_deleting_a_users_authenticator_is_audited(admin_client, plain_member):
    authenticator = Authenticator.objects.create(
        user=plain_member, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    response = admin_client.post(
        f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.object_deleted")
    assert event.object_type == "mfa.authenticator"
    assert event.actor_kind == "staff"


def test_group_and_permission_changes_are_audited(admin_client, plain_member):
    group = Group.objects.create(name="Auditors")
    permission = Permission.objects.get(codename="view_auditevent")

    admin_client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": "Auditors", "permissions": [permission.pk]},
    )

    event = AuditEvent.objects.filter(action="auth.group_permissions_changed").get()
    assert "audit.view_auditevent" in event.after["added"]
