"""The access resolver: the role → permission table, 404 for strangers, the request memo."""

import csv
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import NotFound, PermissionDenied
from roles import access, catalog
from roles.models import RoleDefinition
from roles.permissions import PERMISSIONS, ROLE_PERMISSIONS, role_id
from tests.factories import member

ALL_PERMISSIONS = sorted(PERMISSIONS)
GLOBAL_ADMIN_ID = "62e90394-69f5-4237-9190-012177145e10"


@pytest.mark.parametrize("role_name", sorted(ROLE_PERMISSIONS))
def test_member_with_one_role_has_exactly_its_permissions(customer, role_name):
    user = member(customer, role_name)
    granted = ROLE_PERMISSIONS[role_name]

    for perm in ALL_PERMISSIONS:
        assert access.has_permission(user, customer, perm) is (perm in granted), perm
    assert access.resolve(user, customer).permissions == frozenset(granted)


@pytest.mark.parametrize("role_name", ["Exchange Administrator", "Teams Administrator"])
def test_role_outside_the_table_grants_nothing(customer, role_name):
    assert role_name not in ROLE_PERMISSIONS
    user = member(customer, role_name)

    tenant_access = access.resolve(user, customer)

    assert tenant_access.can_act
    assert tenant_access.permissions == frozenset()
    assert [r.name for r in access.effective_roles(user, customer)] == [role_name]


def test_plain_member_can_act_but_holds_no_permission(customer, plain_member):
    tenant_access = access.require(plain_member, customer)

    assert tenant_access.can_act
    assert not any(tenant_access.has(p) for p in ALL_PERMISSIONS)
    with pytest.raises(PermissionDenied):
        access.require(plain_member, customer, "users.read")


def test_outsider_cannot_act_and_require_answers_not_found(customer, outsider_admin):
    assert access.resolve(outsider_admin, customer).can_act is False
    assert access.has_permission(outsider_admin, customer, "users.read") is False
    with pytest.raises(NotFound):
        access.require(outsider_admin, customer)
    with pytest.raises(NotFound):
        access.require(outsider_admin, customer, "users.read")


def test_anonymous_user_cannot_act(customer):
    from django.contrib.auth.models import AnonymousUser

    assert access.resolve(AnonymousUser(), customer).can_act is False


def test_unknown_permission_is_a_programming_error(customer, customer_admin):
    with pytest.raises(ValueError):
        access.has_permission(customer_admin, customer, "users.fly")


def test_effective_roles_are_role_definitions(customer):
    user = member(customer, "Global Administrator", "Billing Administrator")

    roles = access.effective_roles(user, customer)

    assert all(isinstance(r, RoleDefinition) for r in roles)
    assert [r.name for r in roles] == ["Billing Administrator", "Global Administrator"]


def test_roles_in_another_tenant_do_not_count(customer, outsider, outsider_admin):
    member_of_both = member(outsider, "Global Administrator")
    from tests.factories import MembershipFactory

    MembershipFactory(user=member_of_both, tenant=customer)

    assert access.has_permission(member_of_both, outsider, "users.manage")
    assert not access.has_permission(member_of_both, customer, "users.manage")


# The request memo ------------------------------------------------------------------------


def test_request_memo_answers_the_second_question_without_queries(
    customer, customer_admin, django_assert_num_queries
):
    with access.request_memo():
        assert access.has_permission(customer_admin, customer, "users.read")
        with django_assert_num_queries(0):
            assert access.has_permission(customer_admin, customer, "users.manage")
            assert access.require(customer_admin, customer, "audit.read").can_act


def test_a_role_change_is_seen_at_once_inside_the_memo(customer, plain_member):
    membership = plain_member.memberships.get(tenant=customer)
    with access.request_memo():
        assert not access.has_permission(plain_member, customer, "users.read")
        membership.roles.add(role_id("Global Reader"))
        assert access.has_permission(plain_member, customer, "users.read")
        membership.roles.clear()
        assert not access.has_permission(plain_member, customer, "users.read")


def test_forget_drops_the_memo(customer, plain_member):
    membership = plain_member.memberships.get(tenant=customer)
    through = membership.roles.through
    with access.request_memo():
        assert not access.has_permission(plain_member, customer, "users.read")
        # A raw row sends no m2m signal: memoised, still the old answer until forget().
        through.objects.create(membership=membership, roledefinition_id=role_id("Global Reader"))
        assert not access.has_permission(plain_member, customer, "users.read")
        access.forget()
        with CaptureQueriesContext(connection) as ctx:
            assert access.has_permission(plain_member, customer, "users.read")
        assert len(ctx.captured_queries) >= 1  # asked the database again


def test_outside_a_request_nothing_is_cached(customer, plain_member):
    membership = plain_member.memberships.get(tenant=customer)
    assert not access.has_permission(plain_member, customer, "users.read")

    membership.roles.add(role_id("Global Reader"))

    assert access.has_permission(plain_member, customer, "users.read")


def test_forget_outside_a_request_is_harmless():
    access.forget()


# Password resets ------------------------------------------------------------------------


# Who resets whom: tests/security/test_password_reset_table.py, a test per cell.


def test_member_without_reset_permission_resets_nobody(customer, billing_admin):
    assert not access.resolve(billing_admin, customer).can_reset_password_of([])


# The catalog ---------------------------------------------------------------------------


def test_catalog_holds_every_builtin_role(db):
    assert RoleDefinition.objects.count() == 123
    assert RoleDefinition.objects.filter(is_privileged=True).count() == 29


def test_global_administrator_keeps_its_template_id_and_blocks_auto_extend(db):
    role = RoleDefinition.objects.get(pk=uuid.UUID(GLOBAL_ADMIN_ID))

    assert role.name == "Global Administrator"
    assert role.is_privileged
    assert role.blocks_auto_extend
    assert RoleDefinition.objects.filter(blocks_auto_extend=True).count() == 1


def test_every_role_in_the_permission_table_exists_in_the_csv():
    with catalog.CSV_PATH.open(newline="", encoding="utf-8") as fh:
        names = {row["name"].strip() for row in csv.DictReader(fh)}

    assert set(ROLE_PERMISSIONS) <= names


def test_every_role_in_the_permission_table_exists_in_the_database(db):
    assert RoleDefinition.objects.filter(name__in=ROLE_PERMISSIONS).count() == len(ROLE_PERMISSIONS)


def test_every_permission_is_granted_by_global_administrator():
    assert ROLE_PERMISSIONS["Global Administrator"] == set(PERMISSIONS)
