"""The users page: list, details pane (page and htmx fragment), add, change roles, remove."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from roles.permissions import GLOBAL_ADMIN_ID, role_id
from tenants.models import Membership, User
from tests.factories import member

pytestmark = pytest.mark.django_db

USER_ADMIN_ID = role_id("User Administrator")
HELPDESK_ID = role_id("Helpdesk Administrator")
DIRECTORY_READERS_ID = role_id("Directory Readers")  # not privileged


def users_url(tenant):
    return reverse("tenant_users", args=[tenant.pk])


def user_url(tenant, user, name="tenant_user"):
    return reverse(name, args=[tenant.pk, user.pk])


# Reading -----------------------------------------------------------------------------------


def test_global_admin_sees_members_with_roles(client_as, customer, customer_admin, billing_admin):
    response = client_as(customer_admin).get(users_url(customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert customer_admin.email in body
    assert billing_admin.email in body
    assert "Billing Administrator" in body
    assert "badge-privileged" in body  # Global Administrator is privileged
    assert reverse("tenant_user_add", args=[customer.pk]) in body


def test_plain_member_is_refused_the_users_page(client_as, customer, plain_member):
    assert client_as(plain_member).get(users_url(customer)).status_code == 403


def test_billing_admin_is_refused_the_users_page(client_as, customer, billing_admin):
    assert client_as(billing_admin).get(users_url(customer)).status_code == 403


def test_outsider_admin_gets_404_on_customer_users(client_as, customer, outsider_admin):
    assert client_as(outsider_admin).get(users_url(customer)).status_code == 404


def test_signed_out_users_page_redirects_to_login(client, customer):
    response = client.get(users_url(customer))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_global_reader_sees_list_without_manage_actions(client_as, customer, customer_admin):
    reader = member(customer, "Global Reader")
    response = client_as(reader).get(user_url(customer, customer_admin))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("tenant_user_add", args=[customer.pk]) not in body
    assert reverse("tenant_user_remove", args=[customer.pk, customer_admin.pk]) not in body
    assert reverse("tenant_user_roles", args=[customer.pk, customer_admin.pk]) not in body


def test_search_filters_members(client_as, customer, customer_admin, billing_admin):
    response = client_as(customer_admin).get(users_url(customer), {"q": "bob@"})
    assert response.status_code == 200
    body = response.content.decode()
    assert billing_admin.email in body
    assert customer_admin.email not in body.split('id="pane"')[0].split("</form>", 2)[-1]


def test_users_list_paginates(client_as, customer, customer_admin):
    for n in range(30):
        member(customer, email=f"m{n:02d}@fabrikam.example")
    client = client_as(customer_admin)
    first = client.get(users_url(customer)).content.decode()
    second = client.get(users_url(customer), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert "m29@fabrikam.example" not in first
    assert "m29@fabrikam.example" in second


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_users_list_runs_constant_queries(
    client_as, customer, customer_admin, django_assert_max_num_queries
):
    client = client_as(customer_admin)
    url = users_url(customer)
    client.get(url)  # warm the catalog cache and the session
    few = _count_queries(client, url)
    for _ in range(20):
        member(customer, "User Administrator", "Helpdesk Administrator")
    many = _count_queries(client, url)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(url)


def test_member_page_opens_the_details_pane(client_as, customer, customer_admin, billing_admin):
    response = client_as(customer_admin).get(user_url(customer, billing_admin))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert 'id="pane-title"' in body
    assert reverse("tenant_user_roles", args=[customer.pk, billing_admin.pk]) in body
    assert 'class="confirm"' in body


def test_htmx_request_gets_only_the_pane_fragment(
    client_as, customer, customer_admin, billing_admin
):
    response = client_as(customer_admin).get(
        user_url(customer, billing_admin), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="pane-title"' in body
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(
    client_as, customer, customer_admin, billing_admin
):
    response = client_as(customer_admin).get(
        user_url(customer, billing_admin),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_foreign_user_id_answers_404(client_as, customer, customer_admin, outsider_admin):
    client = client_as(customer_admin)
    assert client.get(user_url(customer, outsider_admin)).status_code == 404
    assert client.get(f"/t/{customer.pk}/users/not-a-uuid/").status_code == 404
    assert client.get(f"/t/{customer.pk}/users/{uuid.uuid4()}/").status_code == 404


def test_outsider_admin_gets_404_on_a_customer_member(
    client_as, customer, outsider_admin, billing_admin
):
    assert client_as(outsider_admin).get(user_url(customer, billing_admin)).status_code == 404


# Adding ------------------------------------------------------------------------------------


def test_add_user_form_renders_with_the_catalog(client_as, customer, customer_admin):
    response = client_as(customer_admin).get(reverse("tenant_user_add", args=[customer.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "User Administrator" in body
    assert "data-filter" in body


def test_global_admin_adds_member_with_role(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(
        reverse("tenant_user_add", args=[customer.pk]),
        {
            "email": "dave@fabrikam.example",
            "display_name": "Dave",
            "roles": [str(USER_ADMIN_ID)],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="dave@fabrikam.example")
    assert response.url == user_url(customer, user)
    membership = Membership.objects.get(user=user, tenant=customer)
    assert list(membership.roles.values_list("id", flat=True)) == [USER_ADMIN_ID]
    assert AuditEvent.objects.count() == 1
    assert AuditEvent.objects.get().action == "membership.created"


def test_user_admin_adds_member_without_privileged_role(client_as, customer):
    user_admin = member(customer, "User Administrator")
    response = client_as(user_admin).post(
        reverse("tenant_user_add", args=[customer.pk]),
        {"email": "erin@fabrikam.example", "roles": [str(DIRECTORY_READERS_ID)]},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(tenant=customer, user__email="erin@fabrikam.example").exists()


def test_user_admin_cannot_add_a_privileged_role(client_as, customer):
    user_admin = member(customer, "User Administrator")
    response = client_as(user_admin).post(
        reverse("tenant_user_add", args=[customer.pk]),
        {"email": "frank@fabrikam.example", "roles": [str(GLOBAL_ADMIN_ID)]},
    )
    assert response.status_code == 400
    assert "right to assign roles" in response.content.decode()
    assert not User.objects.filter(email="frank@fabrikam.example").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email"},
        {"email": ""},
        {"email": "x@fabrikam.example", "roles": ["not-a-role"]},
        {"email": "x@fabrikam.example", "roles": [str(uuid.uuid4())]},
    ],
)
def test_add_member_with_bad_input_shows_form_errors(client_as, customer, customer_admin, data):
    response = client_as(customer_admin).post(reverse("tenant_user_add", args=[customer.pk]), data)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert Membership.objects.filter(tenant=customer).count() == 1
    assert not AuditEvent.objects.exists()


def test_adding_an_existing_member_shows_a_form_error(
    client_as, customer, customer_admin, billing_admin
):
    response = client_as(customer_admin).post(
        reverse("tenant_user_add", args=[customer.pk]), {"email": billing_admin.email}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_plain_member_cannot_add_users(client_as, customer, plain_member):
    client = client_as(plain_member)
    url = reverse("tenant_user_add", args=[customer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "z@fabrikam.example"}).status_code == 403
    assert not User.objects.filter(email="z@fabrikam.example").exists()


def test_outsider_admin_cannot_add_to_customer(client_as, customer, outsider_admin):
    response = client_as(outsider_admin).post(
        reverse("tenant_user_add", args=[customer.pk]), {"email": "z@fabrikam.example"}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="z@fabrikam.example").exists()


# Changing roles ----------------------------------------------------------------------------


def test_global_admin_changes_member_roles(client_as, customer, customer_admin, plain_member):
    response = client_as(customer_admin).post(
        user_url(customer, plain_member, "tenant_user_roles"),
        {"roles": [str(USER_ADMIN_ID), str(HELPDESK_ID)]},
    )
    assert response.status_code == 302
    assert response.url == user_url(customer, plain_member)
    membership = Membership.objects.get(tenant=customer, user=plain_member)
    assert set(membership.roles.values_list("id", flat=True)) == {USER_ADMIN_ID, HELPDESK_ID}
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["membership.roles_changed"]


def test_user_admin_cannot_change_roles(client_as, customer, plain_member):
    user_admin = member(customer, "User Administrator")
    client = client_as(user_admin)
    pane = client.get(user_url(customer, plain_member)).content.decode()
    assert user_url(customer, plain_member, "tenant_user_roles") not in pane
    response = client.post(
        user_url(customer, plain_member, "tenant_user_roles"), {"roles": [str(USER_ADMIN_ID)]}
    )
    assert response.status_code == 403
    assert not Membership.objects.get(tenant=customer, user=plain_member).roles.exists()


def test_last_global_admin_keeps_the_role(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(
        user_url(customer, customer_admin, "tenant_user_roles"), {"roles": []}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(tenant=customer, user=customer_admin)
    assert membership.roles.filter(id=GLOBAL_ADMIN_ID).exists()
    assert not AuditEvent.objects.exists()


def test_bad_role_id_does_not_change_roles(client_as, customer, customer_admin, plain_member):
    response = client_as(customer_admin).post(
        user_url(customer, plain_member, "tenant_user_roles"), {"roles": ["nope"]}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_changing_roles_of_a_foreign_user_answers_404(
    client_as, customer, customer_admin, outsider_admin
):
    response = client_as(customer_admin).post(
        user_url(customer, outsider_admin, "tenant_user_roles"), {"roles": [str(USER_ADMIN_ID)]}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


# Removing ----------------------------------------------------------------------------------


def test_remove_confirmation_page_renders(client_as, customer, customer_admin, plain_member):
    response = client_as(customer_admin).get(user_url(customer, plain_member, "tenant_user_remove"))
    assert response.status_code == 200
    assert plain_member.email in response.content.decode()


def test_global_admin_removes_member(client_as, customer, customer_admin, plain_member):
    response = client_as(customer_admin).post(
        user_url(customer, plain_member, "tenant_user_remove")
    )
    assert response.status_code == 302
    assert response.url == users_url(customer)
    assert not Membership.objects.filter(tenant=customer, user=plain_member).exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["membership.removed"]


def test_last_global_admin_cannot_be_removed(client_as, customer, customer_admin):
    client = client_as(customer_admin)
    response = client.post(user_url(customer, customer_admin, "tenant_user_remove"))
    assert response.status_code == 302
    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()
    assert not AuditEvent.objects.exists()
    page = client.get(response.url).content.decode()
    assert "at least one Global Administrator" in page


def test_plain_member_cannot_remove(client_as, customer, plain_member, billing_admin):
    response = client_as(plain_member).post(user_url(customer, billing_admin, "tenant_user_remove"))
    assert response.status_code == 403
    assert Membership.objects.filter(tenant=customer, user=billing_admin).exists()


def test_removing_a_foreign_user_answers_404(client_as, customer, customer_admin, outsider_admin):
    response = client_as(customer_admin).post(
        user_url(customer, outsider_admin, "tenant_user_remove")
    )
    assert response.status_code == 404
    assert Membership.objects.filter(user=outsider_admin).exists()
