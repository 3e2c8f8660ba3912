"""Member services: one audit event per change, none (and no change) on failure."""

import pytest

from audit.models import AuditEvent
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from notifications.models import OutboxMessage
from people import services
from roles.permissions import role_id
from tenants.models import Membership, Tenant, User
from tests.factories import SecurityGroupFactory, UserFactory, member

GA = role_id("Global Administrator")
BILLING = role_id("Billing Administrator")
READER = role_id("Directory Readers")


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def assert_no_event():
    assert not AuditEvent.objects.exists()


# create_tenant -------------------------------------------------------------------------


def test_creator_becomes_global_administrator_of_a_new_tenant(plain_member):
    tenant = services.create_tenant(by=plain_member, name="  Litware ", country="FR")

    assert tenant.name == "Litware"
    assert tenant.slug == "litware"
    membership = Membership.objects.get(tenant=tenant, user=plain_member)
    assert list(membership.roles.values_list("id", flat=True)) == [GA]
    event = only_event()
    assert event.action == "tenant.created"
    assert event.actor == plain_member
    assert event.actor_kind == "user"
    assert event.target_tenant == tenant
    assert event.after == {"name": "Litware", "country": "FR"}


def test_tenant_slugs_stay_unique(plain_member):
    first = services.create_tenant(by=plain_member, name="Litware", country="FR")
    second = services.create_tenant(by=plain_member, name="Litware", country="FR")

    assert first.slug != second.slug


@pytest.mark.parametrize(("name", "country"), [("", "DE"), ("   ", "DE"), ("Litware", "XX")])
def test_tenant_with_bad_input_is_not_created(plain_member, name, country):
    with pytest.raises(ValidationError):
        services.create_tenant(by=plain_member, name=name, country=country)

    assert not Tenant.objects.filter(name__startswith="Litware").exists()
    assert_no_event()


# add_member ----------------------------------------------------------------------------


