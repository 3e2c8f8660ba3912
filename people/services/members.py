"""A tenant's members: add (new accounts and partner user accounts), roles, removal and
password resets. A tenant always keeps at least one Global Administrator.
"""

import secrets
import uuid

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, PermissionDenied, ValidationError
from core.scoping import get_in_tenant_or_404
from notifications.services import queue_mail
from partners import relationship_types as types
from people.models import MembershipInvitation
from people.services.invitations import invite_existing
from relationships.models import PartnerRelationship
from relationships.selectors import holds_privileged_assignment
from roles import access, catalog, permissions
from roles.permissions import (
    GLOBAL_ADMIN_ID,
    ROLES_ASSIGN,
    USERS_MANAGE,
    USERS_RESET_PASSWORD,
)
from tenants import credentials
from tenants.models import Membership, SecurityGroup, Tenant, User


def _roles(role_ids) -> list:
    try:
        role_ids = list(dict.fromkeys(uuid.UUID(str(r)) for r in (role_ids or [])))
    except ValueError:
        raise ValidationError(
            _("Not a valid role definition id."),
            errors={"role_definition_ids": [_("Not a valid role definition id.")]},
        ) from None
    roles = catalog.get_roles(role_ids)
    if len(roles) != len(role_ids):
        known = {r.id for r in roles}
        unknown = [str(r) for r in role_ids if r not in known]
        raise ValidationError(
            _("Unknown role: %(ids)s.") % {"ids": ", ".join(unknown)},
            errors={"role_definition_ids": [_("Unknown role definition id.")]},
        )
    return roles


def _require_assign_if_privileged(by_access, roles) -> None:
    """Privileged roles (and those that consent for the organisation, Billing Administrator
    among them) are given or taken only by the tenant's own role administrators: never
    through a partner's delegated access."""
    if not any(permissions.is_privileged(r) for r in roles):
        return
    if not by_access.has(ROLES_ASSIGN):
        raise PermissionDenied(_("Assigning a privileged role needs the right to assign roles."))
    if not by_access.has_own(ROLES_ASSIGN):
        raise PermissionDenied(
            _("Privileged roles are given by the organisation's own administrators only.")
        )


def _require_not_partner_colleague(partner_id, user) -> None:
    """A partner's staff acting through delegated access never reach accounts of their own
    partner's tenant (themselves included): no partner staff into the customer's own ranks."""
    if partner_id and Membership.objects.filter(user=user, tenant_id=partner_id).exists():
        raise PermissionDenied(
            _(
                "Through delegated access you cannot add or change accounts of your own "
                "organisation."
            )
        )


def _ensure_global_admin_left(tenant, *, losing_user) -> None:
    # Lock the tenant row: two admins demoting each other at once must not both succeed.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    remaining = (
        Membership.objects.filter(tenant=tenant, roles__id=GLOBAL_ADMIN_ID)
        .exclude(user=losing_user)
        .exists()
    )
    if not remaining:
        raise InvalidState(_("A tenant keeps at least one Global Administrator."))


def _set_password_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL + path


