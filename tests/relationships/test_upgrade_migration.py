"""Upgrading a database of the old layout (relationships in partners/ and roles/) keeps
every row: the models moved to relationships/ with state-only migrations, the tables and
their content types (so permissions and admin history) stay."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD_LAYOUT = [
    ("relationships", None),
    ("partners", "0004_relationships_and_invitations"),
    ("roles", "0003_gdap"),
]
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _old_data(apps) -> dict:
    """Rows of every moved model, written through the old layout's models."""
    Tenant = apps.get_model("tenants", "Tenant")
    User = apps.get_model("tenants", "User")
    SecurityGroup = apps.get_model("tenants", "SecurityGroup")
    Relationship = apps.get_model("partners", "PartnerRelationship")
    Invitation = apps.get_model("partners", "Invitation")
    EndRequest = apps.get_model("partners", "EndRequest")
    Gdap = apps.get_model("roles", "DelegatedAdminRelationship")
    Assignment = apps.get_model("roles", "AccessAssignment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    partner = Tenant.objects.create(name="Contoso", slug="contoso-up", country="US")
    customer = Tenant.objects.create(name="Fabrikam", slug="fabrikam-up", country="DE")
    admin = User.objects.create(email="pat@contoso.example")
    group = SecurityGroup.objects.create(tenant=partner, name="Helpdesk agents")
    group.members.add(admin)
    now = timezone.now()
    relationship = Relationship.objects.create(
        customer=customer, partner=partner, types=["gdap", "reseller"]
    )
    gdap = Gdap.objects.create(
        partner=partner,
        customer=customer,
        display_name="Contoso helpdesk",
        duration=timedelta(days=730),
        status="active",
        activated_at=now,
        end_at=now + timedelta(days=730),
        created_by=admin,
    )
    gdap.requested_roles.set([GLOBAL_ADMIN, HELPDESK_ADMIN])
    gdap.approved_roles.set([HELPDESK_ADMIN])
    assignment = Assignment.objects.create(relationship=gdap, security_group=group)
    assignment.roles.set([HELPDESK_ADMIN])
    invitation = Invitation.objects.create(
        partner=partner,
        email="admin@fabrikam.example",
        customer=customer,
        relationship_types=["gdap", "reseller"],
        gdap_relationship=gdap,
        token_hash="a" * 64,
        status="accepted",
        expires_at=now + timedelta(days=90),
        created_by=admin,
    )
    end_request = EndRequest.objects.create(
        relationship=relationship, requested_by=admin, message="Please end reseller."
    )
    # Support agents held a permission on the old content type.
    content_type, _ = ContentType.objects.get_or_create(app_label="partners", model="invitation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_invitation", defaults={"name": "x"}
    )
    Group.objects.get_or_create(name="Upgrade agents")[0].permissions.add(permission)
    return {
        "relationship": relationship.pk,
        "gdap": gdap.pk,
        "assignment": assignment.pk,
        "invitation": invitation.pk,
        "end_request": end_request.pk,
        "content_type": content_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_an_old_layout_database_upgrades_without_losing_a_row(postgres):
    executor = _migrate(OLD_LAYOUT)
    old_apps = executor.loader.project_state(OLD_LAYOUT[1:]).apps
    ids = _old_data(old_apps)

    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from relationships.models import (
        AccessAssignment,
        DelegatedAdminRelationship,
        EndRequest,
        Invitation,
        PartnerRelationship,
    )
    from relationships.selectors import history

    relationship = PartnerRelationship.objects.get(pk=ids["relationship"])
    assert relationship.types == ["gdap", "reseller"]
    gdap = DelegatedAdminRelationship.objects.get(pk=ids["gdap"])
    assert gdap.status == "active" and gdap.display_name == "Contoso helpdesk"
    assert {str(r.pk) for r in gdap.requested_roles.all()} == {GLOBAL_ADMIN, HELPDESK_ADMIN}
    assert [str(r.pk) for r in gdap.approved_roles.all()] == [HELPDESK_ADMIN]
    assignment = AccessAssignment.objects.get(pk=ids["assignment"])
    assert assignment.relationship_id == gdap.pk
    assert [str(r.pk) for r in assignment.roles.all()] == [HELPDESK_ADMIN]
    invitation = Invitation.objects.get(pk=ids["invitation"])
    assert invitation.gdap_relationship_id == gdap.pk and invitation.status == "accepted"
    assert EndRequest.objects.get(pk=ids["end_request"]).relationship_id == relationship.pk
    # The content type moved with its model, and the permissions that point at it.
    content_type = ContentType.objects.get(pk=ids["content_type"])
    assert (content_type.app_label, content_type.model) == ("relationships", "invitation")
    assert not ContentType.objects.filter(app_label="partners", model="invitation").exists()
    perms = Group.objects.get(name="Upgrade agents").permissions.all()
    assert [f"{p.content_type.app_label}.{p.codename}" for p in perms] == [
        "relationships.change_invitation"
    ]
    # The new code reads the old rows.
    assert list(history(relationship)) is not None
