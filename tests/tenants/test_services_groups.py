"""Security group services: one audit event per change, none on failure."""

import pytest

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied, ValidationError
from people import services
from tenants.models import SecurityGroup
from tests.factories import SecurityGroupFactory, UserFactory


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def assert_no_event():
    assert not AuditEvent.objects.exists()


@pytest.fixture
def group(customer):
    return SecurityGroupFactory(tenant=customer, name="Helpdesk")


def test_admin_creates_a_security_group(customer, customer_admin):
    group = services.create_security_group(
        by=customer_admin, tenant=customer, name="  Tier 1 ", description="First line"
    )

    assert group.tenant == customer
    assert group.name == "Tier 1"
    assert group.description == "First line"
    event = only_event()
    assert event.action == "security_group.created"
    assert event.actor == customer_admin
    assert event.target_tenant == customer
    assert event.object_id == str(group.pk)
    assert event.after == {"name": "Tier 1"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "HELPDESK"])
def test_group_with_a_bad_or_taken_name_is_not_created(customer, customer_admin, group, name):
    with pytest.raises(ValidationError) as excinfo:
        services.create_security_group(by=customer_admin, tenant=customer, name=name)

    assert "name" in excinfo.value.errors
    assert SecurityGroup.objects.count() == 1
    assert_no_event()


def test_the_same_group_name_may_exist_in_another_tenant(outsider, outsider_admin, group):
    services.create_security_group(by=outsider_admin, tenant=outsider, name="Helpdesk")

    assert SecurityGroup.objects.filter(name="Helpdesk").count() == 2


def test_plain_member_cannot_create_a_group(customer, plain_member):
    with pytest.raises(PermissionDenied):
        services.create_security_group(by=plain_member, tenant=customer, name="Tier 1")

    assert not SecurityGroup.objects.exists()
    assert_no_event()


def test_admin_renames_a_group(customer, customer_admin, group):
    services.rename_security_group(
        by=customer_admin, tenant=customer, group_id=group.pk, name="Service desk"
    )

    group.refresh_from_db()
    assert group.name == "Service desk"
    event = only_event()
    assert event.action == "security_group.renamed"
    assert event.before == {"name": "Helpdesk", "description": ""}
    assert event.after == {"name": "Service desk", "description": ""}


def test_renaming_to_the_same_name_writes_no_event(customer, customer_admin, group):
    services.rename_security_group(
        by=customer_admin, tenant=customer, group_id=group.pk, name="Helpdesk"
    )

    assert_no_event()


def test_renaming_to_a_taken_name_fails(customer, customer_admin, group):
    SecurityGroupFactory(tenant=customer, name="Tier 2")

    with pytest.raises(ValidationError):
        services.rename_security_group(
            by=customer_admin, tenant=customer, group_id=group.pk, name="tier 2"
        )

    group.refresh_from_db()
    assert group.name == "Helpdesk"
    assert_no_event()


def test_renaming_another_tenants_group_answers_not_found(outsider, outsider_admin, group):
    with pytest.raises(NotFound):
        services.rename_security_group(
            by=outsider_admin, tenant=outsider, group_id=group.pk, name="Mine now"
        )

    group.refresh_from_db()
    assert group.name == "Helpdesk"
    assert_no_event()


def test_admin_sets_group_members(customer, customer_admin, billing_admin, group):
    services.set_security_group_members(
        by=customer_admin,
        tenant=customer,
        group_id=group.pk,
        user_ids=[str(customer_admin.pk), billing_admin.pk],
    )

    assert set(group.members.all()) == {customer_admin, billing_admin}
    event = only_event()
    assert event.action == "security_group.members_changed"
    assert event.before == {"members": []}
    assert event.after == {"members": sorted([str(customer_admin.pk), str(billing_admin.pk)])}


def test_setting_the_same_members_writes_no_event(customer, customer_admin, group):
    group.members.set([customer_admin])

    services.set_security_group_members(
        by=customer_admin, tenant=customer, group_id=group.pk, user_ids=[customer_admin.pk]
    )

    assert_no_event()


def test_group_members_must_be_tenant_members(customer, customer_admin, outsider_admin, group):
    group.members.set([customer_admin])

    with pytest.raises(ValidationError) as excinfo:
        services.set_security_group_members(
            by=customer_admin,
            tenant=customer,
            group_id=group.pk,
            user_ids=[customer_admin.pk, outsider_admin.pk],
        )

    assert "user_ids" in excinfo.value.errors
    assert list(group.members.all()) == [customer_admin]
    assert_no_event()


@pytest.mark.parametrize("bad", ["nope", "123"])
def test_malformed_user_ids_are_refused(customer, customer_admin, group, bad):
    with pytest.raises(ValidationError):
        services.set_security_group_members(
            by=customer_admin, tenant=customer, group_id=group.pk, user_ids=[bad]
        )

    assert_no_event()


def test_a_user_without_membership_cannot_join(customer, customer_admin, group):
    with pytest.raises(ValidationError):
        services.set_security_group_members(
            by=customer_admin, tenant=customer, group_id=group.pk, user_ids=[UserFactory().pk]
        )

    assert not group.members.exists()


def test_admin_deletes_a_group(customer, customer_admin, group):
    services.delete_security_group(by=customer_admin, tenant=customer, group_id=group.pk)

    assert not SecurityGroup.objects.exists()
    event = only_event()
    assert event.action == "security_group.deleted"
    assert event.object_id == str(group.pk)
    assert event.before == {"name": "Helpdesk"}


def test_billing_admin_cannot_delete_a_group(customer, billing_admin, group):
    with pytest.raises(PermissionDenied):
        services.delete_security_group(by=billing_admin, tenant=customer, group_id=group.pk)

    assert SecurityGroup.objects.filter(pk=group.pk).exists()
    assert_no_event()


def test_deleting_another_tenants_group_answers_not_found(outsider, outsider_admin, group):
    with pytest.raises(NotFound):
        services.delete_security_group(by=outsider_admin, tenant=outsider, group_id=group.pk)

    assert SecurityGroup.objects.filter(pk=group.pk).exists()
    assert_no_event()
