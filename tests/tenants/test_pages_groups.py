"""Security group pages: list, create, rename, members, delete."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from tenants.models import SecurityGroup
from tests.factories import SecurityGroupFactory, member

pytestmark = pytest.mark.django_db


def groups_url(tenant):
    return reverse("tenant_groups", args=[tenant.pk])


def group_url(tenant, group, name="tenant_group"):
    return reverse(name, args=[tenant.pk, group.pk])


@pytest.fixture
def helpdesk(customer, customer_admin, plain_member):
    return SecurityGroupFactory(
        tenant=customer, name="Helpdesk", members=[customer_admin, plain_member]
    )


@pytest.fixture
def foreign_group(outsider, outsider_admin):
    return SecurityGroupFactory(tenant=outsider, name="Northwind ops", members=[outsider_admin])


# List and create ---------------------------------------------------------------------------


def test_global_admin_sees_groups_with_member_counts(client_as, customer, customer_admin, helpdesk):
    response = client_as(customer_admin).get(groups_url(customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Helpdesk" in body
    assert '<td class="num">2</td>' in body
    assert "Create a group" in body


def test_global_reader_sees_groups_without_create_form(client_as, customer, helpdesk):
    reader = member(customer, "Global Reader")
    response = client_as(reader).get(groups_url(customer))
    assert response.status_code == 200
    assert "Create a group" not in response.content.decode()
    assert client_as(reader).post(groups_url(customer), {"name": "X"}).status_code == 403


def test_plain_member_is_refused_groups(client_as, customer, plain_member):
    assert client_as(plain_member).get(groups_url(customer)).status_code == 403


def test_outsider_admin_gets_404_on_customer_groups(client_as, customer, outsider_admin):
    assert client_as(outsider_admin).get(groups_url(customer)).status_code == 404


def test_signed_out_groups_redirects_to_login(client, customer):
    response = client.get(groups_url(customer))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_groups_list_runs_constant_queries(
    client_as, customer, customer_admin, helpdesk, django_assert_max_num_queries
):
    client = client_as(customer_admin)
    url = groups_url(customer)
    client.get(url)
    few = _count_queries(client, url)
    users = [member(customer) for _ in range(5)]
    for n in range(15):
        SecurityGroupFactory(tenant=customer, name=f"Team {n}", members=users)
    many = _count_queries(client, url)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(url)


def test_global_admin_creates_group(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(
        groups_url(customer), {"name": "Tier 1", "description": "First line"}
    )
    assert response.status_code == 302
    group = SecurityGroup.objects.get(tenant=customer, name="Tier 1")
    assert group.description == "First line"
    assert response.url == group_url(customer, group)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["security_group.created"]


@pytest.mark.parametrize("name", ["", "   ", "helpdesk", "x" * 121])
def test_create_group_with_bad_name_shows_form_error(
    client_as, customer, customer_admin, helpdesk, name
):
    response = client_as(customer_admin).post(groups_url(customer), {"name": name})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert SecurityGroup.objects.filter(tenant=customer).count() == 1
    assert not AuditEvent.objects.exists()


# One group ---------------------------------------------------------------------------------


def test_group_page_lists_members_as_checkboxes(
    client_as, customer, customer_admin, billing_admin, helpdesk
):
    response = client_as(customer_admin).get(group_url(customer, helpdesk))
    assert response.status_code == 200
    body = response.content.decode()
    assert billing_admin.email in body  # a tenant member who can be added
    assert f'value="{customer_admin.pk}" id="id_members_' in body
    assert 'class="confirm"' in body


def test_group_page_query_count_is_constant(
    client_as, customer, customer_admin, helpdesk, django_assert_max_num_queries
):
    client = client_as(customer_admin)
    url = group_url(customer, helpdesk)
    client.get(url)
    few = _count_queries(client, url)
    helpdesk.members.add(*[member(customer, "Directory Readers") for _ in range(15)])
    many = _count_queries(client, url)
    assert few == many


def test_foreign_group_answers_404(client_as, customer, customer_admin, foreign_group):
    client = client_as(customer_admin)
    assert client.get(group_url(customer, foreign_group)).status_code == 404
    assert client.get(f"/t/{customer.pk}/groups/not-a-uuid/").status_code == 404
    assert client.get(f"/t/{customer.pk}/groups/{uuid.uuid4()}/").status_code == 404
    response = client.post(group_url(customer, foreign_group), {"name": "Mine now"})
    assert response.status_code == 404
    foreign_group.refresh_from_db()
    assert foreign_group.name == "Northwind ops"


def test_outsider_admin_gets_404_on_customer_group(client_as, customer, outsider_admin, helpdesk):
    assert client_as(outsider_admin).get(group_url(customer, helpdesk)).status_code == 404


def test_global_admin_renames_group(client_as, customer, customer_admin, helpdesk):
    response = client_as(customer_admin).post(
        group_url(customer, helpdesk), {"name": "Service desk", "description": "Tier 1 and 2"}
    )
    assert response.status_code == 302
    helpdesk.refresh_from_db()
    assert (helpdesk.name, helpdesk.description) == ("Service desk", "Tier 1 and 2")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["security_group.renamed"]


def test_rename_to_a_taken_name_shows_form_error(client_as, customer, customer_admin, helpdesk):
    SecurityGroupFactory(tenant=customer, name="Billing")
    response = client_as(customer_admin).post(group_url(customer, helpdesk), {"name": "billing"})
    assert response.status_code == 400
    assert "Already in use." in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_global_admin_sets_group_members(
    client_as, customer, customer_admin, billing_admin, helpdesk
):
    response = client_as(customer_admin).post(
        group_url(customer, helpdesk, "tenant_group_members"),
        {"members": [str(billing_admin.pk)]},
    )
    assert response.status_code == 302
    assert list(helpdesk.members.all()) == [billing_admin]
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "security_group.members_changed"
    ]


def test_foreign_user_cannot_join_a_group(
    client_as, customer, customer_admin, outsider_admin, helpdesk
):
    response = client_as(customer_admin).post(
        group_url(customer, helpdesk, "tenant_group_members"),
        {"members": [str(customer_admin.pk), str(outsider_admin.pk)]},
    )
    assert response.status_code == 302
    assert outsider_admin not in helpdesk.members.all()
    assert not AuditEvent.objects.exists()


def test_plain_member_cannot_change_members(client_as, customer, plain_member, helpdesk):
    response = client_as(plain_member).post(
        group_url(customer, helpdesk, "tenant_group_members"), {"members": []}
    )
    assert response.status_code == 403
    assert helpdesk.members.count() == 2


def test_delete_confirmation_page_renders(client_as, customer, customer_admin, helpdesk):
    response = client_as(customer_admin).get(group_url(customer, helpdesk, "tenant_group_delete"))
    assert response.status_code == 200
    assert "Helpdesk" in response.content.decode()


def test_global_admin_deletes_group(client_as, customer, customer_admin, helpdesk):
    response = client_as(customer_admin).post(group_url(customer, helpdesk, "tenant_group_delete"))
    assert response.status_code == 302
    assert response.url == groups_url(customer)
    assert not SecurityGroup.objects.filter(pk=helpdesk.pk).exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["security_group.deleted"]


def test_deleting_a_foreign_group_answers_404(client_as, customer, customer_admin, foreign_group):
    response = client_as(customer_admin).post(
        group_url(customer, foreign_group, "tenant_group_delete")
    )
    assert response.status_code == 404
    assert SecurityGroup.objects.filter(pk=foreign_group.pk).exists()
