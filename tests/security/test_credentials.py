"""Credential changes revoke what they should (issue 12, findings 8 and 10): a password
change or reset, deactivation, or losing the last membership ends the account's tokens and
its other sessions. Tokens never outlive their source."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from people import services as people
from tenants.models import ApiToken

pytestmark = pytest.mark.django_db


def _live_tokens(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _still_signed_in(client) -> bool:
    return client.get("/api/v1/me").status_code == 200


def test_a_tenant_password_reset_revokes_tokens_and_sessions(
    token_client, customer, customer_admin, plain_member
):
    _client, _token = token_client(plain_member)
    session = _signed_in(plain_member)

    people.reset_password(by=customer_admin, tenant=customer, user_id=plain_member.pk)

    assert _live_tokens(plain_member) == 0
    assert not _still_signed_in(session)


def test_changing_ones_own_password_keeps_this_session_only(token_client, plain_member):
    _client, _token = token_client(plain_member)
    other_session = _signed_in(plain_member)
    plain_member.set_password("old-Passw0rd!x")
    plain_member.save()
    this = Client()
    assert this.login(email=plain_member.email, password="old-Passw0rd!x")
    _client2, _token2 = token_client(plain_member, name="after")

    response = this.post(
        "/accounts/password/change/",
        {
            "oldpassword": "old-Passw0rd!x",
            "password1": "new-Passw0rd!y",
            "password2": "new-Passw0rd!y",
        },
    )

    assert response.status_code in (200, 302)
    assert _live_tokens(plain_member) == 0
    assert not _still_signed_in(other_session)
    assert SESSION_KEY in this.session and _still_signed_in(this)


def test_an_admin_password_change_revokes_tokens(token_client, plain_member, admin_client):
    _client, _token = token_client(plain_member)
    response = admin_client.post(
        f"/admin/tenants/user/{plain_member.pk}/password/",
        {"password1": "Adm1n-set-pass!", "password2": "Adm1n-set-pass!"},
    )
    assert response.status_code == 302
    assert _live_tokens(plain_member) == 0


def test_deactivation_in_the_admin_revokes_tokens(token_client, plain_member, admin_client):
    client, _token = token_client(plain_member)
    response = admin_client.post(
        f"/admin/tenants/user/{plain_member.pk}/change/",
        {
            "email": plain_member.email,
            "display_name": plain_member.display_name,
            "language": "",
            "is_active": "",  # unticked
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _live_tokens(plain_member) == 0
    assert client.get("/api/v1/me").status_code == 401


def test_losing_the_last_membership_revokes_tokens_and_sessions(
    token_client, customer, customer_admin, plain_member
):
    _client, _token = token_client(plain_member)
    session = _signed_in(plain_member)

    people.remove_member(by=customer_admin, tenant=customer, user_id=plain_member.pk)

    assert _live_tokens(plain_member) == 0
    assert not _still_signed_in(session)


def test_losing_one_of_two_memberships_keeps_them(
    token_client, customer, customer_admin, plain_member, outsider
):
    from tenants.models import Membership

    Membership.objects.create(user=plain_member, tenant=outsider)
    _client, _token = token_client(plain_member)

    people.remove_member(by=customer_admin, tenant=customer, user_id=plain_member.pk)

    assert _live_tokens(plain_member) == 1