@transaction.atomic
def add_member(
    *,
    by: User,
    tenant: Tenant,
    email: str,
    display_name: str = "",
    role_ids=(),
    partner_tenant_id=None,
) -> Membership | MembershipInvitation:
    """Add a person to tenant, with roles: a new email gets an account and a membership;
    an existing account only an invitation, which its holder accepts while signed in
    (people.services.invitations). An account belongs to its holder.

    With partner_tenant_id the membership is a partner user account: the customer's
    account for a partner's person, shown under that partner's admin roles.
    """
    by_access = access.require(by, tenant, USERS_MANAGE)
    partner = _partner_for_account(tenant, partner_tenant_id) if partner_tenant_id else None
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or "@" not in email:
        raise ValidationError(
            _("Enter a valid email address."), errors={"email": [_("Enter a valid email address.")]}
        )
    roles = _roles(role_ids)
    _require_assign_if_privileged(by_access, roles)
    delegated_partner = access.acting_partner(by_access, USERS_MANAGE)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _require_not_partner_colleague(delegated_partner, existing)
        if Membership.objects.filter(user=existing, tenant=tenant).exists():
            raise ValidationError(
                _("%(email)s is already a member of this tenant.") % {"email": email},
                errors={"email": [_("Already a member.")]},
            )
        return invite_existing(
            by=by, by_access=by_access, tenant=tenant, user=existing, roles=roles, partner=partner
        )
    user = User.objects.create(email=email, display_name=(display_name or "").strip()[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(
        user=user, tenant=tenant, partner_tenant=partner, delegated_partner_id=delegated_partner
    )
    membership.roles.set(roles, through_defaults={"delegated_partner_id": delegated_partner})
    record(
        "membership.created",
        actor=by,
        target_tenant=tenant,
        obj=membership,
        after={
            "email": email,
            "roles": [r.name for r in roles],
            "new_account": True,
            "partner": partner.name if partner else None,
        },
        access=by_access,
    )
    context = {
        "tenant_name": tenant.name,
        "inviter": by.name,
        "email": email,
        "set_password_url": _set_password_url(user),
    }
    queue_mail(
        to=email,
        template="member_invited",
        context=context,
        language=by.language,
        secrets=("set_password_url",),
    )
    return membership


def _partner_for_account(tenant, partner_tenant_id) -> Tenant:
    """The partner of a partner user account: one whose partner-user-account relationship
    type is in force with the tenant. An OEM or ISV relationship opens no account."""
    relationship = (
        PartnerRelationship.objects.filter(customer=tenant, partner_id=partner_tenant_id)
        .select_related("partner")
        .first()
        if _is_uuid(partner_tenant_id)
        else None
    )
    if relationship is None or types.PARTNER_USER_ACCOUNT not in (relationship.types or []):
        raise ValidationError(
            _("Choose a partner your organisation works with through partner user accounts."),
            errors={"partner_tenant_id": [_("Not a partner with user accounts here.")]},
        )
    return relationship.partner


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def reset_password(*, by: User, tenant: Tenant, user_id) -> str:
    """Give a member a temporary password, shown once; returns it.

    Helpdesk and Password Administrators reach only users without admin roles. A user who
    also belongs to other organisations is refused: one tenant's admins must not take over
    an account that another tenant relies on.
    """
    by_access = access.require(by, tenant, USERS_RESET_PASSWORD)
    membership = _lock_membership(tenant, user_id)
    if membership.user.is_staff or membership.user.is_superuser:
        raise PermissionDenied(_("Support staff accounts are managed by their holders only."))
    target_roles = [r.id for r in membership.roles.all()]
    if not by_access.can_reset_password_of(
        target_roles, in_privileged_group=holds_privileged_assignment(membership.user, tenant)
    ):
        raise PermissionDenied(
            _("Your roles do not allow resetting the password of a user with these roles.")
        )
    if membership.user_id == by.pk:
        raise ValidationError(_("Change your own password on your account page instead."))
    if Membership.objects.filter(user_id=membership.user_id).exclude(tenant=tenant).exists():
        raise InvalidState(
            _("This user also belongs to other organisations; they reset their own password.")
        )
    temporary = _temporary_password()
    user = membership.user
    user.set_password(temporary)
    user.save(update_fields=["password"])
    revoked = credentials.revoke_tokens(user)  # the old password's sessions end with it
    record(
        "user.password_reset",
        actor=by,
        target_tenant=tenant,
        obj=membership,
        after={"email": user.email, "tokens_revoked": revoked},
        access=by_access,
    )
    return temporary


def _temporary_password() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


@transaction.atomic
def set_member_roles(*, by: User, tenant: Tenant, user_id, role_ids) -> Membership:
    """Replace a member's directory roles."""
    by_access = access.require(by, tenant, ROLES_ASSIGN)
    membership = _lock_membership(tenant, user_id)
    delegated_partner = access.acting_partner(by_access, ROLES_ASSIGN)
    _require_not_partner_colleague(delegated_partner, membership.user)
    roles = _roles(role_ids)
    before = sorted(r.name for r in membership.roles.all())
    after = sorted(r.name for r in roles)
    if before == after:
        return membership
    losing_global_admin = GLOBAL_ADMIN_ID not in {r.id for r in roles} and (
        membership.roles.filter(id=GLOBAL_ADMIN_ID).exists()
    )
    if losing_global_admin:
        _ensure_global_admin_left(tenant, losing_user=membership.user)
    _require_assign_if_privileged(
        by_access, [r for r in membership.roles.all() if r not in roles] + roles
    )
    membership.roles.set(roles, through_defaults={"delegated_partner_id": delegated_partner})
    record(
        "membership.roles_changed",
        actor=by,
        target_tenant=tenant,
        obj=membership,
        before={"roles": before},
        after={"roles": after},
        access=by_access,
    )
    return membership


@transaction.atomic
def remove_member(*, by: User, tenant: Tenant, user_id) -> None:
    """Remove a member from tenant and from its security groups."""
    by_access = access.require(by, tenant, USERS_MANAGE)
    membership = _lock_membership(tenant, user_id)
    roles = list(membership.roles.all())
    _require_assign_if_privileged(by_access, roles)
    if any(r.id == GLOBAL_ADMIN_ID for r in roles):
        _ensure_global_admin_left(tenant, losing_user=membership.user)
    user = membership.user
    for group in SecurityGroup.objects.filter(tenant=tenant, members=user):
        group.members.remove(user)
    last = not Membership.objects.filter(user=user).exclude(pk=membership.pk).exists()
    revoked = 0
    if last:  # belongs nowhere now: what its credentials opened ends too
        revoked = credentials.revoke_tokens(user)
        credentials.end_sessions(user)
    record(
        "membership.removed",
        actor=by,
        target_tenant=tenant,
        obj=membership,
        before={"email": user.email, "roles": sorted(r.name for r in roles)},
        after={"last_membership": last, "tokens_revoked": revoked},
        access=by_access,
    )
    membership.delete()


def _lock_membership(tenant, user_id) -> Membership:
    return get_in_tenant_or_404(
        Membership.objects.select_for_update(of=("self",)).select_related("user"),
        tenant,
        user_id=user_id,
    )
