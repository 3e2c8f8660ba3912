"""A tenant's security groups: create, rename, set members, delete."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import PermissionDenied, ValidationError
from core.scoping import get_in_tenant_or_404
from relationships.selectors import privileged_groups
from roles import access
from roles.permissions import ROLES_ASSIGN, USERS_MANAGE
from tenants.models import Membership, SecurityGroup, Tenant, User


@transaction.atomic
def create_security_group(*, by: User, tenant: Tenant, name: str, description: str = ""):
    """Create a security group in tenant."""
    by_access = access.require(by, tenant, USERS_MANAGE)
    name = _group_name(tenant, name)
    group = SecurityGroup.objects.create(
        tenant=tenant, name=name, description=(description or "").strip()[:300]
    )
    record(
        "security_group.created",
        actor=by,
        target_tenant=tenant,
        obj=group,
        after={"name": name},
        access=by_access,
    )
    return group


def _group_name(tenant, name, *, exclude_id=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."), errors={"name": [_("Required.")]})
    if len(name) > 120:
        raise ValidationError(
            _("The name is too long."), errors={"name": [_("At most 120 characters.")]}
        )
    clash = SecurityGroup.objects.filter(tenant=tenant, name__iexact=name).exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError(
            _("A group with this name exists."), errors={"name": [_("Already in use.")]}
        )
    return name


@transaction.atomic
def rename_security_group(*, by: User, tenant: Tenant, group_id, name: str, description=None):
    """Rename a security group (and change its description)."""
    by_access = access.require(by, tenant, USERS_MANAGE)
    group = _lock_group(tenant, group_id)
    before = {"name": group.name, "description": group.description}
    group.name = _group_name(tenant, name, exclude_id=group.pk)
    if description is not None:
        group.description = description.strip()[:300]
    after = {"name": group.name, "description": group.description}
    if before == after:
        return group
    group.save(update_fields=["name", "description"])
    record(
        "security_group.renamed",
        actor=by,
        target_tenant=tenant,
        obj=group,
        before=before,
        after=after,
        access=by_access,
    )
    return group


@transaction.atomic
def set_security_group_members(*, by: User, tenant: Tenant, group_id, user_ids) -> SecurityGroup:
    """Replace a group's members; each must be a member of the tenant."""
    by_access = access.require(by, tenant, USERS_MANAGE)
    group = _lock_group(tenant, group_id)
    if privileged_groups(tenant).filter(pk=group.pk).exists() and not by_access.has_own(
        ROLES_ASSIGN
    ):
        # Its members hold privileged roles in customers: a role-assignable group.
        raise PermissionDenied(
            _("This group holds privileged roles; only your own role administrators change it.")
        )
    try:
        wanted = {uuid.UUID(str(u)) for u in (user_ids or [])}
    except ValueError:
        raise ValidationError(
            _("Not a valid user id."), errors={"user_ids": [_("Not a valid user id.")]}
        ) from None
    found = set(
        Membership.objects.filter(tenant=tenant, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if len(found) != len(wanted):
        raise ValidationError(
            _("Only members of this tenant can join its groups."),
            errors={"user_ids": [_("Not a member of this tenant.")]},
        )
    before = sorted(str(u) for u in group.members.values_list("id", flat=True))
    after = sorted(str(u) for u in found)
    if before == after:
        return group
    group.members.set(found)
    record(
        "security_group.members_changed",
        actor=by,
        target_tenant=tenant,
        obj=group,
        before={"members": before},
        after={"members": after},
        access=by_access,
    )
    return group


@transaction.atomic
def delete_security_group(*, by: User, tenant: Tenant, group_id) -> None:
    """Delete a security group."""
    by_access = access.require(by, tenant, USERS_MANAGE)
    group = _lock_group(tenant, group_id)
    record(
        "security_group.deleted",
        actor=by,
        target_tenant=tenant,
        obj=group,
        before={"name": group.name},
        access=by_access,
    )
    group.delete()


def _lock_group(tenant, group_id) -> SecurityGroup:
    return get_in_tenant_or_404(SecurityGroup.objects.select_for_update(), tenant, pk=group_id)