def test_admin_adds_a_new_person_who_gets_an_account_and_a_set_password_mail(
    customer, customer_admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.add_member(
            by=customer_admin,
            tenant=customer,
            email="  Dave@Fabrikam.example ",
            display_name="Dave",
            role_ids=[READER],
        )

    user = User.objects.get(email="dave@fabrikam.example")
    assert membership.user == user
    assert user.display_name == "Dave"
    assert not user.has_usable_password()
    assert list(membership.roles.values_list("id", flat=True)) == [READER]
    event = only_event()
    assert event.action == "membership.created"
    assert event.actor == customer_admin
    assert event.target_tenant == customer
    assert event.acting_tenant == customer
    assert event.object_id == str(membership.pk)
    assert event.after == {
        "email": "dave@fabrikam.example",
        "roles": ["Directory Readers"],
        "new_account": True,
        "partner": None,
    }
    message = OutboxMessage.objects.get()
    assert message.to == "dave@fabrikam.example"
    assert message.template == "member_invited"
    assert message.status == OutboxMessage.Status.SENT
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["dave@fabrikam.example"]
    assert "Fabrikam" in mail.subject
    assert "/accounts/password/reset/key/" in mail.body


def test_admin_invites_an_existing_account_which_joins_only_when_its_holder_accepts(
    customer, customer_admin, outsider_admin, django_capture_on_commit_callbacks, mailoutbox
):
    # An account belongs to its holder (tests/security/test_accounts.py).
    password = outsider_admin.password
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.add_member(
            by=customer_admin, tenant=customer, email=outsider_admin.email
        )

    outsider_admin.refresh_from_db()
    assert outsider_admin.password == password
    assert not Membership.objects.filter(tenant=customer, user=outsider_admin).exists()
    assert invitation.user == outsider_admin
    assert only_event().action == "membership.invited"
    assert OutboxMessage.objects.get().template == "membership_invitation"
    assert len(mailoutbox) == 1
    assert "/profile/invitations/" in mailoutbox[0].body


def test_mail_is_queued_only_when_the_transaction_commits(
    customer, customer_admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.add_member(by=customer_admin, tenant=customer, email="eve@fabrikam.example")

    assert len(callbacks) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert mailoutbox == []


def test_admin_adds_a_member_with_a_privileged_role(customer, customer_admin):
    membership = services.add_member(
        by=customer_admin, tenant=customer, email="frank@fabrikam.example", role_ids=[GA]
    )

    assert membership.roles.filter(pk=GA).exists()


def test_user_admin_cannot_give_a_privileged_role_when_adding(customer):
    user_admin = member(customer, "User Administrator")

    with pytest.raises(PermissionDenied):
        services.add_member(
            by=user_admin, tenant=customer, email="gina@fabrikam.example", role_ids=[GA]
        )

    assert not User.objects.filter(email="gina@fabrikam.example").exists()
    assert not OutboxMessage.objects.exists()
    assert_no_event()


def test_user_admin_adds_a_member_with_an_unprivileged_role(customer):
    user_admin = member(customer, "User Administrator")

    services.add_member(
        by=user_admin, tenant=customer, email="hal@fabrikam.example", role_ids=[READER]
    )

    assert only_event().actor == user_admin


def test_billing_admin_cannot_add_members(customer, billing_admin):
    with pytest.raises(PermissionDenied):
        services.add_member(by=billing_admin, tenant=customer, email="ivy@fabrikam.example")

    assert not User.objects.filter(email="ivy@fabrikam.example").exists()
    assert_no_event()


def test_outsider_cannot_add_members_to_the_customer(customer, outsider_admin):
    with pytest.raises(NotFound):
        services.add_member(by=outsider_admin, tenant=customer, email="ivy@fabrikam.example")

    assert_no_event()


@pytest.mark.parametrize("email", ["", "not-an-email", "   "])
def test_adding_a_bad_email_fails(customer, customer_admin, email):
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(by=customer_admin, tenant=customer, email=email)

    assert "email" in excinfo.value.errors
    assert_no_event()


def test_adding_an_existing_member_fails_and_changes_nothing(
    customer, customer_admin, plain_member
):
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(
            by=customer_admin, tenant=customer, email=plain_member.email, role_ids=[BILLING]
        )

    assert excinfo.value.errors == {"email": ["Already a member."]}
    assert not plain_member.memberships.get(tenant=customer).roles.exists()
    assert not OutboxMessage.objects.exists()
    assert_no_event()


def test_adding_with_an_unknown_role_fails(customer, customer_admin):
    import uuid

    with pytest.raises(ValidationError) as excinfo:
        services.add_member(
            by=customer_admin,
            tenant=customer,
            email="jo@fabrikam.example",
            role_ids=[uuid.uuid4()],
        )

    assert "role_definition_ids" in excinfo.value.errors
    assert not User.objects.filter(email="jo@fabrikam.example").exists()
    assert_no_event()


# set_member_roles -----------------------------------------------------------------------


def test_admin_changes_a_members_roles(customer, customer_admin, plain_member):
    services.set_member_roles(
        by=customer_admin, tenant=customer, user_id=plain_member.pk, role_ids=[BILLING, READER]
    )

    roles = set(plain_member.memberships.get(tenant=customer).roles.values_list("id", flat=True))
    assert roles == {BILLING, READER}
    event = only_event()
    assert event.action == "membership.roles_changed"
    assert event.actor == customer_admin
    assert event.target_tenant == customer
    assert event.before == {"roles": []}
    assert event.after == {"roles": ["Billing Administrator", "Directory Readers"]}


def test_setting_the_same_roles_again_writes_no_event(customer, customer_admin, billing_admin):
    services.set_member_roles(
        by=customer_admin, tenant=customer, user_id=billing_admin.pk, role_ids=[BILLING]
    )

    assert_no_event()


def test_privileged_role_administrator_assigns_roles(customer, plain_member):
    pra = member(customer, "Privileged Role Administrator")

    services.set_member_roles(by=pra, tenant=customer, user_id=plain_member.pk, role_ids=[GA])

    assert only_event().actor == pra


def test_user_admin_cannot_assign_roles(customer, plain_member):
    user_admin = member(customer, "User Administrator")

    with pytest.raises(PermissionDenied):
        services.set_member_roles(
            by=user_admin, tenant=customer, user_id=plain_member.pk, role_ids=[READER]
        )

    assert not plain_member.memberships.get(tenant=customer).roles.exists()
    assert_no_event()


def test_the_last_global_administrator_cannot_be_demoted(customer, customer_admin):
    with pytest.raises(InvalidState):
        services.set_member_roles(
            by=customer_admin, tenant=customer, user_id=customer_admin.pk, role_ids=[BILLING]
        )

    assert customer_admin.memberships.get(tenant=customer).roles.filter(pk=GA).exists()
    assert_no_event()


def test_a_global_administrator_can_be_demoted_when_another_remains(customer, customer_admin):
    other = member(customer, "Global Administrator")

    services.set_member_roles(by=customer_admin, tenant=customer, user_id=other.pk, role_ids=[])

    assert not other.memberships.get(tenant=customer).roles.exists()
    assert only_event().before == {"roles": ["Global Administrator"]}


def test_setting_roles_of_a_non_member_answers_not_found(customer, customer_admin, outsider_admin):
    with pytest.raises(NotFound):
        services.set_member_roles(
            by=customer_admin, tenant=customer, user_id=outsider_admin.pk, role_ids=[GA]
        )

    assert_no_event()


# remove_member -------------------------------------------------------------------------


def test_admin_removes_a_member_and_their_group_memberships(
    customer, customer_admin, billing_admin
):
    group = SecurityGroupFactory(tenant=customer, members=[billing_admin, customer_admin])

    services.remove_member(by=customer_admin, tenant=customer, user_id=billing_admin.pk)

    assert not Membership.objects.filter(tenant=customer, user=billing_admin).exists()
    assert list(group.members.all()) == [customer_admin]
    assert User.objects.filter(pk=billing_admin.pk).exists()  # the account stays
    event = only_event()
    assert event.action == "membership.removed"
    assert event.actor == customer_admin
    assert event.target_tenant == customer
    assert event.before == {"email": billing_admin.email, "roles": ["Billing Administrator"]}


def test_the_last_global_administrator_cannot_be_removed(customer, customer_admin):
    with pytest.raises(InvalidState):
        services.remove_member(by=customer_admin, tenant=customer, user_id=customer_admin.pk)

    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()
    assert_no_event()


def test_user_admin_cannot_remove_a_privileged_member(customer, customer_admin):
    member(customer, "Global Administrator")
    user_admin = member(customer, "User Administrator")

    with pytest.raises(PermissionDenied):
        services.remove_member(by=user_admin, tenant=customer, user_id=customer_admin.pk)

    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()
    assert_no_event()


def test_user_admin_removes_a_plain_member(customer, plain_member):
    user_admin = member(customer, "User Administrator")

    services.remove_member(by=user_admin, tenant=customer, user_id=plain_member.pk)

    assert only_event().action == "membership.removed"


def test_plain_member_cannot_remove_anyone(customer, plain_member, billing_admin):
    with pytest.raises(PermissionDenied):
        services.remove_member(by=plain_member, tenant=customer, user_id=billing_admin.pk)

    assert_no_event()


def test_removing_a_stranger_answers_not_found(customer, customer_admin):
    stranger = UserFactory()

    with pytest.raises(NotFound):
        services.remove_member(by=customer_admin, tenant=customer, user_id=stranger.pk)
    with pytest.raises(NotFound):
        services.remove_member(by=customer_admin, tenant=customer, user_id="not-a-uuid")

    assert_no_event()


def test_removed_member_loses_access_at_once(customer, customer_admin, billing_admin):
    from roles import access

    services.remove_member(by=customer_admin, tenant=customer, user_id=billing_admin.pk)

    assert not access.resolve(billing_admin, customer).can_act
